// Previews on the wire. A preview is served on its own site, `p-<capability>.<PREVIEW_DOMAIN>`,
// where the capability is a random 128-bit id (32 lowercase hex characters) that Berth maps
// to (project, port). It needs no cookie, expires, can be revoked, and rotates when the
// workspace restarts.
import { z } from 'zod';

/** A port something listens on inside the workspace (from /proc/net/tcp and tcp6). */
export interface ListeningPort {
  port: number;
  /** e.g. 0.0.0.0, 127.0.0.1, :: */
  address: string;
}

export interface PreviewDto {
  port: number;
  /** e.g. http://p-0123…cdef.localhost:3000/ */
  url: string;
  expiresAt: string;
}

export const CAPABILITY_PATTERN = /^[0-9a-f]{32}$/;
export const previewPortSchema = z.coerce.number().int().min(1).max(65535);

/**
 * The agent's preview tunnel (standard HTTP CONNECT): Berth opens a TCP connection to the
 * agent's port and sends `tunnelRequest(port, secret)`. The agent checks the secret and the port
 * once, connects to 127.0.0.1:<port> inside the container and answers 200; from then on the
 * connection is a plain byte pipe (no HTTP parsing in the container). Refusals answer and close:
 * 401 (secret), 400 JSON {error:'bad_port'} (malformed target, a port outside 1-65535, the
 * agent's own port), 502 JSON {error:'port_closed'} when nothing listens there.
 */
export const PREVIEW_TUNNEL_HOST = '127.0.0.1';

export const tunnelRequest = (port: number, secret: string): string =>
  `CONNECT ${PREVIEW_TUNNEL_HOST}:${port} HTTP/1.1\r\nHost: ${PREVIEW_TUNNEL_HOST}:${port}\r\nAuthorization: Bearer ${secret}\r\n\r\n`;
