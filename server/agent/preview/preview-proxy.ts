// The agent's reverse proxy for previews (contracts/preview.ts): a request that carries the
// secret (checked before this runs) and X-Berth-Preview-Port is forwarded to 127.0.0.1:<port>
// inside the container, HTTP and WebSocket upgrades alike, so a dev server bound only to
// localhost still previews. The secret and every X-Berth-* header are removed on the way.
// Streams both ways with no overall timeout (dev servers hold connections open: HMR, SSE);
// only connecting is bounded.
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AGENT_PREVIEW_PORT_HEADER } from '../../contracts/preview';

export const PREVIEW_CONNECT_TIMEOUT_MS = 5000;

export interface PreviewProxyOptions {
  /** The agent's own port: never a proxy target. */
  ownPort(): number;
  connectTimeoutMs?: number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

export interface PreviewProxy {
  /** Handles the request when it names a preview port; false means "not a preview request". */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** The same for an upgrade (WebSocket, e.g. Vite HMR). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded on plain HTTP. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-authenticate',
]);

const isBerthHeader = (name: string) => name === 'authorization' || name.startsWith('x-berth-');

type PortCheck = { port: number } | { error: string; message: string } | null;

function previewPort(req: IncomingMessage, ownPort: number): PortCheck {
  const value = req.headers[AGENT_PREVIEW_PORT_HEADER];
  if (value === undefined) return null;
  const text = Array.isArray(value) ? value.join(',') : value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535))
    return { error: 'bad_port', message: `${AGENT_PREVIEW_PORT_HEADER} must be a port number (1-65535)` };
  if (port === ownPort) return { error: 'bad_port', message: 'The agent does not proxy to its own port' };
  return { port };
}

/** Names listed in the Connection header are hop-by-hop too. */
function connectionTokens(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set(
    (value ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Raw header pairs (case kept, duplicates kept) without the ones `drop` names. */
function filterRaw(raw: string[], drop: (name: string) => boolean): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2)
    if (!drop(raw[index]!.toLowerCase())) kept.push(raw[index]!, raw[index + 1]!);
  return kept;
}

function rawToObject(raw: string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    const existing = headers[name];
    if (existing === undefined) headers[name] = raw[index + 1]!;
    else headers[name] = Array.isArray(existing) ? [...existing, raw[index + 1]!] : [existing, raw[index + 1]!];
  }
  return headers;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function rawResponse(socket: Duplex, status: string, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

const closedMessage = (port: number, error: unknown) =>
  `Nothing answers on port ${port} in the workspace (${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))})`;

export function createPreviewProxy(options: PreviewProxyOptions): PreviewProxy {
  const connectTimeoutMs = options.connectTimeoutMs ?? PREVIEW_CONNECT_TIMEOUT_MS;
  // Keep-alive to the app: a new loopback connection per request cost more than the proxying
  // itself (connect + accept + close, and a TIME_WAIT entry each that the port scanner re-reads
  // from /proc/net/tcp). Node's agent drops an idle socket before the app's Keep-Alive timeout.
  const upstreamAgent = new Agent({ keepAlive: true, maxFreeSockets: 32, scheduling: 'lifo' });

  function handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const check = previewPort(req, options.ownPort());
    if (check === null) return false;
    if ('error' in check) {
      req.resume();
      sendJson(res, 400, check);
      return true;
    }
    const { port } = check;
    const listed = connectionTokens(req.headers);
    const headers = rawToObject(
      filterRaw(req.rawHeaders, (name) => isBerthHeader(name) || HOP_BY_HOP.has(name) || listed.has(name)),
    );
    const upstream = request({
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.url ?? '/',
      headers,
      agent: upstreamAgent,
    });
    let connected = false;
    const connectTimer = setTimeout(
      () =>
        upstream.destroy(
          Object.assign(new Error(`connect timed out after ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      connectTimeoutMs,
    );
    upstream.on('socket', (socket: Socket) => {
      const done = () => {
        connected = true;
        clearTimeout(connectTimer);
      };
      if (!socket.connecting) done();
      else socket.once('connect', done);
    });
    upstream.on('error', (error) => {
      clearTimeout(connectTimer);
      if (!res.headersSent) {
        if (!req.complete) {
          res.setHeader('Connection', 'close');
          req.unpipe(upstream);
          req.resume();
        }
        sendJson(res, 502, {
          error: 'port_closed',
          message: connected ? `The connection to port ${port} failed: ${error.message}` : closedMessage(port, error),
        });
      } else res.destroy();
    });
    upstream.on('response', (upstreamRes) => {
      const dropped = connectionTokens(upstreamRes.headers);
      const responseHeaders = filterRaw(upstreamRes.rawHeaders, (name) => HOP_BY_HOP.has(name) || dropped.has(name));
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, responseHeaders);
      // A streaming response (SSE, no Content-Length) may not send its first byte for a while:
      // flush its head now. A sized one goes out with its first body chunk (one write, not two).
      if (upstreamRes.headers['content-length'] === undefined) res.flushHeaders();
      upstreamRes.pipe(res);
      upstreamRes.on('error', () => res.destroy());
    });
    // The client going away ends the upstream request (and so the dev server's work) too.
    res.on('close', () => {
      clearTimeout(connectTimer);
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
    return true;
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const check = previewPort(req, options.ownPort());
    if (check === null) return false;
    socket.on('error', () => socket.destroy());
    if ('error' in check) {
      rawResponse(socket, '400 Bad Request', check);
      return true;
    }
    const { port } = check;
    const upstream = connect({ host: '127.0.0.1', port });
    let connected = false;
    upstream.setTimeout(connectTimeoutMs, () => {
      if (!connected)
        upstream.destroy(
          Object.assign(new Error(`connect timed out after ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
        );
    });
    upstream.on('error', (error) => {
      if (!connected)
        rawResponse(socket, '502 Bad Gateway', { error: 'port_closed', message: closedMessage(port, error) });
      else socket.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      upstream.setNoDelay(true);
      const headers = filterRaw(req.rawHeaders, isBerthHeader);
      let text = `${req.method} ${req.url ?? '/'} HTTP/1.1\r\n`;
      for (let index = 0; index < headers.length; index += 2) text += `${headers[index]}: ${headers[index + 1]}\r\n`;
      upstream.write(`${text}\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // Either side going away ends the other (normal ends travel through the pipes).
    socket.on('close', () => upstream.destroy());
    upstream.on('close', (hadError) => {
      if (hadError && connected) socket.destroy();
    });
    return true;
  }

  return { handleRequest, handleUpgrade };
}
