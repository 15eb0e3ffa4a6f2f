// Stored conversation messages for unit tests and benches of what the model is told: every field
// defaulted, ids and seq numbered in the order they are made.
import type { MessageDto } from '../contracts';

export type MessageFields = Partial<MessageDto> & Pick<MessageDto, 'role'>;

/** A builder of messages numbered from 0 (each builder counts on its own). */
export function messageBuilder(): (fields: MessageFields) => MessageDto {
  let seq = 0;
  return (fields) => ({
    id: `m${seq}`,
    seq: seq++,
    content: '',
    toolCalls: [],
    toolResults: [],
    attachments: [],
    turnId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  });
}
