// The agent's one HTTP server: the secret first, then previews (X-Berth-Preview-Port), then
// its own routes (/health, /fs/content) and the /connect WebSocket. main.ts and tests build it here.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { ConnectionHub } from './connection';
import type { PreviewProxy } from './preview/preview-proxy';

export interface AgentServerDeps {
  isAuthorised(req: IncomingMessage): boolean;
  route(req: IncomingMessage, res: ServerResponse): Promise<void>;
  proxy: PreviewProxy;
  hub: ConnectionHub;
  log(message: string, fields?: Record<string, unknown>): void;
}

export function createAgentServer({ isAuthorised, route, proxy, hub, log }: AgentServerDeps): {
  server: Server;
  sockets: WebSocketServer;
} {
  const server = createServer((req, res) => {
    if (!isAuthorised(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('unauthorised');
      return;
    }
    if (proxy.handleRequest(req, res)) return;
    route(req, res).catch((error: unknown) => {
      log('http route failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (!isAuthorised(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    if (proxy.handleUpgrade(req, socket, head)) return;
    if (req.url !== '/connect') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => hub.serve(ws));
  });
  return { server, sockets };
}
