// Every connection the HTTP server holds, for shutdown. Node's closeAllConnections() leaves
// upgraded ones (Socket.IO's WebSockets, proxied HMR sockets) alone, and a WebSocket whose
// peer never answers the close handshake (a laptop gone to sleep, a client whose event loop
// is blocked) is kept by ws for 30 s — longer than `docker stop` waits before it kills Berth
// and the embedded PostgreSQL with it.
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

export function trackOpenConnections(server: Server): OpenConnections {
  const open = new Set<Socket>();
  const upgraded = new Set<Duplex>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      upgraded.delete(socket);
    });
  });
  server.on('upgrade', (_req, socket: Duplex) => upgraded.add(socket));
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
