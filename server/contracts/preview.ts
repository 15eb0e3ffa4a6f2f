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
 * The agent's reverse proxy: a request to the agent's own port carrying
 * `Authorization: Bearer <secret>` and `X-Berth-Preview-Port: <port>` is forwarded (HTTP and
 * WebSocket upgrades) to 127.0.0.1:<port> inside the container, with those two headers
 * removed. The agent never forwards to its own port. 502 with JSON {error:'port_closed'} when
 * nothing listens there.
 */
export const AGENT_PREVIEW_PORT_HEADER = 'x-berth-preview-port';
