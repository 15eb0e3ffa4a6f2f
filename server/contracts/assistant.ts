// The AI assistant on the wire (issue 11): shared by the server (parsing) and the client (types).
import { z } from 'zod';
import { messageAttachmentsSchema, type MessageAttachment } from './assistant-attachments';

// ── Conversations ────────────────────────────────────────────────────────────────────────────
// A project's chats, kept in PostgreSQL (Conversation, Message, Turn). REST:
// GET|POST /api/v1/projects/:id/conversations, GET|PATCH|DELETE /api/v1/projects/:id/conversations/:cid.

export const MESSAGE_ROLES = ['user', 'assistant', 'tool', 'system'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const TURN_STATUSES = ['running', 'done', 'stopped', 'failed'] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];
/** How a turn can end. */
export type TurnEndStatus = Exclude<TurnStatus, 'running'>;

export const DEFAULT_CONVERSATION_TITLE = 'New conversation';

/** A call the model made in an assistant message (stored in Message.toolCalls, in call order). */
export interface AssistantToolCall {
  /** The provider's call id; a tool result names it in `callId`. */
  id: string;
  /** The tool, e.g. 'edit_file'. */
  name: string;
  /** The arguments as the model sent them, parsed from JSON (or the raw text when it was not JSON). */
  args: unknown;
}

/** What a call gave back (stored in Message.toolResults of a tool message, in call order). */
export interface AssistantToolResult {
  /** The `id` of the AssistantToolCall it answers. */
  callId: string;
  name: string;
  /** What the tool returned (JSON), or the error told to the model when `isError`. */
  output: unknown;
  isError: boolean;
}

/** A file a turn changed: what "Undo this turn" restores (stored in Turn.changedFiles). */
export interface TurnFileChange {
  path: string;
  change: 'created' | 'modified' | 'deleted';
}

export const assistantToolCallSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  args: z.unknown(),
});

export const assistantToolResultSchema = z.object({
  callId: z.string().min(1),
  name: z.string().min(1),
  output: z.unknown(),
  isError: z.boolean(),
});

export const turnFileChangeSchema = z.object({
  path: z.string().min(1),
  change: z.enum(['created', 'modified', 'deleted']),
});

/**
 * A changed file as Turn.changedFiles stores it: also what the turn left there, so undo can tell
 * whether the user (or a later turn) changed the file since. Server-side only (not in TurnDto).
 */
export interface RecordedTurnFileChange extends TurnFileChange {
  /** sha256 (hex) of the file's bytes when the turn ended; null = the turn left it removed. Absent on turns recorded before undo existed. */
  afterSha256?: string | null;
  /**
   * sha256 of the file right before the turn first changed it (null = absent). Undo checks the
   * snapshot holds that version: the user may have saved the file after the snapshot was taken.
   */
  beforeSha256?: string | null;
}

export const recordedTurnFileChangeSchema = turnFileChangeSchema.extend({
  afterSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .optional(),
  beforeSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .optional(),
});

export const conversationTitleSchema = z
  .string({ error: 'Title must be text' })
  .trim()
  .min(1, 'Title must not be empty')
  .max(120, 'Title must be at most 120 characters');

export const createConversationSchema = z.object({ title: conversationTitleSchema.optional() });
export type CreateConversationInput = z.infer<typeof createConversationSchema>;

export const renameConversationSchema = z.object({ title: conversationTitleSchema });
export type RenameConversationInput = z.infer<typeof renameConversationSchema>;

/** A message as the server stores it (the turn runner appends these). */
export const newMessageSchema = z.object({
  role: z.enum(MESSAGE_ROLES),
  content: z.string(),
  toolCalls: z.array(assistantToolCallSchema).optional(),
  toolResults: z.array(assistantToolResultSchema).optional(),
  turnId: z.string().optional(),
  /** User messages: the file or selection attached. */
  attachments: messageAttachmentsSchema.optional(),
});
export type NewMessageInput = z.infer<typeof newMessageSchema>;

