import { describe, expect, it } from 'vitest';
import type { PortableConversation } from '../../contracts';
import { canonicalJson, conversationsDigest, conversationVersion } from './conversation-version';

const at = '2026-12-01T10:00:00.000Z';
const conversation = (turnId: string, extra: Partial<PortableConversation> = {}): PortableConversation => ({
  title: 'Plan',
  createdAt: at,
  updatedAt: at,
  turns: [
    {
      id: turnId,
      status: 'done',
      model: 'm',
      error: null,
      startedAt: at,
      endedAt: at,
      changedFiles: [],
      undoneAt: null,
    },
  ],
  messages: [
    { seq: 4, role: 'user', content: 'hi', toolCalls: [], toolResults: [], turnId, createdAt: at },
    {
      seq: 7,
      role: 'assistant',
      content: 'hello',
      toolCalls: [],
      toolResults: [],
      turnId,
      createdAt: at,
      attachments: [],
    },
  ],
  ...extra,
});

describe('conversation versions', () => {
  it('are the same for the same content whatever the turn ids, positions and key order', () => {
    const here = conversation('turn-on-this-server');
    const there = conversation('cuid-on-the-other');
    there.messages = there.messages.map((message, index) => ({ ...message, seq: index, attachments: undefined }));
    there.turns = there.turns.map(({ undoneAt: _undoneAt, ...turn }) => turn);
    expect(conversationVersion(there)).toBe(conversationVersion(here));
    expect(conversationVersion(here)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change with the title, a message, a turn state or the order of messages', () => {
    const base = conversationVersion(conversation('t'));
    expect(conversationVersion(conversation('t', { title: 'Other' }))).not.toBe(base);
    const edited = conversation('t');
    edited.messages[1] = { ...edited.messages[1]!, content: 'hello!' };
    expect(conversationVersion(edited)).not.toBe(base);
    const failed = conversation('t');
    failed.turns[0] = { ...failed.turns[0]!, status: 'failed' };
    expect(conversationVersion(failed)).not.toBe(base);
    const swapped = conversation('t');
    swapped.messages = [
      { ...swapped.messages[0]!, seq: 9 },
      { ...swapped.messages[1]!, seq: 1 },
    ];
    expect(conversationVersion(swapped)).not.toBe(base);
  });

  it('canonical JSON sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"z":2}]},"b":1}',
    );
  });

  it('the digest of a state depends on ids and versions, not their order', () => {
    const a = { id: 'a', version: '1'.repeat(64) };
    const b = { id: 'b', version: '2'.repeat(64) };
    expect(conversationsDigest([a, b])).toBe(conversationsDigest([b, a]));
    expect(conversationsDigest([a, b])).not.toBe(conversationsDigest([a, { ...b, version: '3'.repeat(64) }]));
  });
});
