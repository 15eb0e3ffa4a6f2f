// What Berth refuses at the door (issue 17), on a real server and PostgreSQL: a foreign Host
// (DNS rebinding) on HTTP and on the socket handshake, loopback spellings sent to BERTH_URL, the
// per-user socket cap, and socket messages over the size limit.
import { request as httpRequest } from 'node:http';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, startTestServer, type TestServer } from '../test-support/api-test-server';
import { connectAs } from '../test-support/socket-client';

const MAX_SOCKETS = 4;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ SOCKETS_MAX_PER_USER: String(MAX_SOCKETS) });
});
afterAll(async () => {
  await t?.stop();
});

describe('host policy', () => {
  // fetch may not set Host; node:http does.
  const withHost = (path: string, host: string, method = 'GET') =>
    new Promise<{ status: number; headers: { get(name: string): string | null } }>((resolve, reject) => {
      const request = httpRequest(`${t.baseUrl}${path}`, { method, headers: { Host: host } }, (response) => {
        response.resume();
        resolve({
          status: response.statusCode ?? 0,
          headers: { get: (name) => (response.headers[name] as string | undefined) ?? null },
        });
      });
      request.on('error', reject);
      request.end();
    });

  it('answers 421 to a foreign Host (DNS rebinding), but not on the health probes', async () => {
    for (const path of ['/api/v1/projects', '/metrics', '/signin'])
      expect((await withHost(path, 'evil.example:80')).status).toBe(421);
    expect((await withHost('/api/v1/auth/signup', 'rebind.attacker.test', 'POST')).status).toBe(421);
    expect((await withHost('/api/health', '10.0.0.7:3000')).status).toBe(200);
    expect((await withHost('/api/ready', '10.0.0.7:3000')).status).toBe(200);
  });

  it('sends other loopback spellings of Berth’s own address to BERTH_URL', async () => {
    const port = new URL(t.baseUrl).port;
    const page = await withHost('/p/abc?x=1', `127.0.0.1:${port}`);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`${t.origin}/p/abc?x=1`);
    expect((await withHost('/api/v1/projects', `[::1]:${port}`)).status).toBe(401); // served, not refused
  });

  it('refuses a socket handshake with a foreign Host', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const socket = connect(t.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { Origin: t.origin, Cookie: user.cookie, Host: 'evil.example' },
      reconnection: false,
    });
    await expect(
      new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(undefined));
        socket.once('connect_error', reject);
      }),
    ).rejects.toThrow();
    socket.close();
  });
});

describe('limits that answer', () => {
  it('caps open sockets per user with a clear refusal', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const open = await Promise.all(Array.from({ length: MAX_SOCKETS }, () => connectAs(t, user)));
    const refusal = await connectAs(t, user).then(
      () => null,
      (error: Error & { data?: { message?: string } }) => error,
    );
    expect(refusal?.message).toBe('too_many_sockets');
    expect(refusal?.data?.message).toMatch(/Too many open connections/);
    open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await connectAs(t, user);
    again.close();
    for (const client of open) client.close();
  });

  it('answers a socket message over the limit with "file too large" and keeps the connection', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const client = await connectAs(t, user);
    const ack = await client.call('fs:write', {
      projectId: 'whatever',
      path: 'big.txt',
      content: 'x'.repeat(9 * 1024 * 1024),
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(ack.ok ? '' : ack.error.message).toMatch(/too large/i);
    expect(client.socket.connected).toBe(true);
    // Still usable: the next event gets its ordinary answer.
    expect(await client.call('project:open', { projectId: 'no-such-project' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    client.close();
  });
});
