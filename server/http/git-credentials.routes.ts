// /api/v1/me/git-credentials — the caller's git tokens, one per host (issue 13). GET lists hosts
// with the username and a masked token; PUT {host, username?, token} saves one (sealed at rest);
// DELETE ?host= removes it. Tokens are never sent back.
import { gitCredentialQuerySchema, putGitCredentialSchema } from '../contracts';
import type { GitCredentialService } from '../git';
import { parseWith, reply, type Router } from './router';

export function addGitCredentialRoutes(router: Router, credentials: GitCredentialService): void {
  const path = '/api/v1/me/git-credentials';
  router
    .add('GET', path, async (ctx) => reply(200, await credentials.list((await ctx.user()).userId)))
    .add('PUT', path, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await credentials.put(userId, await ctx.body(putGitCredentialSchema)));
    })
    .add('DELETE', path, async (ctx) => {
      const { userId } = await ctx.user();
      const { host } = parseWith(gitCredentialQuerySchema, Object.fromEntries(ctx.url.searchParams));
      await credentials.remove(userId, host);
      return reply(204);
    });
}
