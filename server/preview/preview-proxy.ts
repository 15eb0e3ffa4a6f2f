// Forwards a preview request (HTTP or WebSocket upgrade) to the workspace agent's reverse proxy
// with node:http: the agent's secret as bearer and the preview port in X-Berth-Preview-Port.
// Berth's session/CSRF cookies and any Authorization the client sent never reach the app;
// X-Forwarded-Host is dropped. Streams both ways, never buffers (except the agent's own
// small JSON 502, turned into a friendly page).
import {
  request as httpRequest,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { AGENT_PREVIEW_PORT_HEADER } from '../contracts';

/** Counts proxied bytes (berth_preview_bytes_total); upstream = browser → workspace. */
export type ByteCounter = (direction: 'upstream' | 'downstream', bytes: number) => void;
const countNothing: ByteCounter = () => undefined;

export interface AgentTarget {
  /** e.g. http://127.0.0.1:49153 */
  url: string;
  secret: string;
}

/** Cookies Berth itself sets (next-auth session and CSRF); every other cookie passes. */
const BERTH_COOKIE = /^(__secure-|__host-)?next-auth\./i;

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

export function stripBerthCookies(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const kept = cookie
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && !BERTH_COOKIE.test(pair.split('=')[0]!.trim()));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/** The headers sent on to the agent. */
export function forwardHeaders(
  headers: IncomingHttpHeaders,
  target: AgentTarget,
  port: number,
  upgrade: boolean,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...headers };
  delete out.authorization;
  delete out['x-forwarded-host'];
  // Whatever the client sent as X-Berth-* is not the agent's business (we set the port below).
  for (const name of Object.keys(out)) if (name.startsWith('x-berth-')) delete out[name];
  delete out.cookie;
  if (!upgrade) for (const name of HOP_BY_HOP) delete out[name];
  const cookie = stripBerthCookies(headers.cookie);
  if (cookie) out.cookie = cookie;
  out.authorization = `Bearer ${target.secret}`;
  out[AGENT_PREVIEW_PORT_HEADER] = String(port);
  return out;
}

export function htmlPage(title: string, message: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><meta name="viewport" content="width=device-width"><style>body{font:15px/1.5 system-ui,sans-serif;color:#333;max-width:36rem;margin:15vh auto;padding:0 1rem}code{background:#f2f2f2;padding:0 .3em;border-radius:3px}</style></head><body><h1>${escape(title)}</h1><p>${message}</p></body></html>`;
}

export interface PageReply {
  status: number;
  title: string;
  /** Trusted HTML (callers escape what they interpolate). */
  message: string;
}

export const portClosedPage = (port: number): PageReply => ({
  status: 502,
  title: 'Nothing is listening yet',
  message: `Nothing is listening on port ${port} yet — run <code>npm run dev</code> in the terminal, then reload.`,
});

export const unreachablePage = (): PageReply => ({
  status: 502,
  title: 'Preview unreachable',
  message: 'The workspace did not answer. Try reloading in a moment.',
});

export function sendPage(res: ServerResponse, page: PageReply, frameAncestors: string): void {
  const body = htmlPage(page.title, page.message);
  res.statusCode = page.status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', `frame-ancestors ${frameAncestors}`);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** A whole HTTP response written onto a raw socket (an upgrade we cannot complete). */
export function sendPageOnSocket(socket: Duplex, page: PageReply): void {
  const body = htmlPage(page.title, page.message);
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${page.status} ${STATUS_CODES[page.status] ?? ''}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Where to send it: always the agent's host and port, with only the path and query of the
 * request target. An absolute-form target (`GET http://elsewhere/ HTTP/1.1`) must never pick
 * the destination (the request carries the agent's secret).
 */
export function upstreamOptions(
  reqUrl: string | undefined,
  target: AgentTarget,
): { hostname: string; port: string; path: string } {
  const agent = new URL(target.url);
  let path = reqUrl ?? '/';
  if (!path.startsWith('/')) {
    try {
      const parsed = new URL(path);
      path = `${parsed.pathname}${parsed.search}`;
    } catch {
      path = '/';
    }
  }
  return { hostname: agent.hostname, port: agent.port, path };
}

/** The agent's `502 {error:'port_closed'}`: small JSON, so read it whole to tell. */
function isPortClosed(response: IncomingMessage): boolean {
  return response.statusCode === 502 && (response.headers['content-type'] ?? '').includes('application/json');
}

function readSmall(response: IncomingMessage, limit = 16 * 1024): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => resolve(''));
  });
}

