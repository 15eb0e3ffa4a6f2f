// Access that ends when it should (issue 17, A1/A2/A3/A6), on a real server and PostgreSQL:
// sign-out, "sign out everywhere", password change, token and account deletion and an admin's
// reset link cut sockets within a second. The Host policy and the socket limits are
// server/http/host-and-socket-limits.int.test.ts.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createSignedInUser,
  signIn,
  signOut,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs } from '../test-support/socket-client';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ BERTH_ADMIN_EMAILS: 'admin-sessions@example.test' });
});
afterAll(async () => {
  await t?.stop();
});

/**
 * Watches a socket; `after()` resolves with the ms from the moment it is called (when the
 * request that ends the session has answered) to the disconnect — ≤ 0 when it came first.
 */
function disconnectedWithin(socket: Socket): { after(): Promise<number> } {
  let closedAt: number | undefined;
  const closed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still connected after 10 s')), 10_000);
    socket.once('disconnect', () => {
      closedAt = performance.now();
      clearTimeout(timer);
      resolve();
    });
  });
  closed.catch(() => undefined);
  return {
    async after() {
      const answeredAt = performance.now();
      await closed;
      return closedAt! - answeredAt;
    },
  };
}

async function secondSession(user: TestUser): Promise<string> {
  const { cookie } = await signIn(t.baseUrl, user.email, user.password);
  if (!cookie) throw new Error('no second session');
  return cookie;
}

