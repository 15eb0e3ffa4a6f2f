// The AI assistant on the wire (issue 11): shared by the server (parsing) and the client (types).
// Conversations, turns and undo here; models in assistant-models.ts, the export file in
// assistant-export.ts, attachments in assistant-attachments.ts.
import { z } from 'zod';
import { messageAttachmentsSchema, type MessageAttachment } from './assistant-attachments';
import { aiModelIdSchema } from './assistant-models';

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
