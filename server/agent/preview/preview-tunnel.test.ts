// The agent's HTTP server in-process (temp root, no container) tunnelling to a local target on
// 127.0.0.1: the CONNECT preamble's checks (secret, target, port range, own port, closed port),
// HTTP round trips and a WebSocket through one tunnel, and its other routes left as they were.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { tunnelRequest } from '../../contracts/preview';
import { createAgentServer } from '../agent-server';
import { ConnectionHub } from '../connection';
import { PathGuard } from '../fs/path-guard';
import { createHttpRoutes } from '../http-routes';
import { health } from '../rpc-handlers';
import { createSecretCheck } from '../secret-check';
import { createPreviewTunnel, parseTunnelTarget } from './preview-tunnel';

const SECRET = 'test-secret-0123456789abcdef';
let root: string;
let agent: Server;
let agentSockets: WebSocketServer;
let agentPort = 0;
let target: Server;
let targetWs: WebSocketServer;
let targetPort = 0;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let targetConnections = 0;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-tunnel-')));
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${req.method} ${req.url} ${body}`);
    });
  });
  target.on('connection', () => targetConnections++);
  targetWs = new WebSocketServer({ server: target });
  targetWs.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${data.toString()}`)));
  targetPort = await listen(target);

  const built = createAgentServer({
    isAuthorised: createSecretCheck(SECRET),
    route: createHttpRoutes({ guard: new PathGuard(root), health }),
    tunnel: createPreviewTunnel({ ownPort: () => agentPort }),
    hub: new ConnectionHub({}),
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

/** Sends `preamble` on a fresh connection to the agent; resolves with its answer's head (and body on a refusal). */
function tunnelOpen(preamble: string): Promise<{ status: number; answer: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(agentPort, '127.0.0.1', () => socket.write(preamble));
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1] ?? 0);
      if (status === 200) {
        socket.off('data', onData);
        resolve({ status, answer: text, socket });
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1] ?? 0), answer: text, socket }),
    );
  });
}

/** An http.Agent whose connections are tunnels (what Berth's pool does, in small). */
class TunnelAgent extends Agent {
  override createConnection(_options: unknown, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    tunnelOpen(tunnelRequest(targetPort, SECRET)).then(
      ({ status, socket }) => callback?.(status === 200 ? null : new Error(`tunnel ${status}`), socket),
      (error: Error) => callback?.(error, new Duplex()),
    );
    return undefined;
  }
}

function get(agentForRequests: Agent, url: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: 'app.test', path: url, method: body ? 'POST' : 'GET', agent: agentForRequests },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the tunnel preamble', () => {
  it('accepts only 127.0.0.1:<port> with a port in 1-65535 that is not the agent’s own', () => {
    expect(parseTunnelTarget('127.0.0.1:5173', 7777)).toEqual({ port: 5173 });
    expect(parseTunnelTarget('127.0.0.1:65535', 7777)).toEqual({ port: 65535 });
    for (const bad of [undefined, '', '127.0.0.1', '127.0.0.1:', 'localhost:5173', '10.0.0.2:5173', '127.0.0.1:abc'])
      expect(parseTunnelTarget(bad, 7777), String(bad)).toMatchObject({ error: 'bad_port' });
    for (const outside of ['127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:99999', '127.0.0.1:123456'])
      expect(parseTunnelTarget(outside, 7777), outside).toMatchObject({ error: 'bad_port' });
    expect(parseTunnelTarget('127.0.0.1:7777', 7777)).toMatchObject({ error: 'bad_port' });
    // Nothing else of the container's network, nor the agent's port spelt another way.
    for (const elsewhere of [
      '127.0.0.1.evil.example:80',
      '127.0.0.1:5173:80',
      '[::1]:5173',
      '0x7f.0.0.1:5173',
      '127.0.0.11:53',
      '127.0.0.1:07777',
      ' 127.0.0.1:5173',
      '127.0.0.1:5173\n',
      '127.0.0.1:+5173',
    ])
      expect(parseTunnelTarget(elsewhere, 7777), elsewhere).toMatchObject({ error: 'bad_port' });
  });

  it('refuses a wrong or missing secret with 401, and never reaches the target', async () => {
    const before = targetConnections;
    const wrong = await tunnelOpen(tunnelRequest(targetPort, 'wrong-secret-0123456789abcdef'));
    expect(wrong.status).toBe(401);
    const missing = await tunnelOpen(`CONNECT 127.0.0.1:${targetPort} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(missing.status).toBe(401);
    expect(targetConnections).toBe(before);
  });

  it('refuses a malformed preamble or target with 400, and a port outside 1-65535 or its own', async () => {
    const garbage = await tunnelOpen('BERTH\x00\x01 nonsense\r\n\r\n');
    expect(garbage.status).toBe(400);
    for (const port of [0, 65536, agentPort]) {
      const refused = await tunnelOpen(tunnelRequest(port, SECRET));
      expect(refused.status, String(port)).toBe(400);
      expect(refused.answer).toContain('bad_port');
    }
    const elsewhere = await tunnelOpen(
      `CONNECT example.com:80 HTTP/1.1\r\nHost: example.com\r\nAuthorization: Bearer ${SECRET}\r\n\r\n`,
    );
    expect(elsewhere.status).toBe(400);
  });

  it('answers 502 port_closed for a port nothing listens on', async () => {
    const probe = createServer();
    const closedPort = await listen(probe);
    await close(probe);
    const refused = await tunnelOpen(tunnelRequest(closedPort, SECRET));
    expect(refused.status).toBe(502);
    expect(refused.answer).toContain('port_closed');
  });
});

describe('an open tunnel', () => {
  it('carries request after request, bodies included, on one connection to the target', async () => {
    const tunnels = new TunnelAgent({ keepAlive: true, maxSockets: 1 });
    const before = targetConnections;
    for (let i = 0; i < 5; i++) expect(await get(tunnels, `/again-${i}?q=1`)).toBe(`200 GET /again-${i}?q=1 `);
    const body = 'x'.repeat(200_000);
    expect(await get(tunnels, '/submit', body)).toBe(`200 POST /submit ${body}`);
    expect(targetConnections - before).toBe(1);
    // Bytes, not a proxy: the target sees what the client sent (its Host, no secret).
    expect(seen.at(-1)!.headers.host).toBe('app.test');
    expect(JSON.stringify(seen.map((entry) => entry.headers))).not.toContain(SECRET);
    tunnels.destroy();
  });

  it('carries a WebSocket (HMR) both ways', async () => {
    const tunnel = await tunnelOpen(tunnelRequest(targetPort, SECRET));
    expect(tunnel.status).toBe(200);
    const socket = new WebSocket('ws://app.test/hmr', 'vite-hmr', { createConnection: () => tunnel.socket });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(socket.protocol).toBe('vite-hmr');
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    socket.send('hello');
    expect(await reply).toBe('echo:hello');
    socket.close();
  });

  it('leaves /health, /fs routes and /connect working, and plain requests are not tunnelled', async () => {
    const healthy = await fetch(`http://127.0.0.1:${agentPort}/health`, {
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    expect(await healthy.json()).toMatchObject({ status: 'ok' });
    const missing = await fetch(`http://127.0.0.1:${agentPort}/fs/content?path=nope.txt`, {
      headers: { Authorization: `Bearer ${SECRET}`, 'X-Berth-Preview-Port': String(targetPort) },
    });
    expect(missing.status).toBe(404);
    const socket = new WebSocket(`ws://127.0.0.1:${agentPort}/connect`, {
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.close();
  });
});
