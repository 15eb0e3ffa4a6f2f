// /api/v1/projects/:id/git/remotes and …/git/fetch|pull|push (issue 13). Owner only (404 for
// anyone else); bodies and queries parsed with zod (400 with field errors); a refused URL is a
// 400 with the reason; git's refusals are 409s with git's own message and a `hint`.
import { gitRemoteBodySchema, gitRemoteQuerySchema, gitSyncBodySchema } from '../contracts';
import type { GitRemoteService } from '../git';
import { parseWith, reply, type Router } from './router';

export function addGitRemoteRoutes(router: Router, remotes: GitRemoteService): void {
  const base = '/api/v1/projects/:id/git';
  router
    .add('GET', `${base}/remotes`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await remotes.list(userId, ctx.params.id!));
    })
    .add('POST', `${base}/remotes`, async (ctx) => {
      const { userId } = await ctx.user();
      const { name, url } = await ctx.body(gitRemoteBodySchema);
      return reply(201, await remotes.add(userId, ctx.params.id!, name, url));
    })
    .add('DELETE', `${base}/remotes`, async (ctx) => {
      const { userId } = await ctx.user();
      const { name } = parseWith(gitRemoteQuerySchema, Object.fromEntries(ctx.url.searchParams));
      await remotes.remove(userId, ctx.params.id!, name);
      return reply(204);
    })
    .add('POST', `${base}/fetch`, async (ctx) => {
      const { userId } = await ctx.user();
      const { remote, branch } = await ctx.body(gitSyncBodySchema);
      return reply(200, await remotes.fetch(userId, ctx.params.id!, remote, branch));
    })
    .add('POST', `${base}/pull`, async (ctx) => {
      const { userId } = await ctx.user();
      const { remote, branch } = await ctx.body(gitSyncBodySchema);
      return reply(200, await remotes.pull(userId, ctx.params.id!, remote, branch));
    })
    .add('POST', `${base}/push`, async (ctx) => {
      const { userId } = await ctx.user();
      const { remote, branch } = await ctx.body(gitSyncBodySchema);
      return reply(200, await remotes.push(userId, ctx.params.id!, remote, branch));
    });
}
