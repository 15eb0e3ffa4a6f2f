import { describe, expect, it } from 'vitest';
import type { ConversationSummaryDto } from '@/server/contracts';
import { touchedConversation } from './conversation-list';

const conversation = (id: string, updatedAt: string): ConversationSummaryDto => ({
  id,
  projectId: 'p',
  title: id,
  messageCount: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt,
});

describe('touchedConversation', () => {
  const list = [
    conversation('c', '2026-01-03T00:00:00.000Z'),
    conversation('b', '2026-01-02T00:00:00.000Z'),
    conversation('a', '2026-01-01T00:00:00.000Z'),
  ];

  it('moves the conversation a turn ended in to the top, as most recently active', () => {
    const touched = touchedConversation(list, 'a', '2026-01-04T00:00:00.000Z');
    expect(touched.map((c) => c.id)).toEqual(['a', 'c', 'b']);
    expect(touched[0]!.updatedAt).toBe('2026-01-04T00:00:00.000Z');
    expect(list.map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('leaves a list without it as it is', () => {
    expect(touchedConversation(list, 'zz', '2026-01-04T00:00:00.000Z')).toBe(list);
  });
});
