// Next.js as Berth's page renderer (App Router), prepared once at start-up.
import { Server } from 'node:http';
import next from 'next';
import type { PageRenderer } from './page-gate';

export async function createNextPages(options: {
  dev: boolean;
  dir: string;
}): Promise<PageRenderer & { close(): Promise<void> }> {
  // Given no server, Next.js adds an 'upgrade' listener to the server of its first request and
  // answers every upgrade there too. Berth routes upgrades itself (previews, Socket.IO, then
  // Next.js), so Next.js gets a server that never listens to put its listener on.
  const app = next({ dev: options.dev, dir: options.dir, customServer: true, httpServer: new Server() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  return {
    handle: (req, res) => handle(req, res),
    render404: (req, res) => app.render404(req, res),
    upgrade: (req, socket, head) => upgrade(req, socket, head),
    close: () => app.close(),
  };
}
