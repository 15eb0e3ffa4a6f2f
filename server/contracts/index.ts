// The wire contract between browser and server: zod schemas and types only.
// Must not import Node modules or anything outside this folder (it ships to the browser).
export * from './projects';
export * from './auth';
export * from './socket';
export * from './ids';
export * from './socket-call';
export * from './agent';
export * from './workspace';
export * from './terminal';
export * from './files';
export * from './preview';
export * from './snapshots';
export * from './admin';
export * from './format-bytes';
export * from './assistant';
export * from './assistant-attachments';
export * from './assistant-export';
export * from './assistant-models';
export * from './assistant-turns';
export * from './git';
export * from './git-remotes';
export * from './deploy';
export * from './sync';
export * from './transfer';
