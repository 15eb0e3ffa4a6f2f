// Next.js as Berth's page renderer (App Router), prepared once at start-up.
import next from 'next';
import type { PageRenderer } from './page-gate';

export async function createNextPages(options: { dev: boolean; dir: string }): Promise<PageRenderer & { close(): Promise<void> }> {
  const app = next({ dev: options.dev, dir: options.dir, customServer: true });
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
