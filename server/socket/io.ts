// Socket.IO on Berth's HTTP server. A handshake carrying an Origin is refused unless it is
// exactly Berth's own (the `cors` option would not protect the WebSocket transport), and one
// whose Host is not Berth's (DNS rebinding) too. Clients without an Origin (scripts; browsers
// always send one on WebSocket) may only authenticate with a bearer token — never with the
// session cookie, which a browser attaches anywhere. After the handshake every event checks
// that the session or token still holds (ended ones are also cut at once: revocation.ts), and
// an event over the message limit gets an error answer instead of dropping the connection.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts';
import type { Logger } from '../core/logger';
import { bearerToken, type Principal, type RequestAuthenticator } from '../auth';
import { SOCKET_HARD_LIMIT_BYTES, SOCKET_MESSAGE_LIMIT_BYTES, payloadBytes, tooLargeError } from './message-size';
import { OrderedGate } from './ordered-gate';
import { SocketCounter } from './socket-counter';

export interface SocketData {
  principal: Principal;
  /** Logger bound to this socket's user, for its event handlers. */
  log: Logger;
}

export type BerthServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type BerthSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketServerOptions {
  allowedOrigins: readonly string[];
  /** Whether the handshake's Host names Berth (see server/http/host-policy.ts). */
  isAllowedHost?: (req: IncomingMessage) => boolean;
  authenticator: RequestAuthenticator;
  /** SOCKETS_MAX_PER_USER */
  maxPerUser?: number;
  log: Logger;
}

/** Connection refusals the browser can tell apart (the connect_error's message). */
export const SOCKET_REFUSALS = {
  origin: 'origin not allowed',
  unauthorized: 'unauthorized',
  tooMany: 'too_many_sockets',
} as const;

export function isHandshakeAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origin === undefined || allowedOrigins.includes(origin);
}

export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): BerthServer {
  const { log } = options;
  const counter = new SocketCounter(options.maxPerUser ?? 50);
  const io: BerthServer = new Server(httpServer, {
    // Next.js handles other upgrade requests (its dev HMR socket); leave them alone.
    destroyUpgrade: false,
    serveClient: false,
    // Past this the transport must drop the connection; below it, events over the message
    // limit (an editable file is at most 5 MB of text) get a "too large" answer instead.
    maxHttpBufferSize: SOCKET_HARD_LIMIT_BYTES,
    allowRequest: (req, callback) => {
      if (options.isAllowedHost && !options.isAllowedHost(req)) {
        log.warn({ host: req.headers.host }, 'socket handshake refused: host not served');
        return callback('host not allowed', false);
      }
      const allowed = isHandshakeAllowed(req, options.allowedOrigins);
      if (!allowed) log.warn({ origin: req.headers.origin }, 'socket handshake refused: origin not allowed');
      callback(allowed ? null : SOCKET_REFUSALS.origin, allowed);
    },
  });

  io.use((socket, next) => {
    const { origin, authorization, cookie } = socket.request.headers;
    const authToken = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const bearer = bearerToken(authorization) ?? (typeof authToken === 'string' ? authToken : undefined);
    // Without an Origin only a bearer token counts; with Berth's own Origin the cookie does too.
    const headers =
      bearer !== undefined ? { authorization: `Bearer ${bearer}` } : origin !== undefined ? { cookie } : {};
    options.authenticator.authenticate(headers).then(
      (principal) => {
        if (!principal) return next(new Error(SOCKET_REFUSALS.unauthorized));
        if (!counter.tryAdd(principal.userId)) {
          log.warn(
            { userId: principal.userId, max: counter.max },
            'socket refused: too many open connections for this user',
          );
          const refusal = new Error(SOCKET_REFUSALS.tooMany) as Error & { data?: unknown };
          refusal.data = {
            message: `Too many open connections (${counter.max}) for your account: close some Berth tabs or scripts and try again`,
          };
          return next(refusal);
        }
        socket.once('disconnect', () => counter.remove(principal.userId));
        socket.data.principal = principal;
        socket.data.log = log.child({ userId: principal.userId, socketId: socket.id });
        socket.join(userRoom(principal.userId));
        next();
      },
      (error: unknown) => {
        log.error({ err: error }, 'socket authentication failed');
        next(new Error(SOCKET_REFUSALS.unauthorized));
      },
    );
  });

  io.on('connection', (socket) => {
    const gate = new OrderedGate();
    socket.use((packet, next) => {
      const ack = packet[packet.length - 1];
      const answer = typeof ack === 'function' ? (ack as (result: unknown) => void) : () => undefined;
      const size = payloadBytes(packet.slice(1));
      if (size > SOCKET_MESSAGE_LIMIT_BYTES) {
        log.warn({ event: packet[0], bytes: size }, 'socket message over the limit answered with an error');
        answer({ ok: false, error: tooLargeError(size) });
        return;
      }
      const decide = (valid: boolean) => {
        if (valid) return next();
        answer({ ok: false, error: { code: 'unauthorized', message: 'Your session has ended: sign in again' } });
        socket.disconnect(true);
      };
      gate.run(() => {
        const known = options.authenticator.knownValidity(socket.data.principal);
        if (known !== undefined) return decide(known);
        return options.authenticator.stillValid(socket.data.principal).then(
          decide,
          // Database unreachable and nothing cached: let the event through (it checks ownership itself).
          () => next(),
        );
      });
    });
  });

  return io;
}

export const userRoom = (userId: string) => `user:${userId}`;
export const projectRoom = (projectId: string) => `project:${projectId}`;
