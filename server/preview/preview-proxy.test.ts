// The preview routing and both proxy paths (the fast path of connections that start with a
// preview host, node:http for the rest) against a stand-in agent that keeps the tunnel contract
// (contracts/preview.ts: CONNECT with the secret, then a byte pipe) in front of a local app, and
// a Berth-like server with Socket.IO attached: no Docker needed.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type ListeningPort, type WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import { createLogger } from '../core/logger';
import { TypedEmitter } from '../core/typed-emitter';
import { createRequestHandler } from '../http';
import { trackOpenConnections } from '../http/open-connections';
import { originForm } from './preview-proxy';
import { PreviewService, routePreviewHostsFirst } from './preview-service';
import { echo, rawGet, rawUpgrade } from './test-helpers';

const SECRET = 's3cret';
const DOMAIN = 'localhost:4321';
const IDE = 'http://localhost:4321';
/** The port the app "listens on in the workspace"; the stand-in agent maps it to the local app. */
const APP_PORT = 5173;
let app: http.Server;
let appPort = 0;
let agent: http.Server;
let berth: http.Server;
let io: SocketServer;
let baseUrl: string;
let running = true;
let ports: ListeningPort[] = [];
const activity: string[] = [];
const seenByApp: http.IncomingHttpHeaders[] = [];
const tunnelsOpened: { authorization?: string; target?: string }[] = [];
const statusEvents = new TypedEmitter<{ onDidChangeStatus: WorkspaceStatusDto }>();
let previews: PreviewService;
const counted = { upstream: 0, downstream: 0 };