/** A conversation in a list: no messages. */
export interface ConversationSummaryDto {
  id: string;
  projectId: string;
  title: string;
  messageCount: number;
  createdAt: string;
  /** Last activity (a message, a rename): lists are ordered by it, newest first. */
  updatedAt: string;
}

export interface ConversationListDto {
  conversations: ConversationSummaryDto[];
}

export interface MessageDto {
  id: string;
  /** Position in the conversation: 0, 1, 2, ... in the order the messages were added. */
  seq: number;
  role: MessageRole;
  content: string;
  /** Assistant messages: the calls the model made, in order. Empty when none. */
  toolCalls: AssistantToolCall[];
  /** Tool messages: the results of those calls, in order. Empty when none. */
  toolResults: AssistantToolResult[];
  /** User messages: the files and selections attached to it. Empty when none. */
  attachments: MessageAttachment[];
  turnId: string | null;
  createdAt: string;
}

export interface TurnDto {
  id: string;
  conversationId: string;
  status: TurnStatus;
  model: string;
  /** The snapshot taken before the turn (its undo point), when there is one. */
  snapshotId: string | null;
  /** Why a failed turn failed. */
  error: string | null;
  startedAt: string;
  endedAt: string | null;
  changedFiles: TurnFileChange[];
  /** When "Undo this turn" restored its files; null while it stands. */
  undoneAt: string | null;
}

/** A conversation with its messages (in order) and its turns (oldest first). */
export interface ConversationDto extends ConversationSummaryDto {
  messages: MessageDto[];
  turns: TurnDto[];
}

// ── Conversation export ──────────────────────────────────────────────────────────────────────
// A conversation away from its database rows: what GET /api/v1/projects/:id/conversations/:cid/export
// downloads (ConversationExportDto) and what project bundles and duplicates carry
// (PortableConversation). Ids in it are local to the file: a turn's `id` is only what messages'
// `turnId` refers to; an import gives everything new ids. Snapshot ids do not travel (the
// snapshots are not the same rows), and a turn exported while running is imported as failed.

export const CONVERSATION_EXPORT_FORMAT = 'berth-conversation';
export const CONVERSATION_EXPORT_VERSION = 1;

/**
 * Caps that keep one imported conversation's database work bounded (the upload's byte limit bounds
 * the rest). Generous on purpose: whatever Berth stored must come back in, or a round trip fails.
 */
export const PORTABLE_LIMITS = {
  messages: 100_000,
  turns: 10_000,
  contentChars: 16_000_000,
  toolCalls: 10_000,
  errorChars: 1_000_000,
} as const;

const isoTime = z.iso.datetime({ error: 'Must be an ISO 8601 time' });

export const portableTurnSchema = z.object({
  /** Local to the file: messages name it in `turnId`. */
  id: z.string().min(1).max(200),
  status: z.enum(TURN_STATUSES),
  model: z.string().max(500),
  error: z.string().max(PORTABLE_LIMITS.errorChars).nullable(),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  changedFiles: z.array(turnFileChangeSchema).max(100_000),
  /** When "Undo this turn" restored its files; null (or absent) while it stands. */
  undoneAt: isoTime.nullable().optional(),
});
export type PortableTurn = z.infer<typeof portableTurnSchema>;

export const portableMessageSchema = z.object({
  /** Position in the conversation; an import keeps the order and numbers them 0, 1, 2, ... */
  seq: z.number().int().min(0),
  role: z.enum(MESSAGE_ROLES),
  content: z.string().max(PORTABLE_LIMITS.contentChars),
  toolCalls: z.array(assistantToolCallSchema).max(PORTABLE_LIMITS.toolCalls),
  toolResults: z.array(assistantToolResultSchema).max(PORTABLE_LIMITS.toolCalls),
  /** User messages: the open file or selection attached (absent in files written before attachments). */
  attachments: messageAttachmentsSchema.optional(),
  /** The `id` of one of the conversation's turns, or null. */
  turnId: z.string().min(1).max(200).nullable(),
  createdAt: isoTime,
});
export type PortableMessage = z.infer<typeof portableMessageSchema>;

