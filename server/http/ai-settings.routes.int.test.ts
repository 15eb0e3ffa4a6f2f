// A user's own model providers on a real server (real PostgreSQL): GET/PUT /api/v1/me/ai-settings
// answer keys masked and store them sealed; a field omitted stays, null clears it; each user has
// their own; a URL on an internal address is refused unless AI_ALLOW_PRIVATE_HOSTS lists its host;
// and GET /api/v1/ai/models lists the user's own OpenAI-compatible server's models (the scripted
// model server on loopback, allowed through AI_ALLOW_PRIVATE_HOSTS) for them and nobody else.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_HINT } from '../assistant';
import type { AiModelListDto, ApiErrorBody, CreatedTokenDto, UserAiSettingsDto } from '../contracts';
import { createLogger } from '../core/logger';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { startScriptedModelServer, type ScriptedModelServer } from '../test-support/scripted-model-server';

const OPENAI_KEY = 'sk-user-own-key-0123456789abcd';
const ANTHROPIC_KEY = 'sk-ant-user-key-9876543210wxyz';
const SETTINGS = '/api/v1/me/ai-settings';

let model: ScriptedModelServer;
let t: TestServer;
let alice: TestUser;
let bob: TestUser;
const logLines: string[] = [];

beforeAll(async () => {
  model = await startScriptedModelServer({ models: ['own-coder-1', 'own-coder-2'], apiKey: OPENAI_KEY });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  // No admin provider: whatever a user sees, they see through their own settings.
  t = await startTestServer({ AI_ALLOW_PRIVATE_HOSTS: '127.0.0.1' }, createLogger('debug', sink));
  [alice, bob] = await Promise.all([createSignedInUser(t.baseUrl), createSignedInUser(t.baseUrl)]);
});
afterAll(async () => {
  await t?.stop();
  await model?.close();
});

