// An assistant turn on the wire (issue 11): the request that starts it, the events it tells, and
// undoing or rewinding it. Conversations, messages and turns as stored are in assistant.ts.
import { z } from 'zod';
import { messageAttachmentsSchema, type MessageAttachment } from './assistant-attachments';
import { aiModelIdSchema } from './assistant-models';
import type { TurnDto, TurnEndStatus, TurnFileChange } from './assistant';

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
