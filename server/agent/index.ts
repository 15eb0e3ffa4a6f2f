// The workspace agent (runs inside the container, bundled to one file by
// scripts/workspace-image.mjs). Imports nothing from server/ but server/contracts/.
// Its entry is main.ts; nothing on the server imports this folder.
export { createSecretCheck } from './secret-check';
export { ConnectionHub, serveConnection } from './connection';
