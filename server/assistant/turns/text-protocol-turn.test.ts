// The text protocol turn against a real chat-completions server on loopback (scripted per test):
// the OpenAI-compatible provider streams the model's text one character per chunk, and the
// blocks are applied through real AI SDK tools (zod-checked) that record what they were given.
import { tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startScriptedModelServer, type ScriptedModelServer } from '../../test-support/scripted-model-server';
import type { TurnEvent, TurnRequest } from '../models/model-provider';
import { OpenAICompatibleProvider } from '../models/openai-compatible-provider';
import { filePathSchema } from '../tools/file-tool-context';
import { streamTextProtocolTurn } from './text-protocol-turn';
import { ModelProtocols, streamInProtocol, TOOLS_UNSUPPORTED } from './turn-protocol';

let server: ScriptedModelServer;
let provider: OpenAICompatibleProvider;
let written: { path: string; content: string }[];
let commands: string[];

beforeEach(async () => {
  server = await startScriptedModelServer({ models: ['small'] });
  provider = new OpenAICompatibleProvider({ baseUrl: server.baseUrl, maxRetries: 0 });
  written = [];
  commands = [];
});
afterEach(() => server.close());

const tools = () => ({
  write_file: tool({
    description: 'write',
    inputSchema: z.object({ path: filePathSchema, content: z.string() }),
    execute: async ({ path, content }) => {
      written.push({ path, content });
      return `Created ${path}.`;
    },
  }),
  run_command: tool({
    description: 'run',
    inputSchema: z.object({ command: z.string().min(1) }),
    execute: async ({ command }) => {
      commands.push(command);
      return command.includes('fail') ? 'Error: exit code 1' : `Exit code 0\nran ${command}`;
    },
  }),
});

function request(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    model: 'small',
    system: 'system',
    messages: [{ role: 'user', content: 'Make it' }],
    tools: tools(),
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

const kinds = (events: TurnEvent[]) => events.map((event) => event.type);
const textOf = (events: TurnEvent[]) => events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
const oneCharChunks = (text: string) => [...text];

describe('text protocol turn', () => {
  it('applies a file block as it completes, streamed one character per chunk, and sends no tools', async () => {
    const answer = 'Here it is.\n```file path=src/App.jsx\nexport default 1;\n```\nDone.';
    server.enqueue({ kind: 'text', chunks: oneCharChunks(answer) });
    const events = await collect(streamTextProtocolTurn(provider, request()));

    expect(written).toEqual([{ path: 'src/App.jsx', content: 'export default 1;\n' }]);
    expect(textOf(events)).toBe('Here it is.\nDone.');
    const call = events.find((event) => event.type === 'tool-call');
    expect(call).toEqual({
      type: 'tool-call',
      toolCallId: 'text_1_1',
      toolName: 'write_file',
      input: { path: 'src/App.jsx', content: 'export default 1;\n' },
      invalid: false,
    });
    expect(events.find((event) => event.type === 'tool-result')).toEqual({
      type: 'tool-result',
      toolCallId: 'text_1_1',
      toolName: 'write_file',
      output: 'Created src/App.jsx.',
    });
    // The write happened before the text after the block arrived: the call sits between the texts.
    const callAt = events.indexOf(call!);
    expect(textOf(events.slice(0, callAt))).toBe('Here it is.\n');
    expect(kinds(events).slice(-2)).toEqual(['step-finish', 'finish']);
    // One model call (a write alone needs no answer), without tools.
    expect(server.chatRequests()).toHaveLength(1);
    expect(server.chatRequests()[0]!.body!.tools).toBeUndefined();
  });

  it('runs a shell block, tells the model the output, and ends when it answers without blocks', async () => {
    server.enqueue(
      { kind: 'text', chunks: ['```shell\nnpm ', 'install\n```\n'] },
      { kind: 'text', chunks: ['Installed.'] },
    );
    const events = await collect(streamTextProtocolTurn(provider, request()));
    expect(commands).toEqual(['npm install']);
    expect(kinds(events)).toEqual(['tool-call', 'tool-result', 'step-finish', 'text', 'step-finish', 'finish']);
    const second = server.chatRequests()[1]!.body!.messages;
    expect(second.at(-2)).toMatchObject({ role: 'assistant', content: '```shell\nnpm install\n```\n' });
    expect(second.at(-1)).toMatchObject({ role: 'user' });
    expect(String(second.at(-1)!.content)).toContain('run_command: Exit code 0\nran npm install');
  });

  it('refuses a path outside the project and a block cut off at the end, writing nothing, as error results', async () => {
    server.enqueue(
      {
        kind: 'text',
        chunks: oneCharChunks('```file path=../../etc/passwd\nroot\n```\n```file path=src/big.js\nhalf of it'),
        finishReason: 'length',
      },
      { kind: 'text', chunks: ['Sorry.'] },
    );
    const events = await collect(streamTextProtocolTurn(provider, request()));
    expect(written).toEqual([]);
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls.map((call) => [call.toolName, call.invalid, (call.input as { path?: string }).path])).toEqual([
      ['write_file', true, '../../etc/passwd'],
      ['write_file', true, 'src/big.js'],
    ]);
    const errors = events.filter((event) => event.type === 'tool-error');
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(
        /^Error: \.\.\/\.\.\/etc\/passwd is not a path inside the project \(.*\.\."\); nothing was written/,
      ),
      expect.stringMatching(/^Error: The file block for src\/big\.js was not closed .* nothing was written/),
    ]);
    // The model was told, and answered.
    expect(server.chatRequests()).toHaveLength(2);
    expect(String(server.chatRequests()[1]!.body!.messages.at(-1)!.content)).toContain('not a path inside the project');
    expect(events.at(-1)).toMatchObject({ type: 'finish' });
  });

  it('stops at maxSteps even when commands keep failing', async () => {
    server.enqueue(
      { kind: 'text', chunks: ['```shell\nfail 1\n```'] },
      { kind: 'text', chunks: ['```shell\nfail 2\n```'] },
    );
    const events = await collect(streamTextProtocolTurn(provider, request({ maxSteps: 2 })));
    expect(commands).toEqual(['fail 1', 'fail 2']);
    expect(server.chatRequests()).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'finish' });
  });

  it('ends failed when the model answers an error', async () => {
    server.enqueue({ kind: 'http-error', status: 500, body: 'boom' });
    const events = await collect(streamTextProtocolTurn(provider, request()));
    expect(events).toEqual([{ type: 'failed', message: expect.stringContaining('boom') }]);
  });

  it('ends stopped mid-block on a stop, writing nothing', async () => {
    const stop = new AbortController();
    server.enqueue({ kind: 'text', chunks: ['Writing:\n', '```file path=a.txt\n', 'part'], hang: true });
    const events: TurnEvent[] = [];
    for await (const event of streamTextProtocolTurn(provider, request({ abortSignal: stop.signal }))) {
      events.push(event);
      if (events.length === 1) stop.abort();
    }
    expect(written).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'stopped' });
  });
});