const portableConversationShape = {
  title: conversationTitleSchema,
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Oldest first. */
  turns: z.array(portableTurnSchema).max(PORTABLE_LIMITS.turns),
  /** In order (by seq). */
  messages: z.array(portableMessageSchema).max(PORTABLE_LIMITS.messages),
};

/** Positions unique, turn ids unique, every message's turnId one of the turns. */
function checkPortableLinks(value: { turns: PortableTurn[]; messages: PortableMessage[] }, ctx: z.RefinementCtx): void {
  const turnIds = new Set<string>();
  for (const [index, turn] of value.turns.entries()) {
    if (turnIds.has(turn.id))
      ctx.addIssue({ code: 'custom', path: ['turns', index, 'id'], message: `Turn id ${turn.id} appears twice` });
    turnIds.add(turn.id);
  }
  const seqs = new Set<number>();
  for (const [index, message] of value.messages.entries()) {
    if (seqs.has(message.seq))
      ctx.addIssue({
        code: 'custom',
        path: ['messages', index, 'seq'],
        message: `Position ${message.seq} appears twice`,
      });
    seqs.add(message.seq);
    if (message.turnId !== null && !turnIds.has(message.turnId))
      ctx.addIssue({
        code: 'custom',
        path: ['messages', index, 'turnId'],
        message: `Message ${message.seq} names turn ${message.turnId}, which is not among the turns`,
      });
  }
}

export const portableConversationSchema = z.object(portableConversationShape).superRefine(checkPortableLinks);
export type PortableConversation = z.infer<typeof portableConversationSchema>;

/** The conversation-only download: `{ format: 'berth-conversation', version: 1, exportedAt, title, createdAt, updatedAt, turns, messages }`. */
export const conversationExportSchema = z
  .object({
    format: z.literal(CONVERSATION_EXPORT_FORMAT),
    version: z.literal(CONVERSATION_EXPORT_VERSION),
    exportedAt: isoTime,
    ...portableConversationShape,
  })
  .superRefine(checkPortableLinks);
export type ConversationExportDto = z.infer<typeof conversationExportSchema>;

// ── Models ───────────────────────────────────────────────────────────────────────────────────
// The models the server can reach (keys stay on the server). REST: GET /api/v1/ai/models.

export const AI_PROVIDER_IDS = ['openai', 'anthropic', 'ollama'] as const;
/** openai = any OpenAI-compatible endpoint (OpenAI, OpenRouter, vLLM, llama-server, LM Studio, Ollama's /v1). */
export type AiProviderId = (typeof AI_PROVIDER_IDS)[number];

/** A model id on the wire is `<provider>:<the provider's model name>`, e.g. `ollama:qwen2.5-coder:7b`. */
export const aiModelIdSchema = z
  .string()
  .trim()
  .regex(/^(openai|anthropic|ollama):.+$/, 'A model id is <provider>:<model>, provider openai, anthropic or ollama');

export interface AiModelDto {
  /** `<provider>:<model>`, what a message's `model` field takes. */
  id: string;
  provider: AiProviderId;
  label: string;
  /** Whether the model takes tool (function) calls; without them the assistant uses a text protocol. */
  tools: boolean;
}

export interface AiModelListDto {
  models: AiModelDto[];
  /** Present when no provider is configured: exactly which settings to set. */
  setup?: string;
  /** Providers that are configured but did not answer, with why. */
  unreachable?: { provider: AiProviderId; message: string }[];
  /** With no provider configured: model servers found on the server's localhost (Ollama, LM Studio). */
  detected?: AiDetectedProviderDto[];
}

