// The AI assistant (issue 11): conversations, turns, tools and model providers. Other parts
// import it from this file only. models/ holds the providers behind one interface and the
// registry of those configured; API keys never leave the server. Tools run through other
// features' index.ts (files, terminals, preview, snapshots), never the agent or Docker directly.
export { createAssistant, type AssistantDeps, type AssistantSettings } from './create-assistant';
export type { ModelInfo, ModelProvider, TokenUsage, TurnEvent, TurnRequest } from './models/model-provider';
export {
  INTERACTIVE_MAX_RETRIES,
  ModelRegistry,
  SETUP_HINT,
  type AiSettings,
  type ResolvedModel,
  type UserProviderSource,
} from './models/model-registry';
export { UserAiSettingsService, type UserAiSettingsOptions } from './models/user-ai-settings';
export { localModelServerDetector, LOCAL_MODEL_SERVERS } from './models/local-model-servers';
export { broadcastConversationChanges, ConversationService, type ConversationProjects } from './conversations';
export {
  createCommandTools,
  createFileTools,
  FileChangeLog,
  isToolError,
  type AssistantFileChange,
  type CommandPreviews,
  type CommandToolsOptions,
  type FileTools,
  type FileToolsOptions,
} from './tools';
export {
  broadcastTurnEvents,
  broadcastTurnUpdates,
  failInterruptedTurns,
  INTERRUPTED_TURN_ERROR,
  ModelProtocols,
  SNAPSHOT_LABEL,
  TurnEngine,
  TurnRateLimit,
  turnChangesReader,
  TurnSnapshotRetention,
  TurnUndo,
  type TurnEngineEvents,
  type TurnToolContext,
  type TurnToolFactory,
} from './turns';
