// A model that answers badly, through the HTTP API against a real workspace: arguments that are
// not JSON, a tool that does not exist, a path outside the project, a 10 MB argument and a 10 MB
// answer. Each gives the model (and the user's card) a clear error, the turn ends, nothing
// outside the turn's own writes changes, and the next turn runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantTurnEventDto } from '../../contracts';
import {
  assistantApi,
  closeAssistantFixture,
  openAssistantFixture,
  toolCall,
  type AssistantFixture,
} from '../test-fixture';

let f: AssistantFixture;
let api: ReturnType<typeof assistantApi>;

beforeAll(async () => {
  f = await openAssistantFixture('Assistant malformed output');
  api = assistantApi(f);
}, 120_000);
afterAll(async () => closeAssistantFixture(f ?? {}));

const ofType = <T extends AssistantTurnEventDto['type']>(events: AssistantTurnEventDto[], type: T) =>
  events.filter((event): event is Extract<AssistantTurnEventDto, { type: T }> => event.type === type);

/** The error text the model was sent back for its call (the next request's tool message). */
const toolMessageSent = (callId: string): string => {
  const request = f.model.chatRequests().at(-1)!;
  const message = request.body!.messages.find((m) => m.role === 'tool' && m.tool_call_id === callId);
  return JSON.stringify(message?.content ?? '');
};

describe('a model that answers badly', () => {
  it('gets a clear error for arguments that are not JSON and for an unknown tool, and the turn goes on', async () => {
    const cid = await api.newConversation();
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          { id: 'broken', name: 'write_file', argumentChunks: ['{"path": "broken.txt", "content": "x'] },
          toolCall('unknown', 'launch_rockets', { count: 3 }),
        ],
      },
      { kind: 'text', chunks: ['Sorry, let me fix that.'] },
    );
    const { events } = await api.turn(cid, 'go');
    const calls = ofType(events, 'tool-call');
    expect(calls.map((c) => [c.toolCallId, c.invalid])).toEqual([
      ['broken', true],
      ['unknown', true],
    ]);
    const results = ofType(events, 'tool-result');
    expect(results.map((r) => [r.toolCallId, r.isError])).toEqual([
      ['broken', true],
      ['unknown', true],
    ]);
    expect(String(results[1]!.output)).toMatch(/launch_rockets/);
    expect(toolMessageSent('unknown')).toMatch(/launch_rockets/);
    expect(ofType(events, 'done')[0]).toMatchObject({ status: 'done', changedFiles: [] });
    expect(await api.read('broken.txt')).toBeNull();
  });

  it('refuses a path outside the project, and a 10 MB file, with the reason; the project is untouched', async () => {
    const before = await api.read('index.js');
    const cid = await api.newConversation();
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          toolCall('escape', 'write_file', { path: '../../etc/berth-escape', content: 'no' }),
          toolCall('huge', 'write_file', { path: 'huge.txt', content: 'x'.repeat(10 * 1024 * 1024) }),
          toolCall('fine', 'write_file', { path: 'fine.txt', content: 'ok\n' }),
        ],
      },
      { kind: 'text', chunks: ['Done what I could.'] },
    );
    const { events } = await api.turn(cid, 'write things');
    const results = ofType(events, 'tool-result');
    expect(results.map((r) => [r.toolCallId, r.isError])).toEqual([
      ['escape', true],
      ['huge', true],
      ['fine', false],
    ]);
    expect(String(results[0]!.output)).toMatch(/path/i);
    expect(ofType(events, 'done')[0]!.changedFiles).toEqual([{ path: 'fine.txt', change: 'created' }]);
    expect(await api.read('huge.txt')).toBeNull();
    expect(await api.read('fine.txt')).toBe('ok\n');
    expect(await api.read('index.js')).toBe(before);
  });

  it('ends a 10 MB answer as a stored message the conversation still loads, and the next turn runs', async () => {
    const cid = await api.newConversation();
    const chunk = 'y'.repeat(100 * 1024);
    f.model.enqueue({ kind: 'text', chunks: Array.from({ length: 100 }, () => chunk) });
    const { events } = await api.turn(cid, 'say a lot');
    const done = ofType(events, 'done')[0]!;
    const errors = ofType(events, 'error');
    // Either the whole answer arrives, or the turn is cut with a clear error: never a hang or a crash.
    if (errors.length) expect(errors[0]!.message).toMatch(/\S/);
    else expect(ofType(events, 'text').reduce((n, e) => n + e.text.length, 0)).toBe(100 * chunk.length);
    expect(['done', 'failed']).toContain(done.status);
    const stored = await api.getConversation(cid);
    expect(stored.messages[0]).toMatchObject({ role: 'user', content: 'say a lot' });

    f.model.enqueue({ kind: 'text', chunks: ['still here'] });
    const next = await api.turn(cid, 'are you there?');
    expect(
      ofType(next.events, 'text')
        .map((e) => e.text)
        .join(''),
    ).toBe('still here');
  });
});
