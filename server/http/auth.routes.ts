// /api/v1/auth/signup and /api/v1/me.
import { DomainError, tooManyRequests, unauthorized } from '../core/errors';
import { signupSchema, type UserDto } from '../contracts';
import type { SignInThrottle, UserService } from '../auth';
import { reply, type Router } from './router';

export function addAuthRoutes(
  router: Router,
  users: UserService,
  options: {
    allowSignup: boolean;
    signupThrottle: SignInThrottle;
    isAdminEmail?: (email: string) => boolean;
    afterSignup?: (user: UserDto) => Promise<{ verificationSent: boolean }>;
  },
): void {
  router
    .add('POST', '/api/v1/auth/signup', async (ctx) => {
      if (!options.allowSignup)
        throw new DomainError('forbidden', 'signup_disabled', 'Sign-up is turned off on this server');
      const ipKey = [`signup-ip:${ctx.clientIp}`];
      const wait = options.signupThrottle.retryAfterSeconds(ipKey);
      if (wait > 0) throw tooManyRequests(wait);
      const input = await ctx.body(signupSchema);
      // Every sign-up counts: many accounts from one address get slowed down like failed sign-ins.
      options.signupThrottle.recordFailure(ipKey);
      const user = await users.signup(input);
      const { verificationSent } = (await options.afterSignup?.(user)) ?? { verificationSent: false };
      return reply(201, verificationSent ? { ...user, verificationSent } : user);
    })
    .add('GET', '/api/v1/me', async (ctx) => {
      const user = await users.findById((await ctx.user()).userId);
      if (!user) throw unauthorized();
      // Only admins learn that there is an admin page.
      return reply(200, options.isAdminEmail?.(user.email) ? { ...user, isAdmin: true } : user);
    });
}
