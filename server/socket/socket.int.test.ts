// Socket.IO handshake checks and per-event authorisation, against a real server and database.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientEvents, type Ack, type ClientEventName, type ProjectDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let aliceProject: ProjectDto;
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  const created = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name: 'Sock', template: 'blank-node' },
  );
  aliceProject = (await created.json()) as ProjectDto;
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});
afterAll(async () => t?.stop());

function client(options: {
  origin?: string;
  cookie?: string;
  token?: string;
  authToken?: string;
  transports?: string[];
}): Socket {
  const extraHeaders: Record<string, string> = {};
  if (options.origin) extraHeaders.Origin = options.origin;
  if (options.cookie) extraHeaders.Cookie = options.cookie;
  if (options.token) extraHeaders.Authorization = `Bearer ${options.token}`;
  const socket = connect(t.baseUrl, {
    transports: options.transports ?? ['websocket'],
    extraHeaders,
    auth: options.authToken ? { token: options.authToken } : undefined,
    reconnection: false,
    timeout: 5000,
  });
  open.push(socket);
  return socket;
}

function outcome(socket: Socket): Promise<'connected' | string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

const emitOpen = (socket: Socket, payload: unknown) =>
  new Promise<Ack<ProjectDto>>((resolve) => socket.emit('project:open', payload, resolve));

async function makeToken(user: TestUser): Promise<string> {
  const response = await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: user.cookie }, { name: 'socket' });
  return ((await response.json()) as { token: string }).token;
}

describe('handshake', () => {
  it("accepts Berth's own origin with a session cookie", async () => {
    expect(await outcome(client({ origin: t.origin, cookie: alice.cookie }))).toBe('connected');
  });

  it('refuses a foreign origin even with a valid cookie, on websocket and on polling', async () => {
    expect(await outcome(client({ origin: 'http://evil.example', cookie: alice.cookie }))).not.toBe('connected');
    expect(
      await outcome(client({ origin: 'http://p-abc.localhost:3000', cookie: alice.cookie, transports: ['polling'] })),
    ).not.toBe('connected');
    // A prefix of the allowed origin is not the allowed origin.
    expect(await outcome(client({ origin: `${t.origin}.evil.example`, cookie: alice.cookie }))).not.toBe('connected');
  });

  it('refuses a browser-less client that has a cookie but neither Origin nor token', async () => {
    expect(await outcome(client({ cookie: alice.cookie }))).toBe('unauthorized');
    expect(await outcome(client({ cookie: alice.cookie, transports: ['polling'] }))).toBe('unauthorized');
  });

  it('refuses a correct origin without credentials', async () => {
    expect(await outcome(client({ origin: t.origin }))).toBe('unauthorized');
  });

  it('accepts a bearer token (header or auth payload) from a client without an Origin', async () => {
    const token = await makeToken(alice);
    expect(await outcome(client({ token }))).toBe('connected');
    expect(await outcome(client({ authToken: token, origin: t.origin }))).toBe('connected');
    expect(await outcome(client({ authToken: token }))).toBe('connected');
    expect(await outcome(client({ token: 'berth_pat_forged' }))).toBe('unauthorized');
  });
});

describe('events', () => {
  it('opens your own project and records when it was opened', async () => {
    const socket = client({ origin: t.origin, cookie: alice.cookie });
    await outcome(socket);
    const ack = await emitOpen(socket, { projectId: aliceProject.id });
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.data.lastOpenedAt).not.toBeNull();
  });

  it("answers not_found for another user's project and leaves it untouched", async () => {
    const socket = client({ origin: t.origin, cookie: bob.cookie });
    await outcome(socket);
    const ack = await emitOpen(socket, { projectId: aliceProject.id });
    expect(ack).toEqual({ ok: false, error: { code: 'not_found', message: 'Project not found' } });
  });

  it('answers a malformed payload with an error ack and keeps the connection', async () => {
    const socket = client({ origin: t.origin, cookie: alice.cookie });
    await outcome(socket);
    for (const payload of [null, 42, 'x', { projectId: 7 }, { projectId: 'x'.repeat(1000) }]) {
      const ack = await emitOpen(socket, payload);
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.error.code).toBe('bad_request');
    }
    // An event without an ack callback must not crash anything either.
    socket.emit('project:open', { nonsense: true });
    expect((await emitOpen(socket, { projectId: aliceProject.id })).ok).toBe(true);
    expect(socket.connected).toBe(true);
  });

  it('answers every event of the contract table (each has a handler that parses its payload)', async () => {
    const socket = client({ origin: t.origin, cookie: alice.cookie });
    await outcome(socket);
    const answers = await Promise.all(
      (Object.keys(clientEvents) as ClientEventName[]).map(
        (event) =>
          new Promise<[string, string]>((resolve) =>
            socket
              .timeout(5000)
              .emit(event, { malformed: true }, (error: Error | null, ack: Ack<unknown>) =>
                resolve([event, error ? 'no answer' : ack.ok ? 'ok' : ack.error.code]),
              ),
          ),
      ),
    );
    expect(answers).toEqual(Object.keys(clientEvents).map((event) => [event, 'bad_request']));
  });

  it('pushes project changes to every socket of the owner, and to nobody else', async () => {
    const alices = client({ origin: t.origin, cookie: alice.cookie });
    const bobs = client({ origin: t.origin, cookie: bob.cookie });
    await Promise.all([outcome(alices), outcome(bobs)]);
    let bobHeard = false;
    bobs.on('project:updated', () => (bobHeard = true));
    const heard = new Promise<ProjectDto>((resolve) => alices.once('project:updated', resolve));
    await call(
      t.baseUrl,
      'PATCH',
      `/api/v1/projects/${aliceProject.id}`,
      { cookie: alice.cookie },
      { name: 'Renamed live' },
    );
    expect((await heard).name).toBe('Renamed live');
    // Bob's socket is live and would have had the event by now (same server, same tick order).
    expect((await emitOpen(bobs, { projectId: 'nope' })).ok).toBe(false);
    expect(bobHeard).toBe(false);
  });
});
