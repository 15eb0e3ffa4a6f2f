// A conversation's version for a sync: the sha256 of a canonical JSON of its portable form, the
// same on both Berths for the same content. Keys are sorted; what an import renumbers or renames
// (message positions, turn ids, which are local to one server) is replaced by its order, so a
// conversation copied to the other side hashes as it did here.
import { createHash } from 'node:crypto';
import type { PortableConversation } from '../../contracts';

export function conversationVersion(conversation: PortableConversation): string {
  return createHash('sha256')
    .update(canonicalJson(comparable(conversation)))
    .digest('hex');
}

/** One hash over every conversation's id and version (a state's conversation part). */
export function conversationsDigest(versions: readonly { id: string; version: string }[]): string {
  const lines = [...versions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256')
    .update(lines.map((item) => `${item.id}:${item.version}`).join('\n'))
    .digest('hex');
}

function comparable(conversation: PortableConversation): unknown {
  const turnIndex = new Map(conversation.turns.map((turn, index) => [turn.id, `t${index}`]));
  return {
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    turns: conversation.turns.map((turn) => ({ ...turn, id: turnIndex.get(turn.id), undoneAt: turn.undoneAt ?? null })),
    messages: [...conversation.messages]
      .sort((a, b) => a.seq - b.seq)
      .map((message, index) => ({
        ...message,
        seq: index,
        turnId: message.turnId === null ? null : (turnIndex.get(message.turnId) ?? null),
        attachments: message.attachments?.length ? message.attachments : null,
      })),
  };
}

/** JSON with object keys sorted at every level (undefined members left out, as JSON does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
