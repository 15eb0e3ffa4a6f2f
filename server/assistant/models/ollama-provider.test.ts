// The Ollama-native provider against a loopback server speaking Ollama's streamed /api/chat
// (NDJSON lines, `done` last with the token counts): the real SDK path, no mocks.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tool } from 'ai';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import type { TurnEvent } from './model-provider';
import { OllamaProvider } from './ollama-provider';

interface OllamaChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content: string }[];
  tools?: { function: { name: string } }[];
}

let server: Server;
let url: string;
const received: OllamaChatRequest[] = [];
/** One array of NDJSON lines per /api/chat request, in order. */
const answers: object[][] = [];

const line = (message: object, extra: object = { done: false }) => ({
  model: 'qwen-test',
  created_at: new Date().toISOString(),
  message: { role: 'assistant', content: '', ...message },
  ...extra,
});

beforeEach(async () => {
  received.length = 0;
  answers.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url !== '/api/chat') {
        res.writeHead(404).end();
        return;
      }
      received.push(JSON.parse(Buffer.concat(chunks).toString()) as OllamaChatRequest);
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (const answer of answers.shift() ?? []) res.write(`${JSON.stringify(answer)}\n`);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('streams a turn through Ollama’s /api/chat: a tool call, its result back, then text with usage', async () => {
  answers.push(
    [
      line({ tool_calls: [{ function: { name: 'add', arguments: { a: 2, b: 3 } } }] }),
      line({}, { done: true, done_reason: 'stop', prompt_eval_count: 20, eval_count: 6 }),
    ],
    [
      line({ content: 'It is ' }),
      line({ content: '5.' }),
      line({}, { done: true, done_reason: 'stop', prompt_eval_count: 30, eval_count: 4 }),
    ],
  );
  const provider = new OllamaProvider({ url, maxRetries: 0 });
  const add = tool({
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    execute: async ({ a, b }) => a + b,
  });
  const events: TurnEvent[] = [];
  for await (const event of provider.streamTurn({
    model: 'qwen-test',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'What is 2 + 3?' }],
    tools: { add },
    abortSignal: new AbortController().signal,
    maxSteps: 4,
  }))
    events.push(event);

  expect(events.find((event) => event.type === 'tool-result')).toMatchObject({ toolName: 'add', output: 5 });
  expect(events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('')).toBe('It is 5.');
  expect(events.at(-1)).toMatchObject({ type: 'finish', usage: { inputTokens: 50, outputTokens: 10 } });
  expect(received).toHaveLength(2);
  expect(received[0]).toMatchObject({ model: 'qwen-test', stream: true });
  expect(received[0]!.tools?.map((entry) => entry.function.name)).toEqual(['add']);
  expect(received[1]!.messages.at(-1)).toMatchObject({ role: 'tool', content: '5' });
});
