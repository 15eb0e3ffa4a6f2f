// The assistant's tools for one turn. File tools run through FileService and LockService (the
// user's own paths, so locks, versions and watchers apply); command tools through TerminalService
// (the "Assistant" and "dev" terminals the user sees) and PreviewService; never the agent or Docker directly.
export {
  createFileTools,
  SETTLE_TIMEOUT_MS,
  type FileTools,
  type FileToolSet,
  type FileToolsOptions,
} from './file-tools';
export { FileChangeLog, type AssistantFileChange, type FileState } from './file-change-log';
export { isToolError, TOOL_ERROR_PREFIX } from './tool-output';
export {
  createCommandTools,
  type CommandPreviews,
  type CommandToolSet,
  type CommandToolsOptions,
} from './command-tools';
export { assistantHolder, TURN_LOCK_TTL_SECONDS } from './turn-file-locks';
