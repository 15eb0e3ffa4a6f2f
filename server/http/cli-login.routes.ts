// /api/v1/cli/login — the command line's browser sign-in (server/auth/cli-login-service.ts).
// Starting and polling need no sign-in (the CLI has none yet; the poll token is its secret);
// looking at and approving a code need a browser session (Origin checked by ctx.user()).
import { cliLoginApproveSchema, cliLoginPollSchema, cliLoginStartSchema } from '../contracts';
import type { CliLoginService, SignInThrottle } from '../auth';
import { DomainError, tooManyRequests } from '../core/errors';
import { reply, type RequestContext, type Router } from './router';

async function browserUser(ctx: RequestContext): Promise<string> {
  const principal = await ctx.user();
  // A token must not mint tokens: approving is a person's act in their browser.
  if (principal.via !== 'session')
    throw new DomainError('forbidden', 'session_required', 'Approve the sign-in in your browser');
  return principal.userId;
}

export function addCliLoginRoutes(router: Router, logins: CliLoginService, throttle: SignInThrottle): void {
  router
    .add('POST', '/api/v1/cli/login', async (ctx) => {
      // Anyone may start one: rows are bounded per address and time.
      const key = [`cli-login-ip:${ctx.clientIp}`];
      const wait = throttle.retryAfterSeconds(key);
      if (wait > 0) throw tooManyRequests(wait);
      const { device } = await ctx.body(cliLoginStartSchema);
      throttle.recordFailure(key);
      return reply(201, await logins.start(device));
    })
    .add('POST', '/api/v1/cli/login/poll', async (ctx) => {
      const { pollToken } = await ctx.body(cliLoginPollSchema);
      return reply(200, await logins.poll(pollToken));
    })
    .add('POST', '/api/v1/cli/login/approve', async (ctx) => {
      const userId = await browserUser(ctx);
      const { code } = await ctx.body(cliLoginApproveSchema);
      return reply(200, await logins.approve(userId, code));
    })
    .add('GET', '/api/v1/cli/login/:code', async (ctx) => {
      await browserUser(ctx);
      return reply(200, await logins.describe(ctx.params.code!));
    });
}
