// The agent's preview tunnel (contracts/preview.ts): a CONNECT to 127.0.0.1:<port> that carries
// the secret (checked before this runs) becomes a byte pipe to that port inside the container,
// so a dev server bound only to localhost still previews. Checked once per connection; after
// the 200 nothing here parses HTTP: Berth keeps these connections open and reuses them.
// Only connecting is bounded: dev servers hold connections open (HMR, SSE).
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { PREVIEW_TUNNEL_HOST } from '../../contracts/preview';

export const TUNNEL_CONNECT_TIMEOUT_MS = 5000;

export type TunnelTarget = { port: number } | { error: 'bad_port'; message: string };

const TARGET = /^(.+):(\d{1,5})$/;

/** The port a CONNECT target names: only `127.0.0.1:<1-65535>`, never the agent's own port. */
export function parseTunnelTarget(target: string | undefined, ownPort: number): TunnelTarget {
  const match = TARGET.exec(target ?? '');
  if (!match || match[1] !== PREVIEW_TUNNEL_HOST)
    return { error: 'bad_port', message: `The tunnel target must be ${PREVIEW_TUNNEL_HOST}:<port>` };
  const port = Number(match[2]);
  if (!(port >= 1 && port <= 65535)) return { error: 'bad_port', message: 'The port must be between 1 and 65535' };
  if (port === ownPort) return { error: 'bad_port', message: 'The agent does not tunnel to its own port' };
  return { port };
}

export interface PreviewTunnelOptions {
  /** The agent's own port: never a tunnel target. */
  ownPort(): number;
  connectTimeoutMs?: number;
}

function refuse(socket: Duplex, status: string, body: { error: string; message: string }): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export const UNAUTHORISED_TUNNEL = 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

/** Answers an authorised CONNECT: 200 and a pipe, or a refusal. */
export function createPreviewTunnel(options: PreviewTunnelOptions) {
  const connectTimeoutMs = options.connectTimeoutMs ?? TUNNEL_CONNECT_TIMEOUT_MS;
  return function handleConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const target = parseTunnelTarget(req.url, options.ownPort());
    if ('error' in target) return refuse(socket, '400 Bad Request', target);
    const upstream = connect({ host: PREVIEW_TUNNEL_HOST, port: target.port });
    let connected = false;
    upstream.setTimeout(connectTimeoutMs, () => {
      if (!connected) upstream.destroy(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) return void socket.destroy();
      refuse(socket, '502 Bad Gateway', {
        error: 'port_closed',
        message: `Nothing answers on port ${target.port} in the workspace (${error.code ?? error.message})`,
      });
    });
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      upstream.setNoDelay(true);
      socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // Either side going away ends the other; normal ends (half-closes) travel through the pipes.
    socket.on('close', () => upstream.destroy());
    upstream.on('close', (hadError) => {
      if (hadError && connected) socket.destroy();
    });
  };
}
