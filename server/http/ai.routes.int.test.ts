// GET /api/v1/ai/models on a real server (real PostgreSQL) whose OpenAI-compatible provider is the
// scripted model server on loopback: models listed, 401 without a session, the key kept secret.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiModelListDto } from '../contracts';
import { createLogger } from '../core/logger';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { startScriptedModelServer, type ScriptedModelServer } from '../test-support/scripted-model-server';

const API_KEY = 'sk-berth-secret-key-0123456789';

let model: ScriptedModelServer;
let t: TestServer;
let alice: TestUser;
const logLines: string[] = [];

beforeAll(async () => {
  model = await startScriptedModelServer({ models: ['coder-1', 'coder-2'], apiKey: API_KEY });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  t = await startTestServer(
    { AI_OPENAI_BASE_URL: model.baseUrl, AI_OPENAI_API_KEY: API_KEY, AI_TEXT_PROTOCOL_MODELS: 'openai:coder-2' },
    createLogger('debug', sink),
  );
  alice = await createSignedInUser(t.baseUrl);
});
afterAll(async () => {
  await t?.stop();
  await model?.close();
});

describe('GET /api/v1/ai/models', () => {
  it('answers 401 without a session', async () => {
    const response = await call(t.baseUrl, 'GET', '/api/v1/ai/models');
    expect(response.status).toBe(401);
    expect(model.requests).toHaveLength(0);
  });

  it('lists the provider’s models (a text-protocol one without tools), asked with the key, which never reaches the browser or the log', async () => {
    const response = await call(t.baseUrl, 'GET', '/api/v1/ai/models', { cookie: alice.cookie });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text) as AiModelListDto).toEqual({
      models: [
        { id: 'openai:coder-1', provider: 'openai', label: 'coder-1', tools: true },
        { id: 'openai:coder-2', provider: 'openai', label: 'coder-2', tools: false },
      ],
    });
    expect(model.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(text).not.toContain(API_KEY);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('')).not.toContain(API_KEY);
  });
});
