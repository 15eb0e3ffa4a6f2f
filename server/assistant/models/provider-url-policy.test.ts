// The SSRF policy for a user's provider URLs: checked when saved (internal addresses refused,
// unless the host is allowed or it is one of the offered local model servers), and enforced on
// every connection by the guarded fetch, which still carries a real streamed turn to an allowed host.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedModelServer, type ScriptedModelServer } from '../../test-support/scripted-model-server';
import type { TurnEvent } from './model-provider';
import { OpenAICompatibleProvider } from './openai-compatible-provider';
import {
  checkProviderUrl,
  createGuardedFetch,
  LOCAL_LM_STUDIO_URL,
  LOCAL_OLLAMA_URL,
  ProviderUrlRefused,
} from './provider-url-policy';

const dns =
  (answers: Record<string, string[]>) =>
  async (host: string): Promise<string[]> => {
    const found = answers[host];
    if (!found) throw new Error('ENOTFOUND');
    return found;
  };

describe('checkProviderUrl', () => {
  const resolve = dns({
    'api.example.com': ['93.184.216.34'],
    'intranet.example.com': ['10.0.0.7'],
    'mixed.example.com': ['93.184.216.34', '192.168.1.1'],
    'models.lab': ['127.0.0.1'],
  });

  it('takes public hosts', async () => {
    await expect(checkProviderUrl('https://api.example.com/v1', [], resolve)).resolves.toBeUndefined();
    await expect(checkProviderUrl('http://93.184.216.34:8080/v1', [], resolve)).resolves.toBeUndefined();
  });

  it('refuses internal addresses, literal or resolved, naming AI_ALLOW_PRIVATE_HOSTS', async () => {
    for (const url of [
      'http://127.0.0.1:1234/v1',
      'http://[::1]:11434',
      'http://[::ffff:10.0.0.1]/v1',
      'http://169.254.169.254/latest',
      'https://intranet.example.com/v1',
      'https://mixed.example.com/v1',
      'http://models.lab:8000/v1',
      'http://0.0.0.0:11434',
    ])
      await expect(checkProviderUrl(url, [], resolve), url).rejects.toThrow(/internal address.*AI_ALLOW_PRIVATE_HOSTS/);
  });

  it('takes an internal host the admin listed, and the offered local model servers exactly', async () => {
    await expect(checkProviderUrl('http://models.lab:8000/v1', ['models.lab'], resolve)).resolves.toBeUndefined();
    await expect(checkProviderUrl('http://127.0.0.1:9/v1', ['127.0.0.1'], resolve)).resolves.toBeUndefined();
    await expect(checkProviderUrl(LOCAL_OLLAMA_URL, [], resolve)).resolves.toBeUndefined();
    await expect(checkProviderUrl(`${LOCAL_LM_STUDIO_URL}/`, [], resolve)).resolves.toBeUndefined();
    await expect(checkProviderUrl('http://localhost:11434/api', [], dns({ localhost: ['127.0.0.1'] }))).rejects.toThrow(
      ProviderUrlRefused,
    );
  });

  it('refuses what is not an http(s) URL to a host that resolves', async () => {
    await expect(checkProviderUrl('ftp://api.example.com', [], resolve)).rejects.toThrow(/Only http/);
    await expect(checkProviderUrl('https://nowhere.example.com', [], resolve)).rejects.toThrow(/does not resolve/);
  });
});

describe('createGuardedFetch', () => {
  let server: ScriptedModelServer;
  beforeEach(async () => {
    server = await startScriptedModelServer({ models: ['coder-1'], apiKey: 'sk-guarded-0000' });
  });
  afterEach(() => server.close());

  const viaLocalhost = () => server.baseUrl.replace('127.0.0.1', 'localhost');

  it('refuses an internal address before connecting, literal or from DNS', async () => {
    const guarded = createGuardedFetch([]);
    await expect(guarded(`${server.baseUrl}/models`)).rejects.toThrow(/internal address/);
    await expect(guarded(`${viaLocalhost()}/models`)).rejects.toMatchObject({
      cause: expect.objectContaining({ message: expect.stringMatching(/internal address/) }) as unknown,
    });
    expect(server.requests).toHaveLength(0);
  });

  it('carries the model list and a streamed turn to an allowed host', async () => {
    for (const [allowed, baseUrl] of [
      [['127.0.0.1'], server.baseUrl],
      [['localhost'], viaLocalhost()],
    ] as const) {
      const provider = new OpenAICompatibleProvider({
        baseUrl,
        apiKey: 'sk-guarded-0000',
        maxRetries: 0,
        fetch: createGuardedFetch(allowed),
      });
      expect((await provider.listModels()).map((model) => model.id)).toEqual(['openai:coder-1']);
      server.enqueue({ kind: 'text', chunks: ['Hel', 'lo ', 'there'] });
      const events: TurnEvent[] = [];
      for await (const event of provider.streamTurn({
        model: 'coder-1',
        system: 'test',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: {},
        abortSignal: new AbortController().signal,
        maxSteps: 1,
      }))
        events.push(event);
      expect(events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('')).toBe('Hello there');
      expect(events.at(-1)?.type).toBe('finish');
    }
    expect(server.chatRequests()).toHaveLength(2);
  });
});