function portClosedBody(text: string): boolean {
  try {
    return (JSON.parse(text) as { error?: unknown }).error === 'port_closed';
  } catch {
    return false;
  }
}

export function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: AgentTarget,
  port: number,
  frameAncestors: string,
  count = countNothing,
): void {
  const upstream = httpRequest({
    ...upstreamOptions(req.url, target),
    method: req.method,
    headers: forwardHeaders(req.headers, target, port, false),
  });
  upstream.on('response', (response) => {
    if (isPortClosed(response)) {
      void readSmall(response).then((text) => {
        if (res.headersSent) return;
        if (portClosedBody(text)) sendPage(res, portClosedPage(port), frameAncestors);
        else {
          res.writeHead(502, { 'Content-Type': response.headers['content-type'] ?? 'application/json' });
          res.end(text);
        }
      });
      return;
    }
    const headers: OutgoingHttpHeaders = { ...response.headers };
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding']) delete headers[name];
    // Framable by the IDE (and only by it): the app's own CSP, if any, still applies too.
    const csp = response.headers['content-security-policy'];
    headers['content-security-policy'] = [
      ...(csp === undefined ? [] : Array.isArray(csp) ? csp : [csp]),
      `frame-ancestors ${frameAncestors}`,
    ].join(', ');
    delete headers['x-frame-options'];
    res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
    // A listener beside the pipe: no extra copy, and backpressure stays the pipe's.
    response.on('data', (chunk: Buffer) => count('downstream', chunk.length));
    response.pipe(res);
    response.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (!res.headersSent) sendPage(res, unreachablePage(), frameAncestors);
    else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.on('data', (chunk: Buffer) => count('upstream', chunk.length));
  req.pipe(upstream);
}

export function proxyUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: AgentTarget,
  port: number,
  count = countNothing,
): void {
  socket.on('error', () => socket.destroy());
  const upstream = httpRequest({
    ...upstreamOptions(req.url, target),
    method: req.method,
    headers: forwardHeaders(req.headers, target, port, true),
  });
  upstream.on('upgrade', (response, upSocket, upHead) => {
    const lines = [`HTTP/1.1 101 ${response.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < response.rawHeaders.length; i += 2)
      lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead.length > 0) socket.write(upHead);
    if (head.length > 0) upSocket.write(head);
    upSocket.on('error', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
    upSocket.on('close', () => socket.destroy());
    count('downstream', upHead.length);
    count('upstream', head.length);
    upSocket.on('data', (chunk: Buffer) => count('downstream', chunk.length));
    socket.on('data', (chunk: Buffer) => count('upstream', chunk.length));
    upSocket.pipe(socket);
    socket.pipe(upSocket);
  });
  upstream.on('response', (response) => {
    // Not upgraded: the agent's port_closed, or the app refused the upgrade.
    if (isPortClosed(response)) {
      void readSmall(response).then((text) =>
        sendPageOnSocket(socket, portClosedBody(text) ? portClosedPage(port) : unreachablePage()),
      );
      return;
    }
    const lines = [`HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}`];
    for (let i = 0; i < response.rawHeaders.length; i += 2) {
      const name = response.rawHeaders[i]!.toLowerCase();
      if (name !== 'transfer-encoding' && name !== 'connection')
        lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
    }
    lines.push('Connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    response.pipe(socket);
  });
  upstream.on('error', () => sendPageOnSocket(socket, unreachablePage()));
  socket.on('close', () => upstream.destroy());
  upstream.end();
}
