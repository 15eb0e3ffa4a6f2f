// The registry from settings: which providers exist, their models listed from the real endpoints
// (the scripted OpenAI-compatible server; a loopback server answering Ollama's and Anthropic's
// listing routes), what a model id resolves to, and the exact advice when nothing is configured.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedModelServer, type ScriptedModelServer } from '../../test-support/scripted-model-server';
import { AnthropicProvider } from './anthropic-provider';
import { localModelServerDetector } from './local-model-servers';
import type { ModelProvider } from './model-provider';
import { ModelRegistry, SETUP_HINT } from './model-registry';
import { OllamaProvider } from './ollama-provider';
import { OpenAICompatibleProvider } from './openai-compatible-provider';

const none = {
  AI_OPENAI_BASE_URL: undefined,
  AI_OPENAI_API_KEY: undefined,
  AI_ANTHROPIC_API_KEY: undefined,
  AI_OLLAMA_URL: undefined,
  AI_DEFAULT_MODEL: undefined,
};

let openai: ScriptedModelServer;
let other: Server;
let otherUrl: string;
const otherRequests: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeEach(async () => {
  openai = await startScriptedModelServer({ models: ['gpt-test'] });
  otherRequests.length = 0;
  // Ollama's GET /api/tags and POST /api/show, and Anthropic's GET /v1/models.
  other = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      otherRequests.push({ path, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (path === '/api/tags')
        return res.end(JSON.stringify({ models: [{ name: 'qwen2.5-coder:7b' }, { name: 'gemma:2b' }] }));
      if (path === '/api/show') {
        const { model } = JSON.parse(body) as { model: string };
        return res.end(
          JSON.stringify({ capabilities: model === 'gemma:2b' ? ['completion'] : ['completion', 'tools'] }),
        );
      }
      if (path === '/v1/models' && req.headers['x-api-key'] === 'sk-ant-test')
        return res.end(JSON.stringify({ data: [{ id: 'claude-test-1', display_name: 'Claude Test 1' }] }));
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await openai.close();
  other.closeAllConnections();
  await new Promise<void>((resolve) => other.close(() => resolve()));
});

/** A loopback port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('ModelRegistry', () => {
  it('with no provider configured, lists nothing and says exactly what to set', async () => {
    const registry = ModelRegistry.fromSettings(none);
    expect(registry.configured).toBe(false);
    expect(await registry.listModels()).toEqual({ models: [], setup: SETUP_HINT });
    for (const setting of ['AI_OPENAI_BASE_URL', 'AI_OPENAI_API_KEY', 'AI_ANTHROPIC_API_KEY', 'AI_OLLAMA_URL'])
      expect(SETUP_HINT).toContain(setting);
    await expect(registry.resolve()).rejects.toMatchObject({ kind: 'not_configured', message: SETUP_HINT });
  });

  it('lists every configured provider’s models and reports one that does not answer', async () => {
    const registry = ModelRegistry.fromSettings({
      ...none,
      AI_OPENAI_BASE_URL: openai.baseUrl,
      AI_OLLAMA_URL: await closedPortUrl(),
    });
    const listed = await registry.listModels();
    expect(listed.models).toEqual([{ id: 'openai:gpt-test', provider: 'openai', label: 'gpt-test', tools: true }]);
    expect(listed.unreachable).toEqual([{ provider: 'ollama', message: expect.stringMatching(/ECONNREFUSED/) }]);
    expect(listed.setup).toBeUndefined();
  });

  it('lists Ollama’s tags with tool support from each model’s capabilities', async () => {
    const ollama = new OllamaProvider({ url: `${otherUrl}/`, maxRetries: 0 });
    expect(await ollama.listModels()).toEqual([
      { id: 'ollama:qwen2.5-coder:7b', provider: 'ollama', label: 'qwen2.5-coder:7b', tools: true },
      { id: 'ollama:gemma:2b', provider: 'ollama', label: 'gemma:2b', tools: false },
    ]);
  });

  it('lists Anthropic’s models with the key in x-api-key and the API version', async () => {
    const anthropic = new AnthropicProvider({ apiKey: 'sk-ant-test', baseUrl: `${otherUrl}/v1`, maxRetries: 0 });
    expect(await anthropic.listModels()).toEqual([
      { id: 'anthropic:claude-test-1', provider: 'anthropic', label: 'Claude Test 1', tools: true },
    ]);
    expect(otherRequests[0]!.headers['anthropic-version']).toBe('2023-06-01');
    const wrongKey = new AnthropicProvider({ apiKey: 'sk-ant-wrong', baseUrl: `${otherUrl}/v1`, maxRetries: 0 });
    await expect(wrongKey.listModels()).rejects.toThrow(/HTTP 404/);
  });

  it('resolves an explicit id, then AI_DEFAULT_MODEL, then the first model listed', async () => {
    const settings = { ...none, AI_OPENAI_BASE_URL: openai.baseUrl };
    const registry = ModelRegistry.fromSettings(settings);
    expect(await registry.resolve('openai:other-model')).toMatchObject({
      model: 'other-model',
      id: 'openai:other-model',
    });
    expect((await registry.resolve('openai:other-model')).provider.id).toBe('openai');
    expect(await registry.resolve()).toMatchObject({ model: 'gpt-test', id: 'openai:gpt-test' });
    const withDefault = ModelRegistry.fromSettings({ ...settings, AI_DEFAULT_MODEL: 'openai:qwen:7b' });
    expect(await withDefault.resolve()).toMatchObject({ model: 'qwen:7b', id: 'openai:qwen:7b' });

    await expect(registry.resolve('anthropic:claude')).rejects.toMatchObject({ code: 'provider_not_configured' });
    await expect(registry.resolve('gpt-4')).rejects.toMatchObject({ code: 'bad_model' });
    await expect(registry.resolve('openai:')).rejects.toMatchObject({ code: 'bad_model' });
  });
});

describe('ModelRegistry for a user with their own providers', () => {
  let own: ScriptedModelServer;
  beforeEach(async () => {
    own = await startScriptedModelServer({ models: ['mine-1', 'mine-2'] });
  });
  afterEach(() => own.close());

  /** Alice has her own OpenAI-compatible endpoint; nobody else has anything of their own. */
  const userProviders = {
    providersFor: async (userId: string): Promise<ModelProvider[]> =>
      userId === 'alice' ? [new OpenAICompatibleProvider({ baseUrl: own.baseUrl, maxRetries: 0 })] : [],
  };

  it('lists the user’s own models instead of the admin’s of the same provider, and the admin’s others', async () => {
    const registry = ModelRegistry.fromSettings(
      { ...none, AI_OPENAI_BASE_URL: openai.baseUrl, AI_OLLAMA_URL: otherUrl },
      0,
      { userProviders },
    );
    const ids = async (userId?: string) => (await registry.listModels(undefined, userId)).models.map((m) => m.id);
    expect(await ids('alice')).toEqual([
      'ollama:qwen2.5-coder:7b',
      'ollama:gemma:2b',
      'openai:mine-1',
      'openai:mine-2',
    ]);
    expect(await ids('bob')).toEqual(['openai:gpt-test', 'ollama:qwen2.5-coder:7b', 'ollama:gemma:2b']);
    expect(await ids()).toEqual(await ids('bob'));
  });

  it('resolves with the user’s provider, and drops AI_DEFAULT_MODEL when its provider is theirs', async () => {
    const registry = ModelRegistry.fromSettings(
      { ...none, AI_OPENAI_BASE_URL: openai.baseUrl, AI_DEFAULT_MODEL: 'openai:gpt-test' },
      0,
      { userProviders },
    );
    expect(await registry.resolve(undefined, 'alice')).toMatchObject({ id: 'openai:mine-1', model: 'mine-1' });
    expect(await registry.resolve(undefined, 'bob')).toMatchObject({ id: 'openai:gpt-test' });
    // The same id, a different endpoint per user.
    own.enqueue({ kind: 'text', chunks: ['from alice’s endpoint'] });
    const { provider } = await registry.resolve('openai:mine-2', 'alice');
    for await (const event of provider.streamTurn({
      model: 'mine-2',
      system: 's',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: {},
      abortSignal: new AbortController().signal,
      maxSteps: 1,
    }))
      if (event.type === 'failed') throw new Error(event.message);
    expect(own.chatRequests().map((request) => request.body?.model)).toEqual(['mine-2']);
    expect(openai.chatRequests()).toHaveLength(0);
  });

  it('with nothing configured for the user either, offers the model servers found on localhost', async () => {
    const detectLocal = localModelServerDetector([
      { provider: 'ollama', label: 'Ollama', baseUrl: otherUrl },
      { provider: 'openai', label: 'LM Studio', baseUrl: `${await closedPortUrl()}/v1` },
      { provider: 'openai', label: 'LM Studio', baseUrl: openai.baseUrl },
    ]);
    const registry = ModelRegistry.fromSettings(none, 0, { userProviders, detectLocal });
    expect(await registry.listModels(undefined, 'bob')).toEqual({
      models: [],
      setup: SETUP_HINT,
      detected: [
        { provider: 'ollama', label: 'Ollama', baseUrl: otherUrl, models: ['qwen2.5-coder:7b', 'gemma:2b'] },
        { provider: 'openai', label: 'LM Studio', baseUrl: openai.baseUrl, models: ['gpt-test'] },
      ],
    });
    // Alice has her own: nothing to set up, nothing probed for her.
    const forAlice = await registry.listModels(undefined, 'alice');
    expect(forAlice.setup).toBeUndefined();
    expect(forAlice.detected).toBeUndefined();
    expect(forAlice.models.map((m) => m.id)).toEqual(['openai:mine-1', 'openai:mine-2']);
  });
});