describe('protocol choice and fallback', () => {
  it('switches a turn to the text protocol when the model says it takes no tools, and remembers it', async () => {
    server.enqueue(
      { kind: 'http-error', status: 400, body: 'registry.ollama.ai/library/gemma:2b does not support tools' },
      { kind: 'text', chunks: ['```file path=x.txt\nx\n```\n'] },
    );
    const protocols = new ModelProtocols({ textProtocolModels: [] });
    const built: string[] = [];
    const events = await collect(
      streamInProtocol(
        provider,
        (protocol) => {
          built.push(protocol);
          return request({ system: protocol });
        },
        await protocols.protocolFor('openai:small', 'u1'),
        () => protocols.learnNoTools('openai:small'),
      ),
    );
    expect(built).toEqual(['tools', 'text']);
    expect(written).toEqual([{ path: 'x.txt', content: 'x\n' }]);
    expect(events.some((event) => event.type === 'failed')).toBe(false);
    expect(server.chatRequests()[0]!.body!.tools?.length).toBeGreaterThan(0);
    expect(server.chatRequests()[1]!.body!.tools).toBeUndefined();
    expect(await protocols.protocolFor('openai:small', 'u1')).toBe('text');
  });

  it('keeps other failures as failures', async () => {
    server.enqueue({ kind: 'http-error', status: 400, body: 'context too long' });
    const events = await collect(
      streamInProtocol(
        provider,
        () => request(),
        'tools',
        () => undefined,
      ),
    );
    expect(events).toEqual([{ type: 'failed', message: expect.stringContaining('context too long') }]);
  });

  it('picks text for AI_TEXT_PROTOCOL_MODELS and for models the listing marks tools:false', async () => {
    const protocols = new ModelProtocols({
      textProtocolModels: ['ollama:forced'],
      listModels: async () => ({
        models: [
          { id: 'ollama:plain', provider: 'ollama', label: 'plain', tools: false },
          { id: 'ollama:smart', provider: 'ollama', label: 'smart', tools: true },
        ],
      }),
    });
    expect(await protocols.protocolFor('ollama:forced', 'u')).toBe('text');
    expect(await protocols.protocolFor('ollama:plain', 'u')).toBe('text');
    expect(await protocols.protocolFor('ollama:smart', 'u')).toBe('tools');
    // A listing that fails decides nothing: tools.
    const broken = new ModelProtocols({ textProtocolModels: [], listModels: () => Promise.reject(new Error('down')) });
    expect(await broken.protocolFor('ollama:plain', 'u')).toBe('tools');
  });

  it('recognises how providers say a model takes no tools', () => {
    for (const message of [
      'registry.ollama.ai/library/llama2:latest does not support tools',
      'This model does not support function calling',
      'tool use is not supported for this model',
      'No endpoints found that support tool use.',
      'tools are unsupported',
    ])
      expect(TOOLS_UNSUPPORTED.test(message), message).toBe(true);
    for (const message of ['context too long', 'Incorrect API key provided', 'rate limit reached'])
      expect(TOOLS_UNSUPPORTED.test(message), message).toBe(false);
  });
});
