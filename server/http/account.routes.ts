// /api/v1/me/* (the caller's password, sessions and account) and the signed-out side of
// accounts under /api/v1/auth/* (forgot password, reset by link, email verification).
import type { AccountService } from '../accounts';
import type { SessionService } from '../auth';
import {
  changePasswordSchema,
  deleteAccountSchema,
  forgotPasswordSchema,
  idParamsSchema,
  resetPasswordSchema,
  type AuthOptionsDto,
} from '../contracts';
import { DomainError, tooManyRequests } from '../core/errors';
import type { SignInThrottle } from '../auth';
import { parseWith, reply, type Router } from './router';

export function addAccountRoutes(
  router: Router,
  accounts: AccountService,
  sessions: SessionService,
  options: { allowSignup: boolean; throttle: SignInThrottle; berthUrl: string },
): void {
  router
    .add('GET', '/api/v1/auth/options', async () =>
      reply(200, {
        mail: accounts.mailEnabled,
        signup: options.allowSignup,
        berthUrl: options.berthUrl,
      } satisfies AuthOptionsDto),
    )
    .add('PUT', '/api/v1/me/password', async (ctx) => {
      const principal = await ctx.user();
      const { currentPassword, newPassword } = await ctx.body(changePasswordSchema);
      await accounts.changePassword(principal, currentPassword, newPassword);
      return reply(204);
    })
    .add('GET', '/api/v1/me/sessions', async (ctx) => {
      const principal = await ctx.user();
      return reply(
        200,
        await sessions.list(principal.userId, principal.via === 'session' ? principal.sessionId : undefined),
      );
    })
    .add('DELETE', '/api/v1/me/sessions', async (ctx) => {
      const principal = await ctx.user();
      await sessions.endAll(principal.userId, principal.via === 'session' ? principal.sessionId : undefined);
      return reply(204);
    })
    .add('DELETE', '/api/v1/me/sessions/:id', async (ctx) => {
      const principal = await ctx.user();
      await sessions.end(principal.userId, parseWith(idParamsSchema, ctx.params).id);
      return reply(204);
    })
    .add('DELETE', '/api/v1/me', async (ctx) => {
      const principal = await ctx.user();
      const { email } = await ctx.body(deleteAccountSchema);
      await accounts.deleteAccount(principal.userId, email);
      return reply(204);
    })
    .add('POST', '/api/v1/auth/forgot-password', async (ctx) => {
      const key = [`forgot-ip:${ctx.clientIp}`];
      const wait = options.throttle.retryAfterSeconds(key);
      if (wait > 0) throw tooManyRequests(wait);
      const { email } = await ctx.body(forgotPasswordSchema);
      options.throttle.recordFailure(key);
      await accounts.requestReset(email);
      // The same answer whether or not the email has an account.
      return reply(202, { message: 'If an account has this email, a link to reset its password is on its way' });
    })
    .add('POST', '/api/v1/auth/reset-password', async (ctx) => {
      const { token, newPassword } = await ctx.body(resetPasswordSchema);
      await accounts.resetPassword(token, newPassword);
      return reply(204);
    })
    .add('GET', '/api/v1/auth/verify-email', async (ctx) => {
      const token = ctx.url.searchParams.get('token');
      if (!token) throw new DomainError('bad_request', 'invalid_link', 'The link is incomplete');
      const verified = await accounts.verifyEmail(token).then(
        () => true,
        (error: unknown) => {
          if (error instanceof DomainError && error.code === 'invalid_link') return false;
          throw error;
        },
      );
      ctx.res
        .writeHead(302, {
          Location: verified ? '/signin?verified=1' : '/signin?error=invalid_link',
          'Cache-Control': 'no-store',
        })
        .end();
      return reply(302);
    });
}
