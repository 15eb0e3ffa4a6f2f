// The preview proxy for a preview request that arrives on a connection Berth's HTTP server
// already serves (a front proxy that mixes hosts on its connections to Berth): node:http both
// ways, through a tunnel of its own to the agent (agent-tunnel.ts), closed after the answer.
// Connections whose first request names a preview host take the fast path instead
// (preview-connection.ts). Same header rules (preview-headers.ts); streams, never buffers.
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { openTunnel, TunnelError, type AgentTarget } from './agent-tunnel';
import {
  connectionTokens,
  frameAncestors,
  hostOnlySetCookie,
  isDroppedAnswerHeader,
  isDroppedRequestHeader,
  isHopByHop,
  isListedByConnection,
  stripBerthCookies,
} from './preview-headers';
import { portClosedPage, sendPage, sendPageOnSocket, unreachablePage, type PageReply } from './preview-pages';

/** Counts proxied bytes (berth_preview_bytes_total); upstream = browser → workspace. */
export type ByteCounter = (direction: 'upstream' | 'downstream', bytes: number) => void;
export const countNothing: ByteCounter = () => undefined;

/** The headers sent on to the app. */
export function forwardHeaders(headers: IncomingHttpHeaders, upgrade: boolean): OutgoingHttpHeaders {
  const listed = connectionTokens(headers.connection === undefined ? [] : [headers.connection]);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'cookie' || isDroppedRequestHeader(name)) continue;
    if (!upgrade && (name === 'connection' || isHopByHop(name) || isListedByConnection(name, listed))) continue;
    out[name] = value;
  }
  const cookie = stripBerthCookies(headers.cookie);
  if (cookie) out.cookie = cookie;
  return out;
}

/**
 * Only the path and query of the request target: an absolute-form target (`GET http://elsewhere/
 * HTTP/1.1`) names nothing here (the tunnel's port is fixed), and the app sees origin-form.
 */
export function originForm(reqUrl: string | undefined): string {
  const path = reqUrl ?? '/';
  if (path.startsWith('/') || path === '*') return path;
  try {
    const parsed = new URL(path);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return '/';
  }
}

function tunnelTo(target: AgentTarget, port: number) {
  return (_options: unknown, callback: (error: Error | null, socket: Duplex) => void): undefined => {
    openTunnel(target, port).then(
      (socket) => callback(null, socket),
      // node:http reads only the error when there is one.
      (error: Error) => callback(error, undefined as unknown as Duplex),
    );
    return undefined;
  };
}

const failurePage = (error: Error, port: number): PageReply =>
  error instanceof TunnelError && error.code === 'port_closed' ? portClosedPage(port) : unreachablePage();

export function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: AgentTarget,
  port: number,
  ideOrigin: string,
  count = countNothing,
): void {
  const upstream = httpRequest({
    path: originForm(req.url),
    method: req.method,
    headers: forwardHeaders(req.headers, false),
    createConnection: tunnelTo(target, port),
  });
  upstream.on('response', (response) => {
    const headers: OutgoingHttpHeaders = { ...response.headers };
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'x-frame-options'])
      delete headers[name];
    for (const name of Object.keys(headers)) if (isDroppedAnswerHeader(name)) delete headers[name];
    const cookies = response.headers['set-cookie'];
    if (cookies !== undefined) headers['set-cookie'] = cookies.map(hostOnlySetCookie);
    // Framable by the IDE (and only by it): the app's own CSP, if any, still applies too.
    const csp = response.headers['content-security-policy'];
    headers['content-security-policy'] = [
      ...(csp === undefined ? [] : Array.isArray(csp) ? csp : [csp]),
      frameAncestors(ideOrigin),
    ].join(', ');
    res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
    response.on('data', (chunk: Buffer) => count('downstream', chunk.length));
    response.pipe(res);
    response.on('error', () => res.destroy());
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      if (!req.complete) res.setHeader('Connection', 'close');
      sendPage(res, failurePage(error, port), ideOrigin);
    } else res.destroy();
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.on('data', (chunk: Buffer) => count('upstream', chunk.length));
  req.pipe(upstream);
}

/** The raw header at `i` as a line for the browser, a cookie made host-only. */
function answerLine(raw: readonly string[], i: number): string {
  const name = raw[i]!;
  const value = raw[i + 1]!;
  return `${name}: ${name.toLowerCase() === 'set-cookie' ? hostOnlySetCookie(value) : value}`;
}

export function proxyUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: AgentTarget,
  port: number,
  ideOrigin: string,
  count = countNothing,
): void {
  socket.on('error', () => socket.destroy());
  const upstream = httpRequest({
    path: originForm(req.url),
    method: req.method,
    headers: forwardHeaders(req.headers, true),
    createConnection: tunnelTo(target, port),
  });
  upstream.on('upgrade', (response, upSocket, upHead) => {
    const lines = [`HTTP/1.1 101 ${response.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < response.rawHeaders.length; i += 2)
      if (!isDroppedAnswerHeader(response.rawHeaders[i]!.toLowerCase())) lines.push(answerLine(response.rawHeaders, i));
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
    // Not upgraded: the app refused the upgrade.
    const lines = [`HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}`];
    for (let i = 0; i < response.rawHeaders.length; i += 2) {
      const name = response.rawHeaders[i]!.toLowerCase();
      if (
        name !== 'transfer-encoding' &&
        name !== 'connection' &&
        name !== 'x-frame-options' &&
        !isDroppedAnswerHeader(name)
      )
        lines.push(answerLine(response.rawHeaders, i));
    }
    lines.push(`Content-Security-Policy: ${frameAncestors(ideOrigin)}`, 'Connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    response.pipe(socket);
  });
  upstream.on('error', (error) => sendPageOnSocket(socket, failurePage(error, port), ideOrigin));
  socket.on('close', () => upstream.destroy());
  upstream.end();
}
