// Assistant turns: the engine that runs one turn per project (model stream, tools, stored
// messages, snapshot before, locks released after) and the start-up sweep of turns a restart
// cut off. Uses the conversations, models and tools of this module; other features only
// through their index.ts (files, snapshots as an interface).
export {
  SNAPSHOT_LABEL,
  TurnEngine,
  type TurnEngineDeps,
  type TurnEngineEvents,
  type TurnListener,
  type TurnToolContext,
  type TurnToolFactory,
} from './turn-engine';
export { failInterruptedTurns, INTERRUPTED_TURN_ERROR } from './interrupted-turns';
export { TurnSnapshotRetention, type TurnSnapshotRetentionDeps } from './turn-snapshot-retention';
export { TREE_MAX_ENTRIES } from './system-prompt';
export { broadcastTurnEvents } from './turns.socket';
export { TurnUndo, type TurnUndoDeps, type TurnUndoEvents } from './turn-undo';
export { broadcastTurnUpdates } from './turn-undo.socket';
export type { SnapshotFiles } from './turn-file-restore';
export { ModelProtocols, TOOLS_UNSUPPORTED, type ModelProtocolsOptions } from './turn-protocol';
export { TurnRateLimit } from './turn-rate-limit';
export { turnChangesReader, type TurnChangesReader } from './turn-changes-reader';
