// Guards page routes before Next.js renders them: every page but sign-in/sign-up needs a
// session, /p/<projectId> answers a real 404 unless the caller owns the project, and /admin
// a real 404 unless the caller is an admin (BERTH_ADMIN_EMAILS).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestAuthenticator } from '../auth';
import { DomainError } from '../core/errors';
import type { ProjectService } from '../projects';

export interface PageRenderer {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  render404(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

const PUBLIC_PAGES = new Set(['/signin', '/signup', '/reset-password']);
const isAsset = (path: string) =>
  path.startsWith('/_next/') ||
  path.startsWith('/__nextjs') ||
  path === '/favicon.ico' ||
  /\.(svg|png|ico|txt|webmanifest)$/.test(path);
const WORKBENCH_PATH = /^\/p\/([^/]+)\/?$/;
const ADMIN_PATH = /^\/admin(\/|$)/;

export function createPageGate(deps: {
  authenticator: RequestAuthenticator;
  projects: ProjectService;
  pages?: PageRenderer;
  isAdmin?: (userId: string) => Promise<boolean>;
}) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const { pages } = deps;
    if (!pages) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    if (isAsset(path)) return pages.handle(req, res);

    const principal = await deps.authenticator.authenticate({ cookie: req.headers.cookie });
    if (PUBLIC_PAGES.has(path)) {
      if (principal) return redirect(res, '/');
      return pages.handle(req, res);
    }
    if (!principal) return redirect(res, `/signin?callbackUrl=${encodeURIComponent(req.url ?? '/')}`);

    if (ADMIN_PATH.test(path) && !(await deps.isAdmin?.(principal.userId))) {
      res.statusCode = 404;
      return pages.render404(req, res);
    }
    const workbench = WORKBENCH_PATH.exec(path);
    if (workbench) {
      const owned = await deps.projects.get(principal.userId, decodeSafely(workbench[1]!)).then(
        () => true,
        (error: unknown) => {
          if (error instanceof DomainError && error.kind === 'not_found') return false;
          throw error;
        },
      );
      if (!owned) {
        res.statusCode = 404;
        return pages.render404(req, res);
      }
    }
    return pages.handle(req, res);
  };
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' }).end();
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
