import { describe, expect, it } from 'vitest';
import type { AssistantTurnEventDto } from '@/server/contracts';
import { emptyChat, type ChatState } from './chat-state';
import { applyTurnEvent } from './chat-turn-events';

const cid = 'c1';
const base = { conversationId: cid, turnId: 't1' };

const fold = (events: AssistantTurnEventDto[], start: ChatState = emptyChat(cid)) =>
  events.reduce(applyTurnEvent, start);

describe('applyTurnEvent', () => {
  it('shows the request, streams text into one item, and a card per call with live output and result', () => {
    const state = fold([
      { ...base, type: 'started', model: 'openai:m', snapshotId: 's1', content: 'make a todo app' },
      { ...base, type: 'text', text: 'Sure, ' },
      { ...base, type: 'text', text: 'creating it.' },
      {
        ...base,
        type: 'tool-call',
        toolCallId: 'k1',
        toolName: 'run_command',
        input: { command: 'ls' },
        invalid: false,
      },
      { ...base, type: 'tool-output', toolCallId: 'k1', data: 'a.txt\n' },
      { ...base, type: 'tool-output', toolCallId: 'k1', data: 'a.txt\nb.txt\n' },
      { ...base, type: 'tool-result', toolCallId: 'k1', toolName: 'run_command', output: 'exit 0', isError: false },
      { ...base, type: 'text', text: 'Done.' },
    ]);
    expect(state.runningTurnId).toBe('t1');
    expect(state.items.map((item) => item.kind)).toEqual(['user', 'text', 'tool', 'text']);
    expect(state.items[1]).toMatchObject({ text: 'Sure, creating it.' });
    expect(state.items[2]).toMatchObject({ status: 'done', output: 'exit 0', liveOutput: 'a.txt\nb.txt\n' });
    expect(state.items[3]).toMatchObject({ text: 'Done.' });
  });

  it('ends the turn on done: its status and changed files, and a call left running is no longer running', () => {
    const state = fold([
      { ...base, type: 'started', model: 'openai:m', snapshotId: null, content: 'go' },
      { ...base, type: 'tool-call', toolCallId: 'k1', toolName: 'run_command', input: {}, invalid: false },
      { ...base, type: 'done', status: 'stopped', changedFiles: [{ path: 'a.js', change: 'created' }] },
    ]);
    expect(state.runningTurnId).toBeNull();
    expect(state.turns.t1).toMatchObject({ status: 'stopped', changedFiles: [{ path: 'a.js', change: 'created' }] });
    expect(state.items[1]).toMatchObject({ kind: 'tool', status: 'error' });
  });

  it('ignores events of another conversation and a started turn it already shows', () => {
    const started: AssistantTurnEventDto = { ...base, type: 'started', model: 'm', snapshotId: null, content: 'x' };
    const once = fold([started]);
    expect(fold([started], once).items).toHaveLength(1);
    expect(applyTurnEvent(once, { ...base, conversationId: 'other', type: 'text', text: 'no' })).toBe(once);
  });

  it('gives each call its own card when a later step reuses a call id, and its result to the latest', () => {
    const state = fold([
      { ...base, type: 'tool-call', toolCallId: 'call_0', toolName: 'write_file', input: {}, invalid: false },
      {
        ...base,
        type: 'tool-result',
        toolCallId: 'call_0',
        toolName: 'write_file',
        output: 'Created a',
        isError: false,
      },
      { ...base, type: 'tool-call', toolCallId: 'call_0', toolName: 'run_command', input: {}, invalid: false },
      {
        ...base,
        type: 'tool-result',
        toolCallId: 'call_0',
        toolName: 'run_command',
        output: 'Exit code 0.',
        isError: false,
      },
    ]);
    expect(state.items.map((item) => item.kind === 'tool' && [item.toolName, item.output])).toEqual([
      ['write_file', 'Created a'],
      ['run_command', 'Exit code 0.'],
    ]);
    expect(new Set(state.items.map((item) => item.key)).size).toBe(2);
  });

  it('keeps only the tail of a huge live output', () => {
    const state = fold([
      { ...base, type: 'tool-call', toolCallId: 'k1', toolName: 'run_command', input: {}, invalid: false },
      { ...base, type: 'tool-output', toolCallId: 'k1', data: 'x'.repeat(100_000) + 'END' },
    ]);
    const card = state.items[0]!;
    expect(card.kind === 'tool' && card.liveOutput.length).toBe(64_000);
    expect(card.kind === 'tool' && card.liveOutput.endsWith('END')).toBe(true);
  });
});
