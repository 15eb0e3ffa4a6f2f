// What a user attaches to an assistant message (issue 11 §6, "Ask about selection"): the open
// file, or a selection in it. Sent in POST …/messages `context`, stored on the user message
// (MessageDto.attachments) so the conversation shows them. Paths are checked like the file API's.
import { z } from 'zod';
import { relativePathSchema } from './files';

/** Attachments per message at most. */
export const MESSAGE_ATTACHMENTS_MAX = 5;
/** A selection's text at most, in UTF-8 bytes. */
export const ATTACHMENT_TEXT_MAX_BYTES = 50 * 1024;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** 'a//b/./c' → 'a/b/c', as the file API reads it. */
const normalized = (path: string) =>
  path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');

export const attachmentPathSchema = relativePathSchema
  .transform(normalized)
  .refine((path) => path !== '', 'A file path is required');

export const attachmentSelectionSchema = z
  .object({
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    text: z
      .string()
      .refine(
        (text) => utf8Bytes(text) <= ATTACHMENT_TEXT_MAX_BYTES,
        `A selection is at most ${ATTACHMENT_TEXT_MAX_BYTES / 1024} KB`,
      ),
  })
  .refine((selection) => selection.endLine >= selection.startLine, {
    message: 'endLine must not be before startLine',
    path: ['endLine'],
  });

export const messageAttachmentSchema = z.object({
  path: attachmentPathSchema,
  /** Absent: the whole file, as it is when the turn starts. */
  selection: attachmentSelectionSchema.optional(),
});
export type MessageAttachment = z.infer<typeof messageAttachmentSchema>;

export const messageAttachmentsSchema = z
  .array(messageAttachmentSchema)
  .max(MESSAGE_ATTACHMENTS_MAX, `At most ${MESSAGE_ATTACHMENTS_MAX} attachments`);
