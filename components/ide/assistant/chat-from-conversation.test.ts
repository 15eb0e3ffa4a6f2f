import { describe, expect, it } from 'vitest';
import type { AssistantTurnEventDto, ConversationDto, MessageDto } from '@/server/contracts';
import { chatFromConversation } from './chat-from-conversation';
import { lastTurnId, requestOf } from './chat-state';
import { applyTurnEvent } from './chat-turn-events';

const cid = 'c1';
const base = { conversationId: cid, turnId: 't1' };

const message = (seq: number, part: Partial<MessageDto>): MessageDto => ({
  id: `m${seq}`,
  seq,
  role: 'user',
  content: '',
  toolCalls: [],
  toolResults: [],
  attachments: [],
  turnId: 't1',
  createdAt: '2026-12-06T10:00:00.000Z',
  ...part,
});

describe('chatFromConversation', () => {
  const conversation: ConversationDto = {
    id: cid,
    projectId: 'p',
    title: 't',
    messageCount: 4,
    createdAt: '',
    updatedAt: '',
    messages: [
      message(0, { role: 'user', content: 'add a file' }),
      message(1, {
        role: 'assistant',
        content: 'Writing.',
        toolCalls: [{ id: 'k1', name: 'write_file', args: { path: 'a.js' } }],
      }),
      message(2, {
        role: 'tool',
        toolResults: [{ callId: 'k1', name: 'write_file', output: 'Created a.js', isError: false }],
      }),
      message(3, { role: 'user', content: 'again', turnId: 't2' }),
    ],
    turns: [
      {
        id: 't1',
        conversationId: cid,
        status: 'done',
        model: 'm',
        snapshotId: 's',
        error: null,
        startedAt: '',
        endedAt: '',
        changedFiles: [{ path: 'a.js', change: 'created' }],
        undoneAt: null,
      },
      {
        id: 't2',
        conversationId: cid,
        status: 'failed',
        model: 'm',
        snapshotId: 's',
        error: 'provider down',
        startedAt: '',
        endedAt: '',
        changedFiles: [],
        undoneAt: null,
      },
    ],
  };

  it('rebuilds the items with results on their cards and a failed turn’s error after it', () => {
    const state = chatFromConversation(conversation);
    expect(state.items.map((item) => item.kind)).toEqual(['user', 'text', 'tool', 'user', 'error']);
    expect(state.items[2]).toMatchObject({ status: 'done', output: 'Created a.js' });
    expect(state.items[4]).toMatchObject({ message: 'provider down', turnId: 't2' });
    expect(state.runningTurnId).toBeNull();
    expect(lastTurnId(state)).toBe('t2');
    expect(requestOf(state, 't1')).toBe('add a file');
  });

  it('continues a running turn from the socket without repeating its request', () => {
    const running: ConversationDto = {
      ...conversation,
      messages: conversation.messages.slice(0, 1),
      turns: [{ ...conversation.turns[0]!, status: 'running', changedFiles: [] }],
    };
    const state = chatFromConversation(running);
    expect(state.runningTurnId).toBe('t1');
    const events: AssistantTurnEventDto[] = [
      { ...base, type: 'started', model: 'm', snapshotId: null, content: 'add a file' },
      { ...base, type: 'text', text: 'hi' },
    ];
    const next = events.reduce(applyTurnEvent, state);
    expect(next.items.map((item) => item.kind)).toEqual(['user', 'text']);
  });
});
