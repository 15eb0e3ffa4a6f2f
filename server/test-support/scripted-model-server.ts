// A real OpenAI-compatible model server on loopback for tests (plain node:http). It speaks the
// chat-completions streaming protocol exactly (role chunk, content deltas, streamed tool_calls
// deltas, finish_reason, the usage chunk when asked, `data: [DONE]`) and GET /v1/models. Each test
// scripts the answers: every chat request takes the next step from a queue, and every request is
// recorded so the test can check what the model was sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ScriptedToolCall {
  /** Defaults to call_<n>. */
  id?: string;
  name: string;
  /** The arguments as the model streams them: one fragment per chunk (need not be valid JSON). */
  argumentChunks: string[];
}

interface StepTiming {
  /** Wait this long before each chunk (a slow model). */
  delayMs?: number;
  /** Send what is scripted, then keep the response open without finishing it (a hung model). */
  hang?: boolean;
  usage?: ScriptedUsage;
}

export type ScriptedStep =
  | ({ kind: 'text'; chunks: string[]; finishReason?: 'stop' | 'length' } & StepTiming)
  | ({ kind: 'tool-calls'; text?: string[]; calls: ScriptedToolCall[] } & StepTiming)
  | { kind: 'http-error'; status: number; body?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (undefined for GET). */
  body: ChatRequestBody | undefined;
  /** Settles when the answer ended: sent in full, or the client went away first. */
  ended: Promise<'completed' | 'client-closed'>;
}

/** The parts of a chat-completions request the tests look at. */
export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; parameters?: unknown } }[];
  [key: string]: unknown;
}

export interface ScriptedModelServer {
  /** Base URL ending in /v1, as AI_OPENAI_BASE_URL takes it. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The chat requests only, in order. */
  chatRequests(): RecordedRequest[];
  enqueue(...steps: ScriptedStep[]): void;
  close(): Promise<void>;
}

export interface ScriptedModelServerOptions {
  /** Model ids GET /v1/models lists. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Listen on this loopback port (the e2e Berth is configured with it); default any free port. */
  port?: number;
}

export async function startScriptedModelServer(options: ScriptedModelServerOptions = {}): Promise<ScriptedModelServer> {
  const models = options.models ?? ['scripted-model'];
  const queue: ScriptedStep[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  let completions = 0;

  const server = createServer((req, res) => {
    open.add(res);
    let settle!: (how: 'completed' | 'client-closed') => void;
    const ended = new Promise<'completed' | 'client-closed'>((resolve) => (settle = resolve));
    res.on('close', () => {
      open.delete(res);
      settle(res.writableFinished ? 'completed' : 'client-closed');
    });
    void readBody(req).then((raw) => {
      const body = raw ? (JSON.parse(raw) as ChatRequestBody) : undefined;
      const path = new URL(req.url ?? '/', 'http://scripted').pathname;
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, ended });
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`)
        return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      if (req.method === 'GET' && path === '/v1/models')
        return sendJson(res, 200, {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'scripted' })),
        });
      if (req.method === 'POST' && path === '/v1/chat/completions' && body) {
        const step = queue.shift();
        if (!step) return sendJson(res, 500, { error: { message: 'scripted model server: no step queued' } });
        return void answer(res, body, step, `chatcmpl-${++completions}`);
      }
      sendJson(res, 404, { error: { message: `scripted model server: no route ${req.method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((request) => request.path === '/v1/chat/completions'),
    enqueue: (...steps) => queue.push(...steps),
    close: async () => {
      for (const res of open) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // idle keep-alive connections too
      await closed;
    },
  };
}

async function answer(res: ServerResponse, body: ChatRequestBody, step: ScriptedStep, id: string): Promise<void> {
  if (step.kind === 'http-error')
    return sendJson(res, step.status, { error: { message: step.body ?? `scripted HTTP ${step.status}` } });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: body.model,
    choices: choice ? [{ index: 0, ...choice }] : [],
    ...extra,
  });
  const events: object[] = [chunk({ delta: { role: 'assistant', content: '' }, finish_reason: null })];
  const text = step.kind === 'text' ? step.chunks : (step.text ?? []);
  for (const piece of text) events.push(chunk({ delta: { content: piece }, finish_reason: null }));
  if (step.kind === 'tool-calls')
    step.calls.forEach((call, index) => {
      const callId = call.id ?? `call_${index + 1}`;
      const opening = { index, id: callId, type: 'function', function: { name: call.name, arguments: '' } };
      events.push(chunk({ delta: { tool_calls: [opening] }, finish_reason: null }));
      for (const fragment of call.argumentChunks)
        events.push(
          chunk({ delta: { tool_calls: [{ index, function: { arguments: fragment } }] }, finish_reason: null }),
        );
    });
  const send = async (data: string) => {
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    if (!res.destroyed) res.write(`data: ${data}\n\n`);
  };
  for (const event of events) await send(JSON.stringify(event));
  if (step.hang) return; // left open until the client goes away or the server closes
  const finishReason = step.kind === 'text' ? (step.finishReason ?? 'stop') : 'tool_calls';
  await send(JSON.stringify(chunk({ delta: {}, finish_reason: finishReason })));
  if (body.stream_options?.include_usage) {
    const usage = step.usage ?? { prompt_tokens: 10, completion_tokens: Math.max(1, text.length) };
    await send(
      JSON.stringify(chunk(null, { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })),
    );
  }
  await send('[DONE]');
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
