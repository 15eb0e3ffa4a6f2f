// The Anthropic provider against a loopback server speaking the Messages API's event stream
// (message_start, content blocks, message_delta with the stop reason): the real SDK path, no mocks.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic-provider';
import type { TurnEvent } from './model-provider';

let server: Server;
let baseUrl: string;
const received: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];

const sse = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

beforeEach(async () => {
  received.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        sse('message_start', {
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-test',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 12, output_tokens: 1 },
          },
        }),
      );
      res.write(sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
      for (const text of ['Hello', ' from Claude'])
        res.write(sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }));
      res.write(sse('content_block_stop', { index: 0 }));
      res.write(
        sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } }),
      );
      res.end(sse('message_stop', {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('streams a text turn from the Messages API with the key in x-api-key and usage reported', async () => {
  const provider = new AnthropicProvider({ apiKey: 'sk-ant-test', baseUrl, maxRetries: 0 });
  const events: TurnEvent[] = [];
  for await (const event of provider.streamTurn({
    model: 'claude-test',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: {},
    abortSignal: new AbortController().signal,
    maxSteps: 2,
    maxOutputTokens: 1024,
  }))
    events.push(event);

  expect(events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('')).toBe('Hello from Claude');
  expect(events.at(-1)).toMatchObject({
    type: 'finish',
    finishReason: 'stop',
    usage: { inputTokens: 12, outputTokens: 4 },
  });
  expect(received).toHaveLength(1);
  expect(received[0]!.headers['x-api-key']).toBe('sk-ant-test');
  expect(received[0]!.body).toMatchObject({
    model: 'claude-test',
    stream: true,
    system: [{ type: 'text', text: 'Be brief.' }],
  });
});
