// The agent's HTTP server in-process (temp root, no container) proxying to a local target on
// 127.0.0.1: HTTP round trips, header filtering seen from the target, a WebSocket upgrade,
// and the refusals (502 closed port, 400 own port, 401 without the secret).
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createAgentServer } from '../agent-server';
import { ConnectionHub } from '../connection';
import { PathGuard } from '../fs/path-guard';
import { createHttpRoutes } from '../http-routes';
import { health } from '../rpc-handlers';
import { createSecretCheck } from '../secret-check';
import { createPreviewProxy } from './preview-proxy';

const SECRET = 'test-secret-0123456789abcdef';
let root: string;
let agent: Server;
let agentSockets: WebSocketServer;
let agentPort = 0;
let target: Server;
let targetWs: WebSocketServer;
let targetPort = 0;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const upgradeHeaders: IncomingHttpHeaders[] = [];
let targetConnections = 0;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-preview-')));
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/stream') {
        // Like SSE: the head and a first event now, the end much later.
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: first\n\n');
        setTimeout(() => res.end('data: last\n\n'), 300);
        return;
      }
      if (req.url === '/teapot') {
        res.writeHead(418, 'I am a teapot', { 'X-Target': 'yes', 'Set-Cookie': ['a=1', 'b=2'] }).end('short and stout');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${req.method} ${req.url} ${body}`);
    });
  });
  target.on('connection', () => targetConnections++);
  targetWs = new WebSocketServer({ server: target });
  targetWs.on('connection', (socket, req) => {
    upgradeHeaders.push(req.headers);
    socket.on('message', (data) => socket.send(`echo:${data.toString()}`));
  });
  targetPort = await listen(target);

  const hub = new ConnectionHub({});
  const built = createAgentServer({
    isAuthorised: createSecretCheck(SECRET),
    route: createHttpRoutes({ guard: new PathGuard(root), health }),
    proxy: createPreviewProxy({ ownPort: () => agentPort }),
    hub,
    log: () => undefined,
  });
  agent = built.server;
  agentSockets = built.sockets;
  agentPort = await listen(agent);
});

afterAll(async () => {
  for (const client of targetWs.clients) client.terminate();
  targetWs.close();
  agentSockets.close();
  agent.closeAllConnections();
  target.closeAllConnections();
  await Promise.all([close(agent), close(target)]);
  rmSync(root, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${agentPort}`;
const headers = (port: number | string = targetPort, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${SECRET}`,
  'X-Berth-Preview-Port': String(port),
  ...extra,
});

describe('preview proxy over the agent HTTP server', () => {
  it('proxies a GET with its query and a POST body round trip', async () => {
    const got = await fetch(`${base()}/some/path?y=1&z=%20two`, { headers: headers() });
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('GET /some/path?y=1&z=%20two ');
    const body = 'x'.repeat(200_000);
    const posted = await fetch(`${base()}/submit?k=v`, {
      method: 'POST',
      body,
      headers: headers(targetPort, { 'Content-Type': 'text/plain' }),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toBe(`POST /submit?k=v ${body}`);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/submit?k=v' });
    expect(seen.at(-1)!.headers['content-type']).toBe('text/plain');
  });

  it('passes status, status text and response headers (duplicates too) through', async () => {
    const { status, statusMessage, responseHeaders, body } = await new Promise<{
      status: number;
      statusMessage: string;
      responseHeaders: IncomingHttpHeaders;
      body: string;
    }>((resolve, reject) => {
      const req = request(`${base()}/teapot`, { headers: headers() }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            responseHeaders: res.headers,
            body: text,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(418);
    expect(statusMessage).toBe('I am a teapot');
    expect(responseHeaders['x-target']).toBe('yes');
    expect(responseHeaders['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(body).toBe('short and stout');
  });

  it('streams a response as it comes (first event long before the end)', async () => {
    const begin = Date.now();
    const response = await fetch(`${base()}/stream`, { headers: headers() });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString('utf8')).toBe('data: first\n\n');
    expect(Date.now() - begin).toBeLessThan(250);
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += Buffer.from(chunk.value).toString('utf8');
    expect(rest).toBe('data: last\n\n');
    expect(Date.now() - begin).toBeGreaterThanOrEqual(290);
  });

  it('reuses its connection to the target for requests one after another (keep-alive)', async () => {
    const before = targetConnections;
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${base()}/again-${i}`, { headers: headers() });
      expect(await response.text()).toBe(`GET /again-${i} `);
    }
    expect(targetConnections - before).toBeLessThanOrEqual(1);
    expect(seen.at(-1)!.headers.connection).toBe('keep-alive');
  });

  it('never lets Authorization or X-Berth-* headers reach the target', async () => {
    const response = await fetch(`${base()}/h`, {
      headers: headers(targetPort, { 'X-Berth-Other': 'secret-ish', 'X-Custom': 'kept', Cookie: 'app=1' }),
    });
    expect(response.status).toBe(200);
    await response.text();
    const received = seen.at(-1)!.headers;
    expect(received.authorization).toBeUndefined();
    expect(Object.keys(received).filter((name) => name.startsWith('x-berth-'))).toEqual([]);
    expect(JSON.stringify(received)).not.toContain(SECRET);
    expect(received['x-custom']).toBe('kept');
    expect(received.cookie).toBe('app=1');
    expect(received.host).toBe(`127.0.0.1:${agentPort}`);
  });

  it('passes a WebSocket upgrade through and echoes a message, without the Berth headers', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${agentPort}/hmr?token=t`, 'vite-hmr', { headers: headers() });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(socket.protocol).toBe('vite-hmr');
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    socket.send('hello');
    expect(await reply).toBe('echo:hello');
    socket.close();
    const received = upgradeHeaders.at(-1)!;
    expect(received.authorization).toBeUndefined();
    expect(Object.keys(received).filter((name) => name.startsWith('x-berth-'))).toEqual([]);
    expect(received['sec-websocket-protocol']).toBe('vite-hmr');
  });

  it('answers 502 port_closed for a port nothing listens on (HTTP and upgrade)', async () => {
    const probe = createServer();
    const closedPort = await listen(probe);
    await close(probe);
    const response = await fetch(`${base()}/`, { headers: headers(closedPort) });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: 'port_closed' });
    const raw = await rawUpgrade(closedPort);
    expect(raw).toMatch(/^HTTP\/1\.1 502 /);
    expect(raw).toContain('port_closed');
  });

  it("answers 400 bad_port for the agent's own port or a bad value", async () => {
    for (const port of [agentPort, 0, 65536, 'abc', '80; x']) {
      const response = await fetch(`${base()}/health`, { headers: headers(port) });
      expect(response.status, String(port)).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'bad_port' });
    }
    expect(await rawUpgrade(agentPort)).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('answers 401 without the secret, for HTTP and upgrades, and never reaches the target', async () => {
    const before = seen.length;
    const response = await fetch(`${base()}/x`, { headers: { 'X-Berth-Preview-Port': String(targetPort) } });
    expect(response.status).toBe(401);
    const wrong = await fetch(`${base()}/x`, {
      headers: { Authorization: 'Bearer wrong-secret-0123456789', 'X-Berth-Preview-Port': String(targetPort) },
    });
    expect(wrong.status).toBe(401);
    expect(await rawUpgrade(targetPort, false)).toMatch(/^HTTP\/1\.1 401 /);
    expect(seen.length).toBe(before);
  });

  it('keeps /health and /fs routes and /connect working without the preview header', async () => {
    const healthy = await fetch(`${base()}/health`, { headers: { Authorization: `Bearer ${SECRET}` } });
    expect(await healthy.json()).toMatchObject({ status: 'ok' });
    const missing = await fetch(`${base()}/fs/content?path=nope.txt`, {
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    expect(missing.status).toBe(404);
    const socket = new WebSocket(`ws://127.0.0.1:${agentPort}/connect`, {
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.close();
  });
});

/** A raw upgrade request; resolves with whatever the agent answers before closing. */
function rawUpgrade(port: number, withSecret = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(agentPort, '127.0.0.1', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: localhost\r\n${withSecret ? `Authorization: Bearer ${SECRET}\r\n` : ''}X-Berth-Preview-Port: ${port}\r\n` +
          'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, 3000).unref();
  });
}
