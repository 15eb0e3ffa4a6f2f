// A conversation as a file (issue 11 §5): what the conversation export downloads and what project
// bundles and duplicates carry. Part of the assistant's contracts (assistant.ts).
import { z } from 'zod';
import {
  assistantToolCallSchema,
  MESSAGE_ROLES,
  TURN_STATUSES,
  assistantToolResultSchema,
  conversationTitleSchema,
  turnFileChangeSchema,
} from './assistant';
import { messageAttachmentsSchema } from './assistant-attachments';

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
