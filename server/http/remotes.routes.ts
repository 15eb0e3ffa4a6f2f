// /api/v1/remotes — the caller's remote Berths for sync (issue 18). GET lists them (tokens masked;
// stale checks redone in the background); POST {url, token, name?} checks the token at once and
// answers 201 with what it reaches, 409 remote_refused with the remote's reason when it refuses the
// token, 400 when the URL is refused or the remote does not answer; DELETE /:rid removes one with
// its links (404 for none of the caller's).
import { createRemoteSchema } from '../contracts';
import type { RemoteService } from '../sync';
import { reply, type Router } from './router';

export function addRemoteRoutes(router: Router, remotes: RemoteService): void {
  router
    .add('GET', '/api/v1/remotes', async (ctx) => reply(200, await remotes.list((await ctx.user()).userId)))
    .add('POST', '/api/v1/remotes', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(201, await remotes.add(userId, await ctx.body(createRemoteSchema)));
    })
    .add('DELETE', '/api/v1/remotes/:rid', async (ctx) => {
      await remotes.remove((await ctx.user()).userId, ctx.params.rid!);
      return reply(204);
    });
}
