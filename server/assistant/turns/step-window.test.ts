import { tool, type ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startScriptedModelServer } from '../../test-support/scripted-model-server';
import { OpenAICompatibleProvider } from '../models/openai-compatible-provider';
import { fitStepMessages, STEP_CUT_CHARS } from './step-window';

const read = (id: string, text: string): ModelMessage[] => [
  {
    role: 'assistant',
    content: [{ type: 'tool-call', toolCallId: id, toolName: 'read_file', input: { path: `${id}.js` } }],
  },
  {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: id, toolName: 'read_file', output: { type: 'text', value: text } }],
  },
];

const tokens = (messages: readonly ModelMessage[]) =>
  messages.reduce((sum, message) => sum + Math.ceil(JSON.stringify(message.content).length / 4), 0);

describe('fitStepMessages', () => {
  it('leaves messages that fit alone', () => {
    const messages: ModelMessage[] = [{ role: 'user', content: 'hi' }, ...read('a', 'short')];
    expect(fitStepMessages(messages, 1_000)).toBeUndefined();
  });

  it('cuts the oldest outputs to their end first, until the step fits, and never the newest message', () => {
    const big = (n: number) => `${n}:${'x'.repeat(4_000)}:end${n}`;
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Read everything' },
      ...read('a', big(1)),
      ...read('b', big(2)),
      ...read('c', big(3)),
    ];
    const budget = tokens(messages) - 1_000; // one cut output frees about 850 tokens: two are cut
    const fitted = fitStepMessages(messages, budget)!;
    expect(tokens(fitted)).toBeLessThanOrEqual(budget);
    const outputs = fitted
      .filter((message) => message.role === 'tool')
      .map((message) => (message.content[0] as { output: { value: string } }).output.value);
    expect(outputs[0]).toMatch(/^\[… \d+ earlier characters left out …\]\nx+:end1$/);
    expect(outputs[0]!.length).toBeLessThan(STEP_CUT_CHARS + 60);
    expect(outputs[1]).toMatch(/:end2$/);
    expect(outputs[1]!.length).toBeLessThan(STEP_CUT_CHARS + 60);
    expect(outputs[2]).toBe(big(3)); // the newest result: what the model answers now
    expect(messages[2]).toEqual(read('a', big(1))[1]); // the turn's own messages are not changed
  });

  it('cuts a long argument (a whole file written) to its start, and JSON outputs as text', () => {
    const messages: ModelMessage[] = [
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            toolCallId: 'w',
            toolName: 'write_file',
            input: { path: 'big.js', content: `START${'y'.repeat(5_000)}` },
          },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'w',
            toolName: 'search',
            output: { type: 'json', value: { hits: Array.from({ length: 500 }, (_, i) => `hit ${i}`) } },
          },
        ],
      },
      { role: 'user', content: 'go on' },
    ];
    const fitted = fitStepMessages(messages, 100)!;
    const call = (fitted[0]!.content as { input: { path: string; content: string } }[])[0]!;
    expect(call.input.path).toBe('big.js');
    expect(call.input.content).toMatch(/^STARTy+\n\[… \d+ more characters left out …\]$/);
    const result = (fitted[1]!.content as { output: { type: string; value: string } }[])[0]!;
    expect(result.output.type).toBe('text');
    expect(result.output.value).toMatch(/hit 499"\]\}$/);
  });
});

describe('in a real tool loop (scripted model server)', () => {
  it("sends a later step the earlier calls' outputs cut, the newest whole", async () => {
    const server = await startScriptedModelServer({ models: ['m'] });
    try {
      const provider = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, maxRetries: 0 });
      const call = (id: string) => ({ id, name: 'dump', argumentChunks: ['{}'] });
      server.enqueue(
        { kind: 'tool-calls', calls: [call('c1')] },
        { kind: 'tool-calls', calls: [call('c2')] },
        { kind: 'text', chunks: ['done'] },
      );
      let n = 0;
      const dump = tool({
        description: 'Prints a lot',
        inputSchema: z.object({}),
        execute: async () => `${++n}:${'z'.repeat(5_000)}:TAIL${n}`,
      });
      const events = provider.streamTurn({
        model: 'm',
        system: 's',
        messages: [{ role: 'user', content: 'dump twice' }],
        tools: { dump },
        abortSignal: new AbortController().signal,
        maxSteps: 5,
        fitMessages: (messages) => fitStepMessages(messages, 1_500),
      });
      for await (const event of events) if (event.type === 'failed') throw new Error(event.message);
      const third = server.chatRequests()[2]!.body!.messages.filter((message) => message.role === 'tool');
      expect(third.map((message) => String(message.content).length)).toEqual([
        expect.any(Number),
        '2:'.length + 5_000 + ':TAIL2'.length,
      ]);
      expect(String(third[0]!.content).length).toBeLessThan(STEP_CUT_CHARS + 60);
      expect(String(third[0]!.content)).toMatch(/^\[… \d+ earlier characters left out …\]\nz+:TAIL1$/);
    } finally {
      await server.close();
    }
  });
});
