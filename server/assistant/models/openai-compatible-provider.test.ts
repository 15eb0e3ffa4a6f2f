// The OpenAI-compatible provider against a real chat-completions server on loopback (scripted per
// test): the SDK's real HTTP, SSE parsing and tool loop, no mocks.
import { tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedStep,
} from '../../test-support/scripted-model-server';
import type { TurnEvent, TurnRequest } from './model-provider';
import { OpenAICompatibleProvider } from './openai-compatible-provider';

let server: ScriptedModelServer;
let provider: OpenAICompatibleProvider;

beforeEach(async () => {
  server = await startScriptedModelServer({ models: ['coder-large', 'coder-small'], apiKey: 'sk-test-key' });
  provider = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, apiKey: 'sk-test-key', maxRetries: 0 });
});
afterEach(() => server.close());

function turn(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    model: 'coder-large',
    system: 'You are Berth’s assistant.',
    messages: [{ role: 'user', content: 'Hello' }],
    tools: {},
    abortSignal: new AbortController().signal,
    maxSteps: 5,
    ...overrides,
  };
}

async function collect(events: AsyncIterable<TurnEvent>): Promise<TurnEvent[]> {
  const seen: TurnEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const textOf = (events: TurnEvent[]) => events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');

/** A tool the model can call: adds two numbers, its input checked by zod. */
function addTool(executed: { a: number; b: number }[]) {
  return tool({
    description: 'Adds two numbers',
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    execute: async ({ a, b }) => {
      executed.push({ a, b });
      return { sum: a + b };
    },
  });
}

describe('OpenAI-compatible provider', () => {
  it('lists the models of GET /v1/models, sending the key', async () => {
    expect(await provider.listModels()).toEqual([
      { id: 'openai:coder-large', provider: 'openai', label: 'coder-large', tools: true },
      { id: 'openai:coder-small', provider: 'openai', label: 'coder-small', tools: true },
    ]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test-key');
  });

  it('says why listing failed when the key is wrong', async () => {
    const wrongKey = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrongKey.listModels()).rejects.toThrow(/answered HTTP 401/);
  });

  it('streams a text turn token by token and reports usage', async () => {
    server.enqueue({
      kind: 'text',
      chunks: ['Hel', 'lo, ', 'world'],
      usage: { prompt_tokens: 21, completion_tokens: 3 },
    });
    const events = await collect(provider.streamTurn(turn()));

    expect(events.filter((event) => event.type === 'text')).toHaveLength(3);
    expect(textOf(events)).toBe('Hello, world');
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(last.type === 'finish' && last.usage).toEqual({ inputTokens: 21, outputTokens: 3, totalTokens: 24 });
    expect(last.type === 'finish' && last.messages).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'Hello, world' }] },
    ]);

    const [request] = server.chatRequests();
    expect(request!.body).toMatchObject({
      model: 'coder-large',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request!.body!.messages).toEqual([
      { role: 'system', content: 'You are Berth’s assistant.' },
      { role: 'user', content: 'Hello' },
    ]);
    expect(request!.headers.authorization).toBe('Bearer sk-test-key');
  });

  it('runs a two-step tool loop: the zod-validated tool executes and the model gets its result', async () => {
    server.enqueue(
      {
        kind: 'tool-calls',
        text: ['Adding.'],
        calls: [{ id: 'call_add', name: 'add', argumentChunks: ['{"a":', '2,"b"', ':40}'] }],
        usage: { prompt_tokens: 30, completion_tokens: 8 },
      },
      { kind: 'text', chunks: ['The sum is 42.'], usage: { prompt_tokens: 50, completion_tokens: 5 } },
    );
    const executed: { a: number; b: number }[] = [];
    const events = await collect(provider.streamTurn(turn({ tools: { add: addTool(executed) } })));

    expect(executed).toEqual([{ a: 2, b: 40 }]);
    expect(events.map((event) => event.type)).toEqual([
      'text',
      'tool-call',
      'tool-result',
      'step-finish',
      'text',
      'step-finish',
      'finish',
    ]);
    expect(events[1]).toEqual({
      type: 'tool-call',
      toolCallId: 'call_add',
      toolName: 'add',
      input: { a: 2, b: 40 },
      invalid: false,
    });
    expect(events[2]).toEqual({ type: 'tool-result', toolCallId: 'call_add', toolName: 'add', output: { sum: 42 } });
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 80, outputTokens: 13, totalTokens: 93 },
    });

    const [first, second] = server.chatRequests();
    expect(first!.body!.tools).toEqual([
      expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'add' }) }),
    ]);
    expect(second!.body!.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_add',
      content: JSON.stringify({ sum: 42 }),
    });
  });

  it('tells the model about malformed tool JSON and an unknown tool, and the loop goes on', async () => {
    server.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          { id: 'call_broken', name: 'add', argumentChunks: ['{"a": 1, "b":'] },
          { id: 'call_unknown', name: 'format_disk', argumentChunks: ['{}'] },
        ],
      },
      { kind: 'text', chunks: ['Sorry, let me fix that.'] },
    );
    const executed: { a: number; b: number }[] = [];
    const events = await collect(provider.streamTurn(turn({ tools: { add: addTool(executed) } })));

    expect(executed).toEqual([]);
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls.map((call) => [call.toolCallId, call.invalid])).toEqual([
      ['call_broken', true],
      ['call_unknown', true],
    ]);
    const errors = events.filter((event) => event.type === 'tool-error');
    expect(errors.map((error) => error.toolCallId)).toEqual(['call_broken', 'call_unknown']);
    expect(errors[1]!.message).toMatch(/format_disk/);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(textOf(events)).toBe('Sorry, let me fix that.');

    const toolMessages = server.chatRequests()[1]!.body!.messages.filter((message) => message.role === 'tool');
    expect(toolMessages.map((message) => message.tool_call_id)).toEqual(['call_broken', 'call_unknown']);
    for (const message of toolMessages) expect(String(message.content)).toMatch(/error|invalid|unavailable/i);
  });

  it('stops at maxSteps even when the model keeps calling tools', async () => {
    const call: ScriptedStep = { kind: 'tool-calls', calls: [{ name: 'add', argumentChunks: ['{"a":1,"b":1}'] }] };
    server.enqueue(call, call, call);
    const executed: { a: number; b: number }[] = [];
    const events = await collect(provider.streamTurn(turn({ tools: { add: addTool(executed) }, maxSteps: 2 })));

    expect(server.chatRequests()).toHaveLength(2);
    expect(executed).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('ends cleanly when stopped mid-stream, with any abort reason, and hangs up on the model', async () => {
    server.enqueue({ kind: 'text', chunks: ['Working', ' on it'], hang: true });
    const stop = new AbortController();
    const events: TurnEvent[] = [];
    for await (const event of provider.streamTurn(turn({ abortSignal: stop.signal }))) {
      events.push(event);
      // A plain Error as the reason: the provider must still end with 'stopped', not a failed call.
      if (event.type === 'text') stop.abort(new Error('user pressed Stop'));
    }

    expect(events.at(-1)).toEqual({ type: 'stopped' });
    expect(events.filter((event) => event.type === 'failed')).toEqual([]);
    expect(await server.chatRequests()[0]!.ended).toBe('client-closed');
  });

  it('stops a running tool: its abortSignal fires and the turn ends stopped without another model call', async () => {
    server.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_wait', name: 'wait', argumentChunks: ['{}'] }] });
    const stop = new AbortController();
    let toolSawAbort = false;
    const wait = tool({
      description: 'Waits until stopped (a long command)',
      inputSchema: z.object({}),
      execute: (_input, { abortSignal }) =>
        new Promise<string>((_resolve, reject) => {
          abortSignal?.addEventListener('abort', () => {
            toolSawAbort = true;
            reject(new Error('interrupted'));
          });
          stop.abort(); // the user presses Stop while the tool runs
        }),
    });
    const events = await collect(provider.streamTurn(turn({ tools: { wait }, abortSignal: stop.signal })));

    expect(toolSawAbort).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'stopped' });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('reports an HTTP error from the model as a failed turn', async () => {
    server.enqueue({ kind: 'http-error', status: 500, body: 'model exploded' });
    const events = await collect(provider.streamTurn(turn()));

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'failed', message: expect.stringMatching(/model exploded/) });
  });
});
