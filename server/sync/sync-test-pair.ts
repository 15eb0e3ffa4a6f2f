// Two real Berths on loopback for sync's integration tests (issue 18): each with its own embedded
// PostgreSQL, data folder and workspace scope, one user signed in on both, a personal access token
// made on the second (the "remote"), and helpers to call either side and read or write files.
import { randomBytes } from 'node:crypto';
import type { ProjectDto, RemoteDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';

/** Both Berths may name loopback remotes (the other one, or a proxy in front of it). */
export const PAIR_ENV = { SYNC_ALLOW_PRIVATE_HOSTS: '127.0.0.1', SNAPSHOT_DEBOUNCE_SECONDS: '3600' };

export interface Side {
  t: TestServer;
  user: TestUser;
}

export async function startSide(env: Record<string, string> = {}): Promise<Side> {
  const t = await startTestServer({ ...PAIR_ENV, ...env });
  return { t, user: await createSignedInUser(t.baseUrl) };
}

/** fetch on one side as its user (session cookie, Berth's own Origin). */
export const on = (side: Side, method: string, route: string, body?: unknown) =>
  call(side.t.baseUrl, method, route, { cookie: side.user.cookie }, body);

export async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected HTTP ${status}, got ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A personal access token of the side's user (what a remote is added with). */
export async function makeToken(side: Side, name = `sync ${randomBytes(3).toString('hex')}`) {
  return json<{ id: string; token: string }>(await on(side, 'POST', '/api/v1/tokens', { name }), 201);
}

export async function newProject(side: Side, name: string): Promise<ProjectDto> {
  return json<ProjectDto>(await on(side, 'POST', '/api/v1/projects', { name, template: 'blank-node' }), 201);
}

export async function addRemote(local: Side, remote: Side, url = remote.t.baseUrl): Promise<RemoteDto> {
  const { token } = await makeToken(remote);
  return json<RemoteDto>(await on(local, 'POST', '/api/v1/remotes', { url, token, name: 'team' }), 201);
}

const filePath = (projectId: string, path: string) =>
  `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(path)}`;

export async function writeFile(side: Side, projectId: string, path: string, content: string | Buffer) {
  const response = await fetch(`${side.t.baseUrl}${filePath(projectId, path)}`, {
    method: 'PUT',
    headers: { Cookie: side.user.cookie, Origin: side.t.origin },
    body: typeof content === 'string' ? content : new Uint8Array(content),
  });
  if (response.status !== 200) throw new Error(`writing ${path}: HTTP ${response.status} ${await response.text()}`);
}

/** The file's bytes, or null when it is not there. */
export async function readFile(side: Side, projectId: string, path: string): Promise<Buffer | null> {
  const response = await on(side, 'GET', filePath(projectId, path));
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`reading ${path}: HTTP ${response.status} ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

export const readText = async (side: Side, projectId: string, path: string) =>
  (await readFile(side, projectId, path))?.toString('utf8') ?? null;

export async function deleteFile(side: Side, projectId: string, path: string) {
  const response = await on(side, 'DELETE', filePath(projectId, path));
  if (response.status !== 204) throw new Error(`deleting ${path}: HTTP ${response.status}`);
}

/**
 * A loopback HTTP proxy in front of a Berth. Armed, it forwards the next peer apply
 * (…/sync/peer/apply) and, once the Berth behind it has answered (applied), either drops the
 * connection (`cutAfterApply`: the initiator's sync fails exactly between the remote's apply and
 * its own) or keeps it open without passing the answer on (`holdAfterApply`: the initiator waits
 * there, as for a remote that stopped answering, until it is stopped).
 */
export async function startCuttingProxy(targetBaseUrl: string) {
  const { createServer, request } = await import('node:http');
  const target = new URL(targetBaseUrl);
  let armed: { mode: 'cut' | 'hold'; resolve: () => void } | null = null;
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const caught = armed && req.method === 'POST' && /\/sync\/peer\/apply$/.test(req.url ?? '') ? armed : null;
    if (caught) armed = null;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        // As a reverse proxy does: the Berth behind answers only its own host names.
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        if (caught) {
          answer.resume();
          answer.on('end', () => {
            if (caught.mode === 'cut') req.socket.destroy();
            caught.resolve();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const arm = (mode: 'cut' | 'hold') => new Promise<void>((resolve) => (armed = { mode, resolve }));
  return {
    url: `http://127.0.0.1:${port}`,
    /** Settles once an apply went through to the Berth behind and its answer was dropped. */
    cutAfterApply: () => arm('cut'),
    /** Settles once an apply went through to the Berth behind; its answer is never passed on. */
    holdAfterApply: () => arm('hold'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