describe('revocable sessions', () => {
  it('signing out ends the copied cookie: its socket closes within a second, REST and token minting refuse it', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const client = await connectAs(t, user);
    const closed = disconnectedWithin(client.socket);
    expect(await signOut(t.baseUrl, user.cookie)).toBeLessThan(400);
    expect(await closed.after()).toBeLessThan(1_000);
    expect((await call(t.baseUrl, 'GET', '/api/v1/projects', { cookie: user.cookie })).status).toBe(401);
    expect((await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: user.cookie }, { name: 'stolen' })).status).toBe(
      401,
    );
    await expect(connectAs(t, user)).rejects.toThrow(/unauthorized/);
  });

  it('lists sessions; "sign out everywhere" ends all but the caller’s; one can be ended by id', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const other = await secondSession(user);
    const third = await secondSession(user);
    const list = (await (await call(t.baseUrl, 'GET', '/api/v1/me/sessions', { cookie: user.cookie })).json()) as {
      id: string;
      current: boolean;
    }[];
    expect(list).toHaveLength(3);
    expect(list.filter((session) => session.current)).toHaveLength(1);

    const otherSocket = await connectAs(t, { ...user, cookie: other });
    const thirdSocket = await connectAs(t, { ...user, cookie: third });
    const current = list.find((session) => session.current)!;
    // One by id: a foreign or unknown id is 404.
    const ownList = (await (await call(t.baseUrl, 'GET', '/api/v1/me/sessions', { cookie: third })).json()) as {
      id: string;
      current: boolean;
    }[];
    const thirdId = ownList.find((session) => session.current)!.id;
    expect((await call(t.baseUrl, 'DELETE', '/api/v1/me/sessions/nope', { cookie: user.cookie })).status).toBe(404);
    const thirdClosed = disconnectedWithin(thirdSocket.socket);
    expect((await call(t.baseUrl, 'DELETE', `/api/v1/me/sessions/${thirdId}`, { cookie: user.cookie })).status).toBe(
      204,
    );
    expect(await thirdClosed.after()).toBeLessThan(1_000);

    const otherClosed = disconnectedWithin(otherSocket.socket);
    expect((await call(t.baseUrl, 'DELETE', '/api/v1/me/sessions', { cookie: user.cookie })).status).toBe(204);
    expect(await otherClosed.after()).toBeLessThan(1_000);
    expect((await call(t.baseUrl, 'GET', '/api/v1/me', { cookie: other })).status).toBe(401);
    const after = (await (await call(t.baseUrl, 'GET', '/api/v1/me/sessions', { cookie: user.cookie })).json()) as {
      id: string;
    }[];
    expect(after.map((session) => session.id)).toEqual([current.id]);
  });

  it('deleting an access token disconnects the sockets opened with it', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const created = (await (
      await call(t.baseUrl, 'POST', '/api/v1/tokens', { cookie: user.cookie }, { name: 'script' })
    ).json()) as { id: string; token: string };
    const socket = connect(t.baseUrl, {
      transports: ['websocket'],
      auth: { token: created.token },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const closed = disconnectedWithin(socket);
    expect((await call(t.baseUrl, 'DELETE', `/api/v1/tokens/${created.id}`, { cookie: user.cookie })).status).toBe(204);
    expect(await closed.after()).toBeLessThan(1_000);
  });

  it('changing the password needs the current one and ends the other sessions', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const other = await secondSession(user);
    const otherSocket = await connectAs(t, { ...user, cookie: other });
    const wrong = await call(
      t.baseUrl,
      'PUT',
      '/api/v1/me/password',
      { cookie: user.cookie },
      { currentPassword: 'not it', newPassword: 'a new password 1' },
    );
    expect(wrong.status).toBe(400);
    expect(otherSocket.socket.connected).toBe(true);
    const closed = disconnectedWithin(otherSocket.socket);
    const changed = await call(
      t.baseUrl,
      'PUT',
      '/api/v1/me/password',
      { cookie: user.cookie },
      { currentPassword: user.password, newPassword: 'a new password 1' },
    );
    expect(changed.status).toBe(204);
    expect(await closed.after()).toBeLessThan(1_000);
    expect((await call(t.baseUrl, 'GET', '/api/v1/me', { cookie: user.cookie })).status).toBe(200);
    expect((await signIn(t.baseUrl, user.email, user.password)).cookie).toBeNull();
    expect((await signIn(t.baseUrl, user.email, 'a new password 1')).cookie).toBeTruthy();
  });

  it('deleting the account needs its email typed, then removes projects and every session', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const project = (await (
      await call(
        t.baseUrl,
        'POST',
        '/api/v1/projects',
        { cookie: user.cookie },
        { name: 'doomed', template: 'blank-node' },
      )
    ).json()) as { id: string };
    const client = await connectAs(t, user);
    expect(
      (await call(t.baseUrl, 'DELETE', '/api/v1/me', { cookie: user.cookie }, { email: 'someone@else.test' })).status,
    ).toBe(400);
    const closed = disconnectedWithin(client.socket);
    expect(
      (await call(t.baseUrl, 'DELETE', '/api/v1/me', { cookie: user.cookie }, { email: user.email.toUpperCase() }))
        .status,
    ).toBe(204);
    expect(await closed.after()).toBeLessThan(1_000);
    expect(await t.server.database.prisma.project.count({ where: { id: project.id } })).toBe(0);
    expect(await t.server.database.prisma.user.count({ where: { id: user.id } })).toBe(0);
    expect((await signIn(t.baseUrl, user.email, user.password)).cookie).toBeNull();
  });

  it('an admin issues a one-time, expiring password-reset link; using it ends the user’s sessions', async () => {
    const user = await createSignedInUser(t.baseUrl);
    const client = await connectAs(t, user);
    const adminSignup = await call(
      t.baseUrl,
      'POST',
      '/api/v1/auth/signup',
      {},
      { email: 'admin-sessions@example.test', password: 'admin password', name: 'Admin' },
    );
    expect(adminSignup.status).toBe(201);
    const admin = await signIn(t.baseUrl, 'admin-sessions@example.test', 'admin password');
    // Not for everyone: a plain user gets the admin API's 404.
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/admin/users/${user.id}/reset-link`, { cookie: user.cookie })).status,
    ).toBe(404);
    const issued = await call(t.baseUrl, 'POST', `/api/v1/admin/users/${user.id}/reset-link`, {
      cookie: admin.cookie!,
    });
    expect(issued.status).toBe(201);
    const { url, expiresAt } = (await issued.json()) as { url: string; expiresAt: string };
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const token = new URL(url).searchParams.get('token')!;
    expect(url.startsWith(`${t.origin}/reset-password?token=`)).toBe(true);

    const closed = disconnectedWithin(client.socket);
    expect(
      (await call(t.baseUrl, 'POST', '/api/v1/auth/reset-password', {}, { token, newPassword: 'reset password 1' }))
        .status,
    ).toBe(204);
    expect(await closed.after()).toBeLessThan(1_000);
    const again = await call(
      t.baseUrl,
      'POST',
      '/api/v1/auth/reset-password',
      {},
      { token, newPassword: 'reset password 2' },
    );
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_link');
    expect((await signIn(t.baseUrl, user.email, 'reset password 1')).cookie).toBeTruthy();
  });
});
