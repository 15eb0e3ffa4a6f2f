// Starts a real Berth server (real embedded PostgreSQL, no Next.js pages) on a free port for
// integration tests, plus helpers to sign up, sign in through next-auth and call the API.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBerthServer, type RunningBerth } from '../berth-server';
import { loadConfig, type Config } from '../config';
import { DockerDriver, releaseWorkspaceDisks } from '../runtime';
import { createLogger, type Logger } from '../core/logger';

export interface TestServer {
  server: RunningBerth;
  baseUrl: string;
  origin: string;
  /** Where its data lives and which workspaces are its own: pass both to restart it. */
  dataDir: string;
  scope: string;
  /**
   * Removes its workspaces and data. With `{ restart: true }` it only closes the server, as a
   * Berth restart would: workspaces keep running and the data stays for the next server.
   */
  stop(options?: { restart?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  /** Another server's dataDir and scope: this one takes over (a restart). */
  reuse?: { dataDir: string; scope: string };
}

export async function startTestServer(
  env: Record<string, string> = {},
  log: Logger = createLogger('silent'),
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = options.reuse?.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'berth-int-')));
  await chmod(dataDir, 0o755); // the postgres system user must be able to enter it
  const inherited = process.env.WORKSPACE_IMAGE ? { WORKSPACE_IMAGE: process.env.WORKSPACE_IMAGE } : {};
  // Its own scope: concurrent test servers must never adopt or reap each other's workspaces.
  const scope = options.reuse?.scope ?? `test-${randomBytes(6).toString('hex')}`;
  // BERTH_URL (the allowed Origin) needs the port before listening: take a free one, and
  // try another if something grabbed it in between.
  let config: Config | undefined;
  let server: RunningBerth | undefined;
  for (let attempt = 0; !server; attempt++) {
    // No running-workspace quota unless a test asks: suites open many workspaces per user.
    const defaults = { WORKSPACE_MAX_RUNNING_PER_USER: '0' };
    config = loadConfig({
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      WORKSPACE_SCOPE: scope,
      ...defaults,
      ...inherited,
      ...env,
    });
    try {
      server = await startBerthServer({ config, log });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 4) throw error;
    }
  }
  return {
    server,
    baseUrl: server.url,
    origin: config!.origin,
    dataDir,
    scope,
    stop: async ({ restart = false } = {}) => {
      if (restart) return server.close();
      // Whatever a test left running in this server's scope goes with it.
      const leftovers = await server.runtime.list().catch(() => []);
      await Promise.all(
        leftovers.map((workspace) => server.runtime.remove(workspace.projectId).catch(() => undefined)),
      );
      // And the scope's shared workspace network, now that no workspace of it is left.
      if (server.runtime instanceof DockerDriver) await server.runtime.removeSharedNetwork().catch(() => false);
      await server.close();
      // A workspace filesystem still mounted (its removal still in flight) must not be walked into.
      await releaseWorkspaceDisks(path.join(dataDir, 'disks'));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface TestUser {
  email: string;
  password: string;
  name: string;
  id: string;
  cookie: string;
}

let counter = 0;
export const uniqueEmail = () => `user-${process.pid}-${Date.now()}-${counter++}@example.test`;

export async function signUp(
  baseUrl: string,
  overrides: Partial<{ email: string; password: string; name: string }> = {},
) {
  const body = { email: uniqueEmail(), password: 'correct horse battery', name: 'Test User', ...overrides };
  const response = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { response, body };
}

/** next-auth's credentials flow: csrf token + cookie, then the callback; returns the Cookie header. */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ status: number; cookie: string | null; error: string | null }> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = cookiePairs(csrfResponse.headers.getSetCookie());
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
  });
  const session = cookiePairs(response.headers.getSetCookie())
    .split('; ')
    .find((pair) => pair.startsWith('next-auth.session-token='));
  const { url } = (await response.json().catch(() => ({ url: '' }))) as { url?: string };
  const error = url ? new URL(url).searchParams.get('error') : null;
  return { status: response.status, cookie: session ?? null, error };
}

/** next-auth's sign-out, as the header's "Sign out" does it (csrf token, then POST). */
export async function signOut(baseUrl: string, sessionCookie: string): Promise<number> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { Cookie: sessionCookie } });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = cookiePairs(csrfResponse.headers.getSetCookie());
  const response = await fetch(`${baseUrl}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `${sessionCookie}; ${csrfCookie}` },
    body: new URLSearchParams({ csrfToken, json: 'true' }).toString(),
  });
  return response.status;
}

export async function createSignedInUser(baseUrl: string): Promise<TestUser> {
  const { response, body } = await signUp(baseUrl);
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status}`);
  const { id } = (await response.json()) as { id: string };
  const { cookie } = await signIn(baseUrl, body.email, body.password);
  if (!cookie) throw new Error('sign-in gave no session cookie');
  return { ...body, id, cookie };
}

/** The origin Berth expects for a test server's base URL (BERTH_URL is http://localhost:<port>). */
const originOf = (baseUrl: string) => `http://localhost:${new URL(baseUrl).port}`;

function cookiePairs(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ');
}

/** fetch with a JSON body and the given auth (cookie or bearer). */
export function call(
  baseUrl: string,
  method: string,
  route: string,
  auth: { cookie?: string; token?: string; origin?: string | null } = {},
  body?: unknown,
) {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.Cookie = auth.cookie;
  // Like a browser: Berth's own origin (tests of the CSRF check pass another, or null for none).
  const origin = auth.origin === undefined ? originOf(baseUrl) : auth.origin;
  if (origin) headers.Origin = origin;
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${baseUrl}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}
