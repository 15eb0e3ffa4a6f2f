// The AI assistant on the wire (issue 11): shared by the server (parsing) and the client (types).
// Conversations here; a turn's request, events, undo and rewind in assistant-turns.ts, models in
// assistant-models.ts, the export file in assistant-export.ts, attachments in assistant-attachments.ts.
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