/** A model server Berth found on its own localhost, to offer as "Use Ollama on localhost". */
export interface AiDetectedProviderDto {
  provider: AiProviderId;
  /** What to put in the settings: AI_OLLAMA_URL / ollamaUrl, or AI_OPENAI_BASE_URL / openaiBaseUrl. */
  baseUrl: string;
  /** Its own model names. */
  models: string[];
  /** Which program answered ("Ollama", "LM Studio"). */
  label: string;
}

// ── A user's own model providers ─────────────────────────────────────────────────────────────
// Besides the admin's AI_* settings each user may add their own (their key for a provider wins for
// them). REST: GET /api/v1/me/ai-settings, PUT /api/v1/me/ai-settings (a field omitted stays, null
// clears it), POST /api/v1/me/ai-settings/test (the same body, not saved: the models it would give).
// Keys are stored sealed and never sent back: only whether one is set and its last four characters.

export interface AiKeySettingDto {
  set: boolean;
  /** e.g. "sk-…abcd"; null when not set (or too short to show any of it). */
  masked: string | null;
  /** Saved under another AUTH_SECRET, so it cannot be used: enter it again. */
  unreadable?: boolean;
}

export interface UserAiSettingsDto {
  openaiBaseUrl: string | null;
  openaiApiKey: AiKeySettingDto;
  anthropicApiKey: AiKeySettingDto;
  ollamaUrl: string | null;
  updatedAt: string | null;
}

const providerUrlSchema = (example: string) =>
  z
    .string({ error: `An http(s) URL such as ${example}` })
    .trim()
    .max(500, 'At most 500 characters')
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, `An http(s) URL such as ${example}`)
    .refine((value) => {
      try {
        const url = new URL(value);
        return !url.username && !url.password;
      } catch {
        return true;
      }
    }, 'No user name or password in the URL: put the key in its own field');

const providerKeySchema = z
  .string({ error: 'A key is text' })
  .trim()
  .min(1, 'Enter a key, or clear it')
  .max(500, 'At most 500 characters')
  .regex(/^[\x21-\x7e]+$/, 'A key is printable ASCII without spaces');

export const updateUserAiSettingsSchema = z.strictObject({
  openaiBaseUrl: providerUrlSchema('https://openrouter.ai/api/v1').nullable().optional(),
  openaiApiKey: providerKeySchema.nullable().optional(),
  anthropicApiKey: providerKeySchema.nullable().optional(),
  ollamaUrl: providerUrlSchema('http://localhost:11434').nullable().optional(),
});
export type UpdateUserAiSettingsInput = z.infer<typeof updateUserAiSettingsSchema>;

// ── Turns ────────────────────────────────────────────────────────────────────────────────────
// One assistant turn: POST /api/v1/projects/:id/conversations/:cid/messages { content, model? }
// answers text/event-stream, one `data: <AssistantTurnEventDto JSON>` per event, ending with
// `done`; 409 busy while a turn runs in the project. POST …/:cid/stop stops the running turn.
// Every tab of the project gets the same events as `ai:<type>` Socket.IO pushes (plus projectId).

export const sendMessageSchema = z.object({
  content: z.string({ error: 'Content must be text' }).trim().min(1, 'Say something').max(100_000),
  model: aiModelIdSchema.optional(),
  /** The open file and selection ("Ask about selection"): shown to the model with this message. */
  context: messageAttachmentsSchema.optional(),
});
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

interface TurnEventBase {
  conversationId: string;
  turnId: string;
}

/** The turn began: the user's message is stored, the snapshot before it taken. */
export interface TurnStartedEventDto extends TurnEventBase {
  type: 'started';
  model: string;
  snapshotId: string | null;
  /** What the user asked. */
  content: string;
  /** What the user attached (absent when nothing). */
  attachments?: MessageAttachment[];
}

/** A piece of the model's answer. */
export interface TurnTextEventDto extends TurnEventBase {
  type: 'text';
  text: string;
}

