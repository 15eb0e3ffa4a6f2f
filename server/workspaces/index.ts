// Workspaces: the lifecycle state machine over the runtime driver, the agent connection,
// idle reaping and start-up reconciliation. Imports runtime (interface), core, contracts,
// and projects/socket through their index.ts.
export {
  WorkspaceService,
  type ProjectDirectory,
  type WorkspaceServiceOptions,
  type WorkspaceHooks,
} from './workspace-service';
export { statusError } from './workspace-errors';
export { AgentConnection, AgentRequestError } from './agent-connection';
export { registerWorkspaceSocketHandlers, broadcastWorkspaceStatus } from './workspaces.socket';
export { startIdleReaper } from './idle-reaper';
export { keepReconciling } from './reconcile-loop';
export { DiskWatch } from './disk-watch';
