// A real git server for tests: git's own `git http-backend` (smart HTTP: clone, fetch, push)
// behind HTTP basic auth, on an address the workspace containers can reach (this machine's
// own non-loopback IPv4, which Berth refuses unless GIT_ALLOW_PRIVATE_HOSTS lists it).
// Repositories are bare repositories in a temporary folder; a push can be held at the
// receive-pack request (after authentication) so a test can look around while git waits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';

export interface GitHttpServer {
  /** host:port, as git and Berth's credentials name it. */
  host: string;
  address: string;
  /** The base URL, http://address:port. */
  base: string;
  /** The folder of the bare repositories. */
  root: string;
  /** Makes an empty bare repository `<name>.git`; answers its URL. */
  createRepo(name: string): string;
  /** Holds the next authenticated push until released; `arrived` resolves once git is waiting on it. */
  holdNextPush(): { arrived: Promise<void>; release: () => void };
  close(): Promise<void>;
}

/** This machine's address on its first non-internal IPv4 interface (reachable from containers). */
export const hostAddress = (): string =>
  Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)!.address;

export async function startGitHttpServer(auth: { username: string; password: string }): Promise<GitHttpServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-git-http-'));
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  let hold: { arrive: () => void; released: Promise<void> } | null = null;

  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== expected) {
        req.resume();
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="berth-test"' }).end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'POST' && url.pathname.endsWith('/git-receive-pack') && hold) {
        const { arrive, released } = hold;
        hold = null;
        arrive();
        await released;
      }
      const backend = spawn('git', ['http-backend'], {
        env: {
          ...process.env,
          GIT_PROJECT_ROOT: root,
          GIT_HTTP_EXPORT_ALL: '1',
          REMOTE_USER: auth.username,
          REMOTE_ADDR: req.socket.remoteAddress ?? '',
          REQUEST_METHOD: req.method ?? 'GET',
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.replace(/^\?/, ''),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
          ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
          ...(typeof req.headers['git-protocol'] === 'string' ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
        },
      });
      req.pipe(backend.stdin);
      const chunks: Buffer[] = [];
      backend.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      backend.on('close', () => {
        const output = Buffer.concat(chunks);
        const crlf = output.indexOf('\r\n\r\n');
        const end = crlf >= 0 ? crlf : output.indexOf('\n\n');
        const head = output.subarray(0, Math.max(end, 0)).toString('latin1');
        const body = output.subarray(end < 0 ? 0 : end + (crlf >= 0 ? 4 : 2));
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.split(/\r?\n/).filter(Boolean)) {
          const colon = line.indexOf(':');
          const name = line.slice(0, colon).trim();
          const value = line.slice(colon + 1).trim();
          if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
          else headers[name] = value;
        }
        res.writeHead(status, headers).end(body);
      });
    })();
  });
  const address = hostAddress();
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://${address}:${port}`;

  return {
    host: `${address}:${port}`,
    address,
    base,
    root,
    createRepo(name) {
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(root, `${name}.git`)]);
      return `${base}/${name}.git`;
    },
    holdNextPush() {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const arrived = new Promise<void>((arrive) => (hold = { arrive, released }));
      return { arrived, release };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
