// The REST API v1 against a real server and a real (embedded) PostgreSQL.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger';
import {
  call,
  createSignedInUser,
  signIn,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(chunk.toString());
    done();
  },
});

beforeAll(async () => {
  t = await startTestServer({ SIGNIN_MAX_FAILURES: '3' }, createLogger('debug', logSink));
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
});
afterAll(async () => t?.stop());

describe('health and readiness', () => {
  it('answers /api/health and /api/ready with the database up', async () => {
    expect((await call(t.baseUrl, 'GET', '/api/health')).status).toBe(200);
    const ready = await call(t.baseUrl, 'GET', '/api/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'up' });
  });

  it('tags every response with a request id', async () => {
    const response = await call(t.baseUrl, 'GET', '/api/health');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('sign-up', () => {
  it('creates an account and refuses a taken email with 409', async () => {
    const { response, body } = await signUp(t.baseUrl, { email: 'Taken@Example.test' });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, unknown>;
    expect(created).toEqual({ id: expect.any(String), email: 'taken@example.test', name: body.name });
    expect(created).not.toHaveProperty('passwordHash');
    const again = await signUp(t.baseUrl, { email: 'taken@example.test' });
    expect(again.response.status).toBe(409);
  });

  it('answers 400 with field errors for bad input', async () => {
    const response = await call(
      t.baseUrl,
      'POST',
      '/api/v1/auth/signup',
      {},
      { email: 'not-an-email', password: 'short', name: '' },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string[]> };
    expect(Object.keys(body.fieldErrors).sort()).toEqual(['email', 'name', 'password']);
  });

  it('answers 400 for malformed JSON and 413 for a huge body', async () => {
    expect((await call(t.baseUrl, 'POST', '/api/v1/auth/signup', {}, '{"email":')).status).toBe(400);
    const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024), name: 'x' });
    expect((await call(t.baseUrl, 'POST', '/api/v1/auth/signup', {}, huge)).status).toBe(413);
  });
});

describe('sign-in', () => {
  it('gives a session cookie for the right password and none for a wrong one', async () => {
    expect((await signIn(t.baseUrl, alice.email, alice.password)).cookie).toBeTruthy();
    const wrong = await signIn(t.baseUrl, alice.email, 'wrong password!');
    expect(wrong.cookie).toBeNull();
    expect(wrong.error).toBe('CredentialsSignin');
  });

  it('slows down repeated failures for one email, even with the right password', async () => {
    const { body } = await signUp(t.baseUrl);
    for (let i = 0; i < 3; i++)
      expect((await signIn(t.baseUrl, body.email, 'nope-nope')).error).toBe('CredentialsSignin');
    const blocked = await signIn(t.baseUrl, body.email, body.password);
    expect(blocked.cookie).toBeNull();
    expect(blocked.error).toMatch(/Too many attempts/);
  });
});

describe('/api/v1/me and authentication', () => {
  it('answers 401 without credentials and with a forged cookie', async () => {
    expect((await call(t.baseUrl, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await call(t.baseUrl, 'GET', '/api/v1/me', { cookie: 'next-auth.session-token=forged' })).status).toBe(401);
    expect((await call(t.baseUrl, 'GET', '/api/v1/me', { token: 'berth_pat_forged' })).status).toBe(401);
  });

  it('returns the signed-in user', async () => {
    const response = await call(t.baseUrl, 'GET', '/api/v1/me', { cookie: alice.cookie });
    expect(await response.json()).toEqual({ id: alice.id, email: alice.email, name: alice.name });
  });
});

describe('personal access tokens', () => {
  it('are shown once, work as bearer tokens, list without the secret and can be revoked', async () => {
    const created = await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: alice.cookie }, { name: 'ci' });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    expect(token).toMatch(/^berth_pat_/);

    const me = await call(t.baseUrl, 'GET', '/api/v1/me', { token });
    expect(((await me.json()) as { id: string }).id).toBe(alice.id);

    const list = (await (await call(t.baseUrl, 'GET', '/api/v1/tokens', { token })).json()) as Record<
      string,
      unknown
    >[];
    expect(list.map((row) => row.id)).toContain(id);
    expect(JSON.stringify(list)).not.toContain(token);

    expect((await call(t.baseUrl, 'DELETE', `/api/v1/tokens/${id}`, { cookie: bob.cookie })).status).toBe(404);
    expect((await call(t.baseUrl, 'DELETE', `/api/v1/tokens/${id}`, { cookie: alice.cookie })).status).toBe(204);
    expect((await call(t.baseUrl, 'GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('refuses a token without a name', async () => {
    expect((await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: alice.cookie }, { name: '  ' })).status).toBe(
      400,
    );
  });
});

describe('projects', () => {
  it('creates, lists, reads, renames and deletes, trimming names', async () => {
    const created = await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: '  My App  ', template: 'vite-react' },
    );
    expect(created.status).toBe(201);
    const project = (await created.json()) as { id: string; name: string; template: string };
    expect(project).toMatchObject({ name: 'My App', template: 'vite-react' });

    const list = (await (await call(t.baseUrl, 'GET', '/api/v1/projects', { cookie: alice.cookie })).json()) as {
      id: string;
    }[];
    expect(list.map((row) => row.id)).toContain(project.id);

    const renamed = await call(
      t.baseUrl,
      'PATCH',
      `/api/v1/projects/${project.id}`,
      { cookie: alice.cookie },
      { name: 'Renamed' },
    );
    expect(((await renamed.json()) as { name: string }).name).toBe('Renamed');
    expect(
      (
        (await (await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}`, { cookie: alice.cookie })).json()) as {
          name: string;
        }
      ).name,
    ).toBe('Renamed');

    expect((await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie })).status).toBe(
      204,
    );
    expect((await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}`, { cookie: alice.cookie })).status).toBe(404);
  });

  it('validates names (1–64 after trimming) and templates', async () => {
    const auth = { cookie: alice.cookie };
    expect(
      (await call(t.baseUrl, 'POST', '/api/v1/projects', auth, { name: '   ', template: 'blank-node' })).status,
    ).toBe(400);
    expect(
      (await call(t.baseUrl, 'POST', '/api/v1/projects', auth, { name: 'x'.repeat(65), template: 'blank-node' }))
        .status,
    ).toBe(400);
    expect(
      (await call(t.baseUrl, 'POST', '/api/v1/projects', auth, { name: 'x'.repeat(64), template: 'blank-node' }))
        .status,
    ).toBe(201);
    const bad = await call(t.baseUrl, 'POST', '/api/v1/projects', auth, { name: 'ok', template: 'cobol' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fieldErrors: Record<string, unknown> }).fieldErrors).toHaveProperty('template');
  });

  it("answers 404, never 403, for someone else's project, and changes nothing", async () => {
    const created = await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Private', template: 'static-html' },
    );
    const { id } = (await created.json()) as { id: string };
    const asBob = { cookie: bob.cookie };
    expect((await call(t.baseUrl, 'GET', `/api/v1/projects/${id}`, asBob)).status).toBe(404);
    expect((await call(t.baseUrl, 'PATCH', `/api/v1/projects/${id}`, asBob, { name: 'Stolen' })).status).toBe(404);
    expect((await call(t.baseUrl, 'DELETE', `/api/v1/projects/${id}`, asBob)).status).toBe(404);
    const bobsList = (await (await call(t.baseUrl, 'GET', '/api/v1/projects', asBob)).json()) as { id: string }[];
    expect(bobsList.map((row) => row.id)).not.toContain(id);
    const still = (await (await call(t.baseUrl, 'GET', `/api/v1/projects/${id}`, { cookie: alice.cookie })).json()) as {
      name: string;
    };
    expect(still.name).toBe('Private');
  });

  it('refuses cookie-authenticated changes from another origin or with none (CSRF), but not reads or bearer calls', async () => {
    const body = { name: 'csrf', template: 'blank-node' };
    for (const origin of ['http://evil.example', null]) {
      const response = await call(t.baseUrl, 'POST', '/api/v1/projects', { cookie: alice.cookie, origin }, body);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: 'bad_origin' });
    }
    expect(
      (await call(t.baseUrl, 'GET', '/api/v1/projects', { cookie: alice.cookie, origin: 'http://evil.example' }))
        .status,
    ).toBe(200);
    const token = (
      (await (await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: alice.cookie }, { name: 'csrf' })).json()) as {
        token: string;
      }
    ).token;
    const viaToken = await call(t.baseUrl, 'POST', '/api/v1/projects', { token, origin: null }, body);
    expect(viaToken.status).toBe(201);
  });

  it('answers 401 without credentials, 404 for unknown routes and 405 for wrong methods', async () => {
    expect((await call(t.baseUrl, 'GET', '/api/v1/projects')).status).toBe(401);
    expect((await call(t.baseUrl, 'GET', '/api/v1/nothing-here', { cookie: alice.cookie })).status).toBe(404);
    expect((await call(t.baseUrl, 'PUT', '/api/v1/projects', { cookie: alice.cookie })).status).toBe(405);
    expect((await call(t.baseUrl, 'GET', '/api/v1/projects/%E0%A4%A', { cookie: alice.cookie })).status).toBe(400);
  });
});

describe('logs', () => {
  it('are JSON with request ids and never contain a password or a token', async () => {
    const created = await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: alice.cookie }, { name: 'log-check' });
    const { token } = (await created.json()) as { token: string };
    await call(t.baseUrl, 'GET', '/api/v1/me', { token });
    expect(logLines.length).toBeGreaterThan(10);
    const requestLines = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request');
    expect(requestLines.some((entry) => entry.path === '/api/v1/me' && typeof entry.requestId === 'string')).toBe(true);
    const all = logLines.join('\n');
    for (const secret of [alice.password, bob.password, 'wrong password!', token]) expect(all).not.toContain(secret);
  });
});