const settingsOf = async (user: TestUser) => {
  const response = await call(t.baseUrl, 'GET', SETTINGS, { cookie: user.cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as UserAiSettingsDto;
};
const put = (user: TestUser, body: unknown, origin?: string) =>
  call(t.baseUrl, 'PUT', SETTINGS, { cookie: user.cookie, ...(origin ? { origin } : {}) }, body);
const storedRow = (userId: string) => t.server.database.prisma.userAiSettings.findUnique({ where: { userId } });

describe('/api/v1/me/ai-settings', () => {
  it('answers 401 without a session', async () => {
    expect((await call(t.baseUrl, 'GET', SETTINGS)).status).toBe(401);
    expect((await call(t.baseUrl, 'PUT', SETTINGS, {}, { ollamaUrl: null })).status).toBe(401);
  });

  it('starts with nothing set', async () => {
    expect(await settingsOf(alice)).toEqual({
      openaiBaseUrl: null,
      openaiApiKey: { set: false, masked: null },
      anthropicApiKey: { set: false, masked: null },
      ollamaUrl: null,
      updatedAt: null,
    });
  });

  it('saves keys sealed and answers them masked, in the PUT and every GET after', async () => {
    const response = await put(alice, {
      openaiBaseUrl: `${model.baseUrl}/`,
      openaiApiKey: OPENAI_KEY,
      anthropicApiKey: ANTHROPIC_KEY,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain(ANTHROPIC_KEY);
    const expected = {
      openaiBaseUrl: model.baseUrl, // stored without the trailing slash
      openaiApiKey: { set: true, masked: 'sk-…abcd' },
      anthropicApiKey: { set: true, masked: 'sk-…wxyz' },
      ollamaUrl: null,
    };
    expect(JSON.parse(text)).toMatchObject(expected);
    expect(await settingsOf(alice)).toMatchObject(expected);

    const row = await storedRow(alice.id);
    for (const [sealed, key] of [
      [row!.openaiApiKey!, OPENAI_KEY],
      [row!.anthropicApiKey!, ANTHROPIC_KEY],
    ] as const) {
      expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(sealed).not.toContain(key);
      expect(sealed).not.toContain(key.slice(-10));
      expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('latin1')).not.toContain(key.slice(3, 12));
    }
    expect(logLines.join('')).not.toContain(OPENAI_KEY);
    expect(logLines.join('')).not.toContain(ANTHROPIC_KEY);
  });

  it('leaves a field that is not sent as it is, and clears one sent as null', async () => {
    const sealedBefore = (await storedRow(alice.id))!.openaiApiKey;
    const response = await put(alice, { anthropicApiKey: null, ollamaUrl: 'http://127.0.0.1:1/' });
    expect(response.status).toBe(200);
    expect((await response.json()) as UserAiSettingsDto).toMatchObject({
      openaiBaseUrl: model.baseUrl,
      openaiApiKey: { set: true, masked: 'sk-…abcd' },
      anthropicApiKey: { set: false, masked: null },
      ollamaUrl: 'http://127.0.0.1:1',
    });
    const row = await storedRow(alice.id);
    expect(row!.openaiApiKey).toBe(sealedBefore);
    expect(row!.anthropicApiKey).toBeNull();
    expect((await put(alice, { ollamaUrl: null })).status).toBe(200);
    expect((await settingsOf(alice)).ollamaUrl).toBeNull();
  });

  it('keeps each user’s settings their own', async () => {
    expect(await settingsOf(bob)).toMatchObject({ openaiBaseUrl: null, openaiApiKey: { set: false } });
    expect((await put(bob, { anthropicApiKey: 'sk-ant-bobs-own-key-00000000' })).status).toBe(200);
    expect((await settingsOf(alice)).anthropicApiKey).toEqual({ set: false, masked: null });
    expect((await settingsOf(bob)).anthropicApiKey).toEqual({ set: true, masked: 'sk-…0000' });
    expect((await put(bob, { anthropicApiKey: null })).status).toBe(200);
  });

  it('refuses URLs on internal addresses unless AI_ALLOW_PRIVATE_HOSTS lists the host', async () => {
    for (const [field, url] of [
      ['openaiBaseUrl', 'http://10.1.2.3/v1'],
      ['openaiBaseUrl', 'http://169.254.169.254/latest'],
      ['ollamaUrl', 'http://localhost:8080'],
      ['ollamaUrl', 'http://[::ffff:127.0.0.2]:11434'],
    ] as const) {
      const response = await put(bob, { [field]: url });
      expect(response.status, url).toBe(400);
      const body = (await response.json()) as ApiErrorBody;
      expect(body.fieldErrors?.[field]?.[0], url).toMatch(/internal address.*AI_ALLOW_PRIVATE_HOSTS/);
    }
    // The same refusal for a try-out, which would call the URL at once.
    const tried = await call(
      t.baseUrl,
      'POST',
      `${SETTINGS}/test`,
      { cookie: bob.cookie },
      { openaiBaseUrl: 'http://192.168.0.10/v1' },
    );
    expect(tried.status).toBe(400);
    expect(await settingsOf(bob)).toMatchObject({ openaiBaseUrl: null, ollamaUrl: null });
  });

  it('answers field errors for what does not fit', async () => {
    const response = await put(bob, {
      openaiBaseUrl: 'ftp://example.com/v1',
      openaiApiKey: 'x'.repeat(501),
      ollamaUrl: 'http://user:pass@example.com',
    });
    expect(response.status).toBe(400);
    const { fieldErrors } = (await response.json()) as ApiErrorBody;
    expect(Object.keys(fieldErrors ?? {}).sort()).toEqual(['ollamaUrl', 'openaiApiKey', 'openaiBaseUrl']);
    expect((await put(bob, { somethingElse: 1 })).status).toBe(400);
  });

  it('refuses a cookie change from another origin, and takes a bearer token', async () => {
    expect((await put(bob, { ollamaUrl: null }, 'https://evil.example')).status).toBe(403);
    const created = await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: bob.cookie }, { name: 'cli' });
    const { token } = (await created.json()) as CreatedTokenDto;
    const response = await call(
      t.baseUrl,
      'PUT',
      SETTINGS,
      { token, origin: null },
      { anthropicApiKey: 'sk-ant-from-the-cli-11112222' },
    );
    expect(response.status).toBe(200);
    expect((await settingsOf(bob)).anthropicApiKey).toEqual({ set: true, masked: 'sk-…2222' });
    expect((await put(bob, { anthropicApiKey: null })).status).toBe(200);
  });

  it('tries settings before saving them: the models found, or why not', async () => {
    const before = model.requests.length;
    const tried = await call(
      t.baseUrl,
      'POST',
      `${SETTINGS}/test`,
      { cookie: bob.cookie },
      { openaiBaseUrl: model.baseUrl, openaiApiKey: OPENAI_KEY },
    );
    expect(tried.status).toBe(200);
    expect(((await tried.json()) as AiModelListDto).models.map((m) => m.id)).toEqual([
      'openai:own-coder-1',
      'openai:own-coder-2',
    ]);
    expect(model.requests.at(-1)!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(model.requests.length).toBe(before + 1);
    // Wrong key: the provider's refusal, said.
    const wrong = await call(
      t.baseUrl,
      'POST',
      `${SETTINGS}/test`,
      { cookie: bob.cookie },
      { openaiBaseUrl: model.baseUrl, openaiApiKey: 'sk-wrong-key-000000000000' },
    );
    expect(((await wrong.json()) as AiModelListDto).unreachable).toEqual([
      { provider: 'openai', message: expect.stringMatching(/HTTP 401/) as unknown as string },
    ]);
    expect(await settingsOf(bob)).toMatchObject({ openaiBaseUrl: null, openaiApiKey: { set: false } });
  });
});

describe('GET /api/v1/ai/models with a user’s own provider', () => {
  it('lists the models of Alice’s own endpoint for Alice, asked with her key, and not for Bob', async () => {
    const forAlice = await call(t.baseUrl, 'GET', '/api/v1/ai/models', { cookie: alice.cookie });
    expect(forAlice.status).toBe(200);
    const text = await forAlice.text();
    expect(JSON.parse(text) as AiModelListDto).toEqual({
      models: [
        { id: 'openai:own-coder-1', provider: 'openai', label: 'own-coder-1', tools: true },
        { id: 'openai:own-coder-2', provider: 'openai', label: 'own-coder-2', tools: true },
      ],
    });
    expect(text).not.toContain(OPENAI_KEY);
    expect(model.requests.at(-1)!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);

    const before = model.requests.length;
    const forBob = await call(t.baseUrl, 'GET', '/api/v1/ai/models', { cookie: bob.cookie });
    const bobs = (await forBob.json()) as AiModelListDto;
    expect(bobs.models).toEqual([]);
    expect(bobs.setup).toBe(SETUP_HINT);
    expect(model.requests.length).toBe(before);
  });

  it('stops listing them once Alice clears her URL and key', async () => {
    expect((await put(alice, { openaiBaseUrl: null, openaiApiKey: null })).status).toBe(200);
    const answer = (await (
      await call(t.baseUrl, 'GET', '/api/v1/ai/models', { cookie: alice.cookie })
    ).json()) as AiModelListDto;
    expect(answer.models).toEqual([]);
    expect(answer.setup).toBe(SETUP_HINT);
  });
});
