// The agent's one HTTP server: the secret first, then preview tunnels (CONNECT), its own routes
// (/health, /fs/content, /snapshot/archive) and the /connect WebSocket. main.ts and tests build it here.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ConnectionHub } from './connection';
import { UNAUTHORISED_TUNNEL } from './preview/preview-tunnel';

export interface AgentServerDeps {
  isAuthorised(req: IncomingMessage): boolean;
  route(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** An authorised CONNECT: a preview tunnel (preview/preview-tunnel.ts). */
  tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  hub: ConnectionHub;
  log(message: string, fields?: Record<string, unknown>): void;
}

export function createAgentServer({ isAuthorised, route, tunnel, hub, log }: AgentServerDeps): {
  server: Server;
  sockets: WebSocketServer;
} {
  const server = createServer((req, res) => {
    if (!isAuthorised(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('unauthorised');
      return;
    }
    route(req, res).catch((error: unknown) => {
      log('http route failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  // Node hands a CONNECT's socket over whole: no HTTP parsing on it from here on.
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isAuthorised(req)) {
      socket.on('error', () => socket.destroy());
      socket.end(UNAUTHORISED_TUNNEL);
      return;
    }
    tunnel(req, socket, head);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (!isAuthorised(req) || req.url !== '/connect') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => hub.serve(ws));
  });
  return { server, sockets };
}
