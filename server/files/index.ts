// Files: a project's files through its workspace agent (list, read, streamed content, write
// with version checks, create, move, delete, watch), in-memory locks, and their socket events.
// Owns no table. Imports contracts, core, and runtime/workspaces/socket types through their
// index.ts; must not import http/ (its REST resource lives in server/http/files.routes.ts).
export {
  FileService,
  EDITABLE_MAX_BYTES,
  INLINE_MAX_BYTES,
  type Actor,
  type FileWorkspaces,
  type ProjectOwnership,
  type WriteConditions,
} from './file-service';
export { LockService, normalizePath, type LockHolder } from './lock-service';
export { AgentContentClient, type AgentFile } from './agent-content-client';
export { registerFileSocketHandlers, broadcastFileChanges, broadcastLockChanges } from './files.socket';