const listen = (server: http.Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

beforeAll(async () => {
  app = http.createServer((req, res) => {
    seenByApp.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('x-seen-cookie', req.headers.cookie ?? '');
      res.setHeader('x-seen-forwarded-host', req.headers['x-forwarded-host'] ?? '');
      res.setHeader('x-seen-authorization', req.headers.authorization ?? '');
      if (req.url === '/chunked') {
        res.write('one,');
        setTimeout(() => res.end('two'), 20);
        return;
      }
      if (req.url === '/not-modified') return void res.writeHead(304, { ETag: '"x"' }).end();
      if (req.url === '/until-close') {
        // HTTP/1.0-style: no length, the end of the body is the end of the connection.
        res.socket?.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it');
        return;
      }
      res.end(req.method === 'POST' ? `posted ${body}` : `hi ${req.url}`);
    });
  });
  app.on('upgrade', (_req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
  });
  appPort = Number(new URL(await listen(app)).port);

  // The tunnel contract, as the agent keeps it: one check per connection, then bytes.
  agent = http.createServer((_req, res) => res.writeHead(404).end());
  agent.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnelsOpened.push({ authorization: req.headers.authorization, target: req.url });
    if (req.headers.authorization !== `Bearer ${SECRET}`)
      return void socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    if (req.url !== `127.0.0.1:${APP_PORT}`) {
      const body = JSON.stringify({ error: 'port_closed', message: 'nothing there' });
      return void socket.end(
        `HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    }
    const upstream = net.connect(appPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  const agentUrl = await listen(agent);

  const projects = {
    get: async (userId: string, projectId: string) => {
      if (userId !== 'alice' || (projectId !== 'p1' && projectId !== 'direct'))
        throw new DomainError('not_found', 'not_found', 'Project not found');
      return {};
    },
  };
  const workspaces = {
    status: (projectId: string): WorkspaceStatusDto => ({ projectId, state: running ? 'running' : 'stopped' }),
    // Project 'direct' states the container's own address (here loopback, where the app listens).
    agentEndpoint: (projectId: string) =>
      running
        ? { url: agentUrl, secret: SECRET, ...(projectId === 'direct' ? { directUrl: 'http://127.0.0.1:1' } : {}) }
        : undefined,
    agent: () => (running ? { request: async () => ports } : undefined),
    recordActivity: (projectId: string) => activity.push(projectId),
    events: statusEvents,
  };
  previews = new PreviewService(
    projects,
    workspaces,
    {
      domain: DOMAIN,
      scheme: 'http',
      ideOrigin: IDE,
      ttlMs: 60_000,
      countBytes: (direction, bytes) => (counted[direction] += bytes),
    },
    createLogger('silent'),
  );

  const handle = createRequestHandler(
    {
      preview: previews,
      api: undefined as never,
      auth: async () => undefined,
      pages: async (_req, res) => void res.end('berth page'),
      ping: async () => true,
    },
    { log: createLogger('silent'), trustProxy: false },
  );
  berth = http.createServer((req, res) => void handle(req, res));
  io = new SocketServer(berth, { destroyUpgrade: false, serveClient: false });
  routePreviewHostsFirst(berth, previews);
  trackOpenConnections(berth);
  // Added after the routing, as Next.js adds its own on its first request: it must never see a preview host.
  berth.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 418 Berth Upgrade\r\nContent-Length: 0\r\n\r\n'));
  baseUrl = await listen(berth);
  statusEvents.emit('onDidChangeStatus', { projectId: 'p1', state: 'running' });
});

afterAll(async () => {
  previews.dispose();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  berth.closeAllConnections();
  agent.closeAllConnections();
  app.closeAllConnections();
  await new Promise<void>((resolve) => agent.close(() => resolve()));
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

const hostOf = (url: string) => new URL(url).host;

async function previewFor(port: number, projectId = 'p1') {
  ports = [{ port, address: '0.0.0.0' }];
  const [preview] = await previews.list('alice', projectId);
  return preview!;
}

describe('preview routing and proxy', () => {
  it('lists listening ports (never the agent port nor Docker DNS) with capability URLs, owner only', async () => {
    ports = [
      { port: 39905, address: '127.0.0.11' },
      { port: 5173, address: '0.0.0.0' },
      { port: 5173, address: '::' },
      { port: 7777, address: '0.0.0.0' },
      { port: 3000, address: '127.0.0.1' },
    ];
    const list = await previews.list('alice', 'p1');
    expect(list.map((p) => p.port)).toEqual([3000, 5173]);
    expect(list[0]!.url).toMatch(/^http:\/\/p-[0-9a-f]{32}\.localhost:4321\/$/);
    expect(await previews.list('alice', 'p1')).toEqual(list); // reused while valid
    await expect(previews.list('bob', 'p1')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(previews.revoke('bob', 'p1', 5173)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(previews.revoke('alice', 'p1', 7777)).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it("tunnels to the app with the agent's secret; Berth's cookies, Authorization and X-Forwarded-Host never pass", async () => {
    const preview = await previewFor(5173);
    activity.length = 0;
    const downstreamBefore = counted.downstream;
    const res = await rawGet(baseUrl, '/path?q=1', {
      Host: hostOf(preview.url),
      Cookie:
        'next-auth.session-token=abc; theme=dark; __Secure-next-auth.session-token=x; __Host-next-auth.csrf-token=y; next-auth.csrf-token=z; other=1',
      Authorization: 'Bearer berth-token',
      'X-Forwarded-Host': 'evil.test',
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('hi /path?q=1');
    // Bytes on the wire: the answer's head and body.
    previews.bytes.flush();
    expect(counted.downstream - downstreamBefore).toBeGreaterThan('hi /path?q=1'.length);
    expect(res.headers['x-seen-cookie']).toBe('theme=dark; other=1');
    expect(res.headers['x-seen-forwarded-host']).toBe('');
    expect(res.headers['x-seen-authorization']).toBe('');
    expect(tunnelsOpened.at(-1)).toEqual({ authorization: `Bearer ${SECRET}`, target: `127.0.0.1:${APP_PORT}` });
    expect(seenByApp.at(-1)!.host).toBe(hostOf(preview.url));
    expect(JSON.stringify(seenByApp.at(-1))).not.toContain(SECRET);
    expect(activity).toEqual(['p1']);
    // Framable by the IDE only; none of Berth's own framing headers.
    expect(res.headers['content-security-policy']).toBe(`frame-ancestors ${IDE}`);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeUndefined();
  });

  it('answers 404 for unknown or revoked capabilities and 400 for malformed names under the domain', async () => {
    const preview = await previewFor(5173);
    expect((await rawGet(baseUrl, '/', { Host: `p-${'0'.repeat(32)}.${DOMAIN}` })).status).toBe(404);
    expect((await rawGet(baseUrl, '/', { Host: `p-XYZ.${DOMAIN}` })).status).toBe(400);
    expect((await rawGet(baseUrl, '/', { Host: `a.${hostOf(preview.url)}` })).status).toBe(400);
    expect((await rawGet(baseUrl, '/', { Host: `www.${DOMAIN}` })).status).toBe(400);
    const fresh = await previews.revoke('alice', 'p1', 5173);
    const old = await rawGet(baseUrl, '/', { Host: hostOf(preview.url) });
    expect(old.status).toBe(404);
    expect(old.headers['content-type']).toContain('text/html');
    expect((await rawGet(baseUrl, '/', { Host: hostOf(fresh.url) })).body).toBe('hi /');
  });

  it("leaves Berth's own host alone and ignores X-Forwarded-Host", async () => {
    const preview = await previewFor(5173);
    const res = await rawGet(baseUrl, '/', { Host: DOMAIN, 'X-Forwarded-Host': hostOf(preview.url) });
    expect(res.body).toBe('berth page');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('sends a preview host /socket.io/ request and upgrade to the app, not to Berth', async () => {
    const preview = await previewFor(5173);
    const res = await rawGet(baseUrl, '/socket.io/?EIO=4&transport=polling', { Host: hostOf(preview.url) });
    expect(res.body).toBe('hi /socket.io/?EIO=4&transport=polling');
    const upgraded = await rawUpgrade(baseUrl, '/socket.io/?EIO=4&transport=websocket', { Host: hostOf(preview.url) });
    expect('socket' in upgraded).toBe(true);
    if ('socket' in upgraded) {
      expect(await echo(upgraded.socket, 'ping-1', upgraded.head)).toContain('ping-1');
      upgraded.socket.destroy();
    }
  });

  it('passes WebSocket upgrades (HMR) through', async () => {
    const preview = await previewFor(5173);
    const before = { ...counted };
    const upgraded = await rawUpgrade(baseUrl, '/_hmr', {
      Host: hostOf(preview.url),
      Cookie: 'next-auth.session-token=abc',
    });
    if (!('socket' in upgraded)) throw new Error(`not upgraded: ${upgraded.status}`);
    expect(await echo(upgraded.socket, 'hello hmr', upgraded.head)).toContain('hello hmr');
    upgraded.socket.destroy();
    // berth_preview_bytes_total counts both ways of a WebSocket too.
    previews.bytes.flush();
    expect(counted.upstream - before.upstream).toBeGreaterThanOrEqual('hello hmr'.length);
    expect(counted.downstream - before.downstream).toBeGreaterThanOrEqual('hello hmr'.length);
    expect(seenByApp.at(-1)!.cookie).toBeUndefined();
    expect(seenByApp.at(-1)!.authorization).toBeUndefined();
    // Berth's own host still reaches Berth's upgrade handling.
    const own = await rawUpgrade(baseUrl, '/_next/webpack-hmr', { Host: DOMAIN });
    expect('status' in own && own.status).toBe(418);
  });

  it('shows friendly pages when nothing listens on the port or the workspace is not running', async () => {
    const closed = await previewFor(5174);
    const res = await rawGet(baseUrl, '/', { Host: hostOf(closed.url) });
    expect(res.status).toBe(502);
    expect(res.body).toContain('Nothing is listening on port 5174 yet');
    expect(res.body).toContain('npm run dev');
    const up = await rawUpgrade(baseUrl, '/', { Host: hostOf(closed.url) });
    expect('status' in up && up.status).toBe(502);

    const preview = await previewFor(5173);
    running = false;
    try {
      const stopped = await rawGet(baseUrl, '/', { Host: hostOf(preview.url) });
      expect(stopped.status).toBe(503);
      expect(stopped.body).toContain('The workspace is not running');
      expect(await previews.list('alice', 'p1')).toEqual([]);
    } finally {
      running = true;
    }
  });

  it("rotates all of a project's capabilities when its workspace starts again", async () => {
    const preview = await previewFor(5173);
    statusEvents.emit('onDidChangeStatus', { projectId: 'p1', state: 'running' }); // no change: still valid
    expect((await rawGet(baseUrl, '/', { Host: hostOf(preview.url) })).status).toBe(200);
    statusEvents.emit('onDidChangeStatus', { projectId: 'p1', state: 'stopping' });
    statusEvents.emit('onDidChangeStatus', { projectId: 'p1', state: 'running' });
    expect((await rawGet(baseUrl, '/', { Host: hostOf(preview.url) })).status).toBe(404);
    const fresh = await previewFor(5173);
    expect(fresh.url).not.toBe(preview.url);
  });

  it('ends an open WebSocket (HMR) when its link is revoked, on both proxy paths', async () => {
    const closed = (socket: { once(event: 'close', listener: () => void): unknown }) =>
      new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // The fast path: the connection's first request is the upgrade.
    const preview = await previewFor(5173);
    const upgraded = await rawUpgrade(baseUrl, '/_hmr', { Host: hostOf(preview.url) });
    if (!('socket' in upgraded)) throw new Error(`not upgraded: ${upgraded.status}`);
    onTestFinished(() => void upgraded.socket.destroy());
    expect(await echo(upgraded.socket, 'before', upgraded.head)).toContain('before');
    const fastClosed = closed(upgraded.socket);
    await previews.revoke('alice', 'p1', 5173);
    await fastClosed;
    // node:http's path: a connection that started with Berth's own host, then upgrades to a preview.
    const fresh = await previewFor(5173);
    const socket = net.connect(Number(new URL(baseUrl).port), '127.0.0.1');
    onTestFinished(() => void socket.destroy());
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(`GET / HTTP/1.1\r\nHost: ${DOMAIN}\r\n\r\n`);
    socket.write(
      `GET /_hmr HTTP/1.1\r\nHost: ${hostOf(fresh.url)}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    );
    await new Promise<void>((resolve) => {
      const check = () => received.includes('101 ') && (socket.off('data', check), resolve());
      socket.on('data', check);
    });
    expect(received).toContain('berth page');
    const slowClosed = closed(socket);
    await previews.revoke('alice', 'p1', 5173);
    await slowClosed;
  });

  it('never lets an absolute-form request target choose the destination', async () => {
    expect(originForm('/a?b=1')).toBe('/a?b=1');
    expect(originForm('http://169.254.169.254/latest?x=1')).toBe('/latest?x=1');
    expect(originForm('*')).toBe('*');
    const preview = await previewFor(5173);
    const absolute = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(baseUrl).port), '127.0.0.1', () =>
        socket.write(
          `GET http://127.0.0.1:1/steal?x=1 HTTP/1.1\r\nHost: ${hostOf(preview.url)}\r\nConnection: close\r\n\r\n`,
        ),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(absolute).toContain('hi /steal?x=1');
  });

  it('keeps one tunnel for the requests of a connection, and pools it for the next connection', async () => {
    const preview = await previewFor(5173);
    const host = hostOf(preview.url);
    await rawGet(baseUrl, '/warm', { Host: host }); // leaves a tunnel in the pool
    const before = tunnelsOpened.length;
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 5; i++)
      expect((await rawGet(baseUrl, `/k${i}`, { Host: host }, { agent: keepAlive })).body).toBe(`hi /k${i}`);
    keepAlive.destroy();
    expect((await rawGet(baseUrl, '/next-connection', { Host: host })).body).toBe('hi /next-connection');
    expect(tunnelsOpened.length).toBe(before);
  });

  it('frames bodies both ways: POST with a length or chunked, chunked answers, HEAD, 304 and until-close', async () => {
    const preview = await previewFor(5173);
    const host = hostOf(preview.url);
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const big = 'x'.repeat(300_000);
    const posted = await rawGet(baseUrl, '/p', { Host: host }, { agent: keepAlive, method: 'POST', body: big });
    expect(posted.body).toBe(`posted ${big}`);
    const chunkedPost = await rawGet(
      baseUrl,
      '/p',
      { Host: host, 'Transfer-Encoding': 'chunked' },
      { agent: keepAlive, method: 'POST', body: 'streamed' },
    );
    expect(chunkedPost.body).toBe('posted streamed');
    const chunked = await rawGet(baseUrl, '/chunked', { Host: host }, { agent: keepAlive });
    expect(chunked.body).toBe('one,two');
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    const head = await rawGet(baseUrl, '/h', { Host: host }, { agent: keepAlive, method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
    const notModified = await rawGet(baseUrl, '/not-modified', { Host: host }, { agent: keepAlive });
    expect([notModified.status, notModified.body]).toEqual([304, '']);
    expect((await rawGet(baseUrl, '/after', { Host: host }, { agent: keepAlive })).body).toBe('hi /after');
    const untilClose = await rawGet(baseUrl, '/until-close', { Host: host }, { agent: keepAlive });
    expect(untilClose.body).toBe('all of it');
    expect(untilClose.headers.connection).toBe('close');
    keepAlive.destroy();
  });

  it('checks every request of a connection: a revoked link answers 404 at once, a Berth request goes to Berth', async () => {
    const preview = await previewFor(5173);
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await rawGet(baseUrl, '/a', { Host: hostOf(preview.url) }, { agent: keepAlive })).body).toBe('hi /a');
    await previews.revoke('alice', 'p1', 5173);
    expect((await rawGet(baseUrl, '/a', { Host: hostOf(preview.url) }, { agent: keepAlive })).status).toBe(404);
    const fresh = await previewFor(5173);
    expect((await rawGet(baseUrl, '/b', { Host: hostOf(fresh.url) }, { agent: keepAlive })).body).toBe('hi /b');
    // A front proxy may mix hosts on one connection: Berth's request is Berth's, then previews still work.
    const own = await rawGet(baseUrl, '/', { Host: DOMAIN }, { agent: keepAlive });
    expect(own.body).toBe('berth page');
    const after = await rawGet(
      baseUrl,
      '/c',
      { Host: hostOf(fresh.url), Cookie: 'next-auth.session-token=abc; app=1', Authorization: 'Bearer x' },
      { agent: keepAlive },
    );
    expect(after.body).toBe('hi /c');
    expect(after.headers['x-seen-cookie']).toBe('app=1');
    expect(after.headers['x-seen-authorization']).toBe('');
    expect(after.headers['content-security-policy']).toBe(`frame-ancestors ${IDE}`);
    expect(after.headers['x-frame-options']).toBeUndefined();
    keepAlive.destroy();
  });

  it("goes straight to an app listening on the container's address, and tunnels when it is not there", async () => {
    const before = tunnelsOpened.length;
    const straight = await previewFor(appPort, 'direct');
    const res = await rawGet(baseUrl, '/straight', {
      Host: hostOf(straight.url),
      Cookie: 'next-auth.session-token=abc; app=2',
      Authorization: 'Bearer berth-token',
    });
    expect(res.body).toBe('hi /straight');
    expect(res.headers['x-seen-cookie']).toBe('app=2');
    expect(res.headers['x-seen-authorization']).toBe('');
    expect(res.headers['content-security-policy']).toBe(`frame-ancestors ${IDE}`);
    expect(tunnelsOpened.length).toBe(before);
    // Nothing on the container's address for this port: the agent's tunnel is asked (here: port_closed).
    const closed = await previewFor(5174, 'direct');
    const page = await rawGet(baseUrl, '/', { Host: hostOf(closed.url) });
    expect(page.status).toBe(502);
    expect(page.body).toContain('Nothing is listening on port 5174 yet');
    expect(tunnelsOpened.at(-1)!.target).toBe('127.0.0.1:5174');
  });

  it('answers pipelined requests in order, each checked', async () => {
    const preview = await previewFor(5173);
    const host = hostOf(preview.url);
    const answer = await rawExchange(
      `GET /first HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
        `GET /second HTTP/1.1\r\nHost: p-${'0'.repeat(32)}.${DOMAIN}\r\n\r\n` +
        `GET /third HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    const statuses = [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1]);
    expect(statuses).toEqual(['200', '404', '200']);
    expect(answer.indexOf('hi /first')).toBeLessThan(answer.indexOf('hi /third'));
  });

  it("gives a connection that does not start like HTTP/1 to Berth's server at once", async () => {
    // A TLS ClientHello's first bytes: node:http answers 400 and closes (nothing waits for a head).
    const answer = await rawExchange('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('refuses ambiguous requests: two Host headers, Content-Length with Transfer-Encoding', async () => {
    const preview = await previewFor(5173);
    const host = hostOf(preview.url);
    const twoHosts = await rawExchange(`GET / HTTP/1.1\r\nHost: ${host}\r\nHost: ${DOMAIN}\r\n\r\n`);
    expect(twoHosts).toMatch(/^HTTP\/1\.1 400 /);
    const smuggle = await rawExchange(
      `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    );
    expect(smuggle).toMatch(/^HTTP\/1\.1 400 /);
  });
});

/** Writes `text` on a fresh connection to Berth; resolves with everything it answers before closing. */
function rawExchange(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(baseUrl).port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
