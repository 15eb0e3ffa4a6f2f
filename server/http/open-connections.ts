// Every connection the HTTP server holds, for shutdown. Node's closeAllConnections() leaves
// upgraded ones (Socket.IO's WebSockets, proxied HMR sockets) alone, and a WebSocket whose
// peer never answers the close handshake (a laptop gone to sleep, a client whose event loop
// is blocked) is kept by ws for 30 s — longer than `docker stop` waits before it kills Berth
// and the embedded PostgreSQL with it.
import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

// Enough for a close frame already written to leave before the socket goes.
const UPGRADED_END_GRACE_MS = 250;

export interface OpenConnections {
  /** Ends every upgraded connection (after what was written to it), destroying it shortly after. */
  endUpgraded(): void;
  /** Destroys whatever is still open. */
  destroyAll(): void;
}

/** Call after every other wrapper of the server's emit (see below). */
export function trackOpenConnections(server: Server): OpenConnections {
  const open = new Set<Socket>();
  const upgraded = new Set<Duplex>();
  const track = (socket: Socket) => {
    if (open.has(socket)) return;
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      upgraded.delete(socket);
    });
  };
  // Seen at emit, not as a listener: the preview router serves preview connections and answers
  // its upgrades (HMR sockets) before any listener runs. So this must wrap the server after
  // routePreviewHostsFirst.
  const emitter: Pick<EventEmitter, 'emit'> = server;
  const emit = emitter.emit.bind(server);
  emitter.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'connection') track(args[0] as Socket);
    if (event === 'upgrade') upgraded.add(args[1] as Duplex);
    return emit(event, ...args);
  };
  return {
    endUpgraded() {
      for (const socket of upgraded) {
        socket.end();
        setTimeout(() => socket.destroy(), UPGRADED_END_GRACE_MS).unref();
      }
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
  };
}
