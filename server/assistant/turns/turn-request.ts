// Opens a turn's model stream: gathers what the model is told (the project's tree, the user's
// edits since the conversation's previous turn, the files and selections they attached, the files
// the request names), picks the protocol (tool calls, or the text protocol for a model without
// them), fits the conversation into the context window, and streams the model with the turn's
// tools and limits.
import type { ModelMessage, ToolSet } from 'ai';
import type { MessageAttachment, MessageDto, TurnDto } from '../../contracts';
import type { FileService } from '../../files';
import type { TurnEvent } from '../models/model-provider';
import type { ResolvedModel } from '../models/model-registry';
import { walkProject } from '../tools/project-walk';
import { TREE_MAX_ENTRIES } from './system-prompt';
import { describeAttachments } from './turn-attachments';
import { estimateTokens } from './context-window';
import { mentionedFiles, MENTIONED_FILE_MAX_CHARS } from './mentioned-files';
import { fitStepMessages } from './step-window';
import { undoneTurnsNote } from './undone-turns';
import { buildTurnContext, inputTokensOf, TOOL_DEFINITION_TOKENS, type TurnProtocol } from './turn-context';
import { streamInProtocol, type ModelProtocols } from './turn-protocol';
import type { TurnChangesReader } from './turn-changes-reader';
import { describeUserEdits, type SnapshotReader, type UserEditsInput } from './user-edits';

export interface TurnRequestDeps {
  projects: { get(userId: string, projectId: string): Promise<{ name: string }> };
  files: FileService;
  /** Reads snapshots for the user's edits since the last turn; without it none are told. */
  snapshotReader?: SnapshotReader;
  /** A turn's changed files with what it left in each (a file the user changed after the turn wrote it). */
  turnChanges?: TurnChangesReader;
  /** Which models get the text protocol; without it every model gets tool calls. */
  protocols?: ModelProtocols;
  /** Model calls per turn at most (AI_MAX_STEPS). */
  maxSteps: number;
  /** AI_CONTEXT_TOKENS and AI_MAX_OUTPUT_TOKENS. */
  contextTokens?: number;
  maxOutputTokens?: number;
}

export const DEFAULT_CONTEXT_TOKENS = 32_000;
export const DEFAULT_MAX_OUTPUT_TOKENS = 8_192;

export interface TurnRequestInput {
  userId: string;
  projectId: string;
  model: ResolvedModel;
  /** The conversation before this turn: its messages and turns (oldest first). */
  history: readonly MessageDto[];
  turns: readonly TurnDto[];
  /** What the user typed, and attached. */
  content: string;
  attachments: readonly MessageAttachment[];
  tools: ToolSet;
  signal: AbortSignal;
}

/** What the model is told that does not depend on this turn's snapshot: gathered while it is taken. */
export interface GatheredContext {
  project: { name: string };
  tree: Awaited<ReturnType<typeof walkProject>> | undefined;
  attached: string;
  mentioned: string;
  protocol: TurnProtocol;
}

/** Work started before the stream opens (TurnEngine starts it with the turn, so it overlaps the snapshot). */
export interface PreparedContext {
  gathered: Promise<GatheredContext>;
  /** The user's edits since the previous turn (from this turn's snapshot scan). */
  edits: Promise<string>;
}

type GatherInput = Pick<TurnRequestInput, 'userId' | 'projectId' | 'content' | 'attachments' | 'signal'> & {
  /** Awaited only to pick the protocol: the rest is read while the model is resolved. */
  model: ResolvedModel | Promise<ResolvedModel>;
};

export async function gatherContext(deps: TurnRequestDeps, input: GatherInput): Promise<GatheredContext> {
  const { userId, projectId, signal } = input;
  const actor = { userId };
  const read = (path: string) => deps.files.read(actor, projectId, path);
  const [project, tree, attached, protocol] = await Promise.all([
    deps.projects.get(userId, projectId),
    walkProject((path) => deps.files.list(actor, projectId, path), '', {
      recursive: true,
      maxEntries: TREE_MAX_ENTRIES,
      signal,
    }).catch(() => undefined),
    describeAttachments(input.attachments, read),
    Promise.resolve(input.model).then(
      (model) => deps.protocols?.protocolFor(model.id, userId) ?? Promise.resolve<TurnProtocol>('tools'),
    ),
  ]);
  const named = tree
    ? mentionedFiles(input.content, tree.entries, new Set(input.attachments.map((attachment) => attachment.path)))
    : [];
  const mentioned = await describeAttachments(
    named.map((path) => ({ path })),
    read,
    { header: 'Files your request names, as they are now:', maxChars: MENTIONED_FILE_MAX_CHARS },
  );
  return { project, tree, attached, mentioned, protocol };
}

export async function openModelStream(
  deps: TurnRequestDeps,
  input: TurnRequestInput & { prepared: PreparedContext },
): Promise<AsyncIterable<TurnEvent>> {
  const { model, signal } = input;
  const [{ project, tree, attached, mentioned, protocol }, edits] = await Promise.all([
    input.prepared.gathered,
    input.prepared.edits,
  ]);
  const maxOutputTokens = deps.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const contextTokens = deps.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  const requestFor = (chosen: TurnProtocol) => {
    const context = buildTurnContext({
      protocol: chosen,
      projectName: project.name,
      toolNames: Object.keys(input.tools),
      tree,
      history: input.history,
      turns: input.turns,
      request: input.content,
      notes: [undoneTurnsNote(input.history, input.turns), edits, attached, mentioned],
      contextTokens,
      maxOutputTokens,
    });
    // What the messages may take in each model call of the turn: the window less the answer's room, the system prompt and the tools.
    const stepBudget =
      inputTokensOf(contextTokens, maxOutputTokens) -
      estimateTokens(context.system) -
      (chosen === 'tools' ? TOOL_DEFINITION_TOKENS : 0);
    return {
      model: model.model,
      ...context,
      tools: input.tools,
      abortSignal: signal,
      maxSteps: deps.maxSteps,
      maxOutputTokens,
      fitMessages: (messages: ModelMessage[]) => fitStepMessages(messages, Math.max(0, stepBudget)),
    };
  };
  return streamInProtocol(model.provider, requestFor, protocol, () => deps.protocols?.learnNoTools(model.id));
}

/**
 * The note on what changed since the previous turn of the conversation ('' without one, or on any
 * failure). The previous turn comes from `turnChanges` (one query, started with the request) or,
 * without it, from the conversation's turns (read only then).
 */
export async function userEditsNote(
  deps: TurnRequestDeps,
  input: Pick<UserEditsInput, 'projectId' | 'now'> & {
    conversationId: string;
    turns: () => Promise<readonly TurnDto[]>;
  },
): Promise<string> {
  const reader = deps.snapshotReader;
  if (!reader) return '';
  try {
    const previous = deps.turnChanges
      ? await deps.turnChanges(input.conversationId)
      : [...(await input.turns())].reverse().find((turn) => turn.snapshotId && turn.status !== 'running');
    if (!previous?.snapshotId) return '';
    return await describeUserEdits(reader, {
      projectId: input.projectId,
      previous: {
        snapshotId: previous.snapshotId,
        changedFiles: previous.changedFiles,
        ...('files' in previous ? { files: previous.files } : {}),
      },
      now: input.now,
    });
  } catch {
    return '';
  }
}
