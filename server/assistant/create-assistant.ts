// The assistant wired together (issue 11): each user's provider settings (keys sealed under a key
// derived from AUTH_SECRET), the model registry, conversations, the turn engine with its tools
// (the user's own terminals and previews), undo of turns and the pruning of turn snapshots.
// Its events reach browsers through berth-server.ts, like the snapshots' progress.
import type { Config } from '../config';
import type { Logger } from '../core/logger';
import { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';
import type { FileService, LockService } from '../files';
import type { ProjectService } from '../projects';
import type { ProjectSnapshots, SnapshotStore } from '../snapshots';
import { ConversationService } from './conversations';
import { INTERACTIVE_MAX_RETRIES, ModelRegistry } from './models/model-registry';
import { localModelServerDetector } from './models/local-model-servers';
import { UserAiSettingsService } from './models/user-ai-settings';
import { createCommandTools, type CommandToolsOptions } from './tools';
import {
  failInterruptedTurns,
  ModelProtocols,
  SNAPSHOT_LABEL,
  TurnEngine,
  TurnRateLimit,
  turnChangesReader,
  TurnSnapshotRetention,
  TurnUndo,
} from './turns';

export interface AssistantDeps {
  prisma: PrismaClient;
  /** AUTH_SECRET: the key of each user's provider settings is derived from it. */
  secret: string;
  /** When this process started: a turn still running from before then was cut off. */
  startedAt: Date;
  projects: ProjectService;
  files: FileService;
  locks: LockService;
  terminals: CommandToolsOptions['terminals'];
  previews: CommandToolsOptions['previews'];
  snapshots: { api: ProjectSnapshots; store: SnapshotStore };
  log: Logger;
}

export type AssistantSettings = Pick<
  Config,
  | 'AI_OPENAI_BASE_URL'
  | 'AI_OPENAI_API_KEY'
  | 'AI_ANTHROPIC_API_KEY'
  | 'AI_OLLAMA_URL'
  | 'AI_DEFAULT_MODEL'
  | 'AI_ALLOW_PRIVATE_HOSTS'
  | 'AI_TEXT_PROTOCOL_MODELS'
  | 'AI_MAX_STEPS'
  | 'AI_CONTEXT_TOKENS'
  | 'AI_MAX_OUTPUT_TOKENS'
  | 'AI_TURNS_PER_MINUTE'
  | 'AI_TURN_SNAPSHOTS_KEPT'
>;

export async function createAssistant(deps: AssistantDeps, config: AssistantSettings) {
  const { prisma, secret, projects, files, locks, terminals, previews, snapshots, log } = deps;
  const conversations = new ConversationService(prisma, projects);
  // Each user's own model providers (/settings/ai): keys sealed under a key derived from AUTH_SECRET.
  const aiSettings = new UserAiSettingsService(prisma, new SecretBox(secret), {
    allowPrivateHosts: config.AI_ALLOW_PRIVATE_HOSTS,
  });
  // The assistant's model providers, from the AI_* settings (keys stay in here), and each user's own;
  // with none, what answers on localhost (Ollama, LM Studio) is offered.
  const models = ModelRegistry.fromSettings(config, INTERACTIVE_MAX_RETRIES, {
    userProviders: aiSettings,
    detectLocal: localModelServerDetector(),
  });
  // A turn still running from before this start was cut off: it must not keep its project busy.
  await failInterruptedTurns(prisma, deps.startedAt);
  // Tool calls, or file and shell blocks for the models that take no tools.
  const modelProtocols = new ModelProtocols({
    textProtocolModels: config.AI_TEXT_PROTOCOL_MODELS,
    listModels: (userId) => models.listModels(undefined, userId),
  });
  const turns = new TurnEngine({
    conversations,
    models,
    snapshots: snapshots.api,
    projects,
    files,
    locks,
    maxSteps: config.AI_MAX_STEPS,
    contextTokens: config.AI_CONTEXT_TOKENS,
    maxOutputTokens: config.AI_MAX_OUTPUT_TOKENS,
    rateLimit: new TurnRateLimit({ turnsPerMinute: config.AI_TURNS_PER_MINUTE }),
    protocols: modelProtocols,
    // The user's edits since the last turn, from the turns' snapshots.
    snapshotReader: snapshots.store,
    turnChanges: turnChangesReader(prisma),
    // Commands in the "Assistant" terminal, the dev server, the preview list: the user's own terminals and previews.
    toolFactories: [
      (turn) => ({
        tools: createCommandTools({
          terminals,
          previews,
          userId: turn.actor.userId,
          projectId: turn.projectId,
          turnId: turn.turnId,
          signal: turn.signal,
          onOutput: turn.onOutput,
        }),
      }),
    ],
    log,
  });

  // Undo and rewind of turns: the files through FileService, their content from the snapshot store.
  const turnUndo = new TurnUndo({ prisma, projects, files, snapshots: snapshots.store, turns });
  // Each turn's snapshot is labelled (kept by the snapshot service): after a turn ends, only the
  // newest AI_TURN_SNAPSHOTS_KEPT turns of its project keep theirs.
  const turnSnapshots = new TurnSnapshotRetention({
    prisma,
    snapshots: snapshots.store,
    keep: config.AI_TURN_SNAPSHOTS_KEPT,
    label: SNAPSHOT_LABEL,
    log,
  });
  const stopPruningTurnSnapshots = turns.events.on('onDidEmitTurnEvent', ({ projectId, event }) => {
    if (event.type === 'done') turnSnapshots.schedule(projectId);
  });

  /** Ends every running turn (each ends stopped, its messages stored and locks released), then the pruning. */
  const dispose = async () => {
    await turns.stopAll();
    stopPruningTurnSnapshots();
    await turnSnapshots.settle();
  };
  return { conversations, aiSettings, models, modelProtocols, turns, turnUndo, turnSnapshots, dispose };
}
