// Socket.IO on Berth's HTTP server. A handshake carrying an Origin is refused unless it is
// exactly Berth's own (the `cors` option would not protect the WebSocket transport). Clients
// without an Origin (scripts; browsers always send one on WebSocket) may only authenticate
// with a bearer token — never with the session cookie, which a browser attaches anywhere.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts';
import type { Logger } from '../core/logger';
import { bearerToken, type Principal, type RequestAuthenticator } from '../auth';

export interface SocketData {
  principal: Principal;
}

export type BerthServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type BerthSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketServerOptions {
  allowedOrigins: readonly string[];
  authenticator: RequestAuthenticator;
  log: Logger;
}

export function isHandshakeAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origin === undefined || allowedOrigins.includes(origin);
}

export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): BerthServer {
  const io: BerthServer = new Server(httpServer, {
    // Next.js handles other upgrade requests (its dev HMR socket); leave them alone.
    destroyUpgrade: false,
    serveClient: false,
    // fs:write carries a whole editable file (up to 5 MB of text, more once JSON-escaped).
    maxHttpBufferSize: 8e6,
    allowRequest: (req, callback) => {
      const allowed = isHandshakeAllowed(req, options.allowedOrigins);
      if (!allowed) options.log.warn({ origin: req.headers.origin }, 'socket handshake refused: origin not allowed');
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });

  io.use((socket, next) => {
    const { origin, authorization, cookie } = socket.request.headers;
    const authToken = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const bearer = bearerToken(authorization) ?? (typeof authToken === 'string' ? authToken : undefined);
    // Without an Origin only a bearer token counts; with Berth's own Origin the cookie does too.
    const headers = bearer !== undefined ? { authorization: `Bearer ${bearer}` } : origin !== undefined ? { cookie } : {};
    options.authenticator.authenticate(headers).then(
      (principal) => {
        if (!principal) return next(new Error('unauthorized'));
        socket.data.principal = principal;
        socket.join(userRoom(principal.userId));
        next();
      },
      (error: unknown) => {
        options.log.error({ err: error }, 'socket authentication failed');
        next(new Error('unauthorized'));
      },
    );
  });

  return io;
}

export const userRoom = (userId: string) => `user:${userId}`;
export const projectRoom = (projectId: string) => `project:${projectId}`;
