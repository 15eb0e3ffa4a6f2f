// /api/v1/projects/:id/previews — the preview URL of each port listening in the workspace, and
// revocation (a fresh URL; the old one answers 404). Owner only: 404 for anyone else.
import { previewPortSchema } from '../contracts';
import type { PreviewService } from '../preview';
import { parseWith, reply, type Router } from './router';

export function addPreviewRoutes(router: Router, previews: PreviewService): void {
  router.add('GET', '/api/v1/projects/:id/previews', async (ctx) => {
    const user = await ctx.user();
    return reply(200, await previews.list(user.userId, ctx.params.id!));
  });

  router.add('POST', '/api/v1/projects/:id/previews/:port/revoke', async (ctx) => {
    const user = await ctx.user();
    const port = parseWith(previewPortSchema, ctx.params.port);
    return reply(200, await previews.revoke(user.userId, ctx.params.id!, port));
  });
}
