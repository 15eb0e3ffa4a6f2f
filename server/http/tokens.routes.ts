// /api/v1/tokens — personal access tokens of the caller.
import { createTokenSchema } from '../contracts';
import type { TokenService } from '../auth';
import { reply, type Router } from './router';

export function addTokenRoutes(router: Router, tokens: TokenService): void {
  router
    .add('GET', '/api/v1/tokens', async (ctx) => reply(200, await tokens.list((await ctx.user()).userId)))
    .add('POST', '/api/v1/tokens', async (ctx) => {
      const { userId } = await ctx.user();
      const { name } = await ctx.body(createTokenSchema);
      return reply(201, await tokens.create(userId, name));
    })
    .add('DELETE', '/api/v1/tokens/:id', async (ctx) => {
      await tokens.revoke((await ctx.user()).userId, ctx.params.id!);
      return reply(204);
    });
}