/** The model called a tool; `invalid` when its arguments did not fit (the model is told). */
export interface TurnToolCallEventDto extends TurnEventBase {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  input: unknown;
  invalid: boolean;
}

/** What the tool gave back, or the error told to the model (`isError`). */
export interface TurnToolResultEventDto extends TurnEventBase {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: unknown;
  isError: boolean;
}

/**
 * Live output of a tool still running, for its card: a command's output so far as plain text (its
 * last 16 KB, escapes, the typed command and the markers left out). Each replaces the one before.
 */
export interface TurnToolOutputEventDto extends TurnEventBase {
  type: 'tool-output';
  toolCallId: string;
  data: string;
}

/** The turn failed (the model could not be reached, answered an error…); `done` follows. */
export interface TurnErrorEventDto extends TurnEventBase {
  type: 'error';
  message: string;
}

/** Always last: how the turn ended and the files it changed. */
export interface TurnDoneEventDto extends TurnEventBase {
  type: 'done';
  status: TurnEndStatus;
  changedFiles: TurnFileChange[];
}

export type AssistantTurnEventDto =
  | TurnStartedEventDto
  | TurnTextEventDto
  | TurnToolCallEventDto
  | TurnToolResultEventDto
  | TurnToolOutputEventDto
  | TurnErrorEventDto
  | TurnDoneEventDto;

export type AssistantTurnEventType = AssistantTurnEventDto['type'];

/** A turn event as a Socket.IO push to the project's room (`ai:<type>`). */
export type AiPushOf<T extends AssistantTurnEventType> = Extract<AssistantTurnEventDto, { type: T }> & {
  projectId: string;
};

// ── Undo and rewind ──────────────────────────────────────────────────────────────────────────
// POST /api/v1/projects/:id/conversations/:cid/turns/:tid/undo { force? } restores exactly the
// files the turn changed from its snapshot (created ones removed), leaving files changed since the
// turn alone (reported as conflicts; `force` overwrites them, but never a file a tab holds locked).
// The turn is marked undone once no conflict remains. 409 already_undone, 409 busy while a turn
// runs, 409 snapshot_gone when its snapshot was deleted (and a file needs it).
// POST …/turns/:tid/rewind { force? } undoes that turn and every later one (newest first, same
// conflict rules; a deleted snapshot is reported as conflicts, not refused) and deletes their turns
// and messages whatever the conflicts (the user's files are kept), answering the user message
// that started the turn (what Retry re-sends).

export const undoTurnSchema = z.object({
  /** Overwrite files changed since the turn too (a file locked by a tab is still left alone). */
  force: z.boolean().optional(),
});
export type UndoTurnInput = z.infer<typeof undoTurnSchema>;

/** A file undo left alone, and why (changed since the turn, locked by a tab…). */
export interface UndoConflictDto {
  path: string;
  reason: string;
}

export interface TurnUndoResultDto {
  turnId: string;
  /** Whether the turn is now undone: false while conflicts remain (its other files are back; `force` finishes it). */
  undone: boolean;
  /** Files written back to their content before the turn. */
  restored: string[];
  /** Files the turn created, removed. */
  removed: string[];
  conflicts: UndoConflictDto[];
}

export interface TurnRewindResultDto {
  /** The turns undone and deleted with their messages, newest first. */
  rewoundTurnIds: string[];
  restored: string[];
  removed: string[];
  conflicts: UndoConflictDto[];
  /** The user message that started the rewound turn: what Retry sends again (Edit changes it first). */
  content: string;
}

/**
 * Pushed to the project's room as `ai:turn-updated`: a turn was undone (its TurnDto, `undoneAt`
 * set), or turns were rewound (their messages from `fromSeq` on are gone; reload the conversation).
 */
export type TurnUpdatedPushDto =
  | { projectId: string; conversationId: string; change: 'undone'; turn: TurnDto }
  | { projectId: string; conversationId: string; change: 'rewound'; turnIds: string[]; fromSeq: number };
