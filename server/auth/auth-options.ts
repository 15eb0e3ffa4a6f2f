// next-auth configuration: email + password always, GitHub when configured; JWT sessions.
import type { AuthOptions } from 'next-auth';
import CredentialsModule from 'next-auth/providers/credentials';
import GitHubModule from 'next-auth/providers/github';
import { cjsDefault } from '../core/cjs-default';
import type { Logger } from '../core/logger';
import { DomainError } from '../core/errors';
import { authRequestContext } from './auth-request-context';
import type { SessionService } from './session-service';
import type { UserService } from './user-service';

const CredentialsProvider = cjsDefault(CredentialsModule);
const GitHubProvider = cjsDefault(GitHubModule);

export const CLIENT_IP_HEADER = 'x-berth-client-ip';
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export interface AuthOptionsInput {
  secret: string;
  secureCookies: boolean;
  github?: { clientId: string; clientSecret: string };
  users: UserService;
  sessions: SessionService;
  log: Logger;
  /** Keeps the provider's access token of an OAuth sign-in (sealed): git uses GitHub's for github.com. */
  oauthTokens?: {
    remember(signIn: { provider: string; providerAccountId: string; access_token?: string | null }): Promise<void>;
  };
}

/**
 * GitHub's scopes: the profile and email for the account, and `repo` so the sign-in token can
 * push and pull the user's repositories (issue 13) when they saved no token of their own.
 */
export const GITHUB_SCOPES = 'read:user user:email repo';

export function createAuthOptions({
  secret,
  secureCookies,
  github,
  users,
  sessions,
  log,
  oauthTokens,
}: AuthOptionsInput): AuthOptions {
  const credentials = CredentialsProvider({
    name: 'Email',
    credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
    async authorize(input, req) {
      if (!input?.email || !input.password) return null;
      const clientIp = String(req.headers?.[CLIENT_IP_HEADER] ?? 'unknown');
      try {
        return await users.verifyCredentials(input.email, input.password, clientIp);
      } catch (error) {
        // next-auth hands the message to the sign-in page as ?error=…
        if (error instanceof DomainError && (error.kind === 'rate_limited' || error.code === 'email_unverified'))
          throw new Error(error.message, { cause: error });
        throw error;
      }
    },
  });

  return {
    secret,
    useSecureCookies: secureCookies,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    providers: github
      ? [credentials, GitHubProvider({ ...github, authorization: { params: { scope: GITHUB_SCOPES } } })]
      : [credentials],
    callbacks: {
      async jwt({ token, user, account, profile }) {
        // A sign-in: the new cookie names a Session row of its own (sid), which sign-out deletes.
        const startSession = async (userId: string) => {
          const context = authRequestContext.getStore();
          return sessions.create(userId, { ip: context?.ip, userAgent: context?.userAgent });
        };
        if (account && account.provider !== 'credentials') {
          const berthUser = await users.upsertOAuthUser({
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            type: account.type,
            email: profile?.email ?? user?.email ?? null,
            name: profile?.name ?? user?.name ?? null,
            image: user?.image ?? null,
          });
          await oauthTokens?.remember(account);
          return {
            sub: berthUser.id,
            email: berthUser.email,
            name: berthUser.name,
            sid: await startSession(berthUser.id),
          };
        }
        if (user) return { sub: user.id, email: user.email, name: user.name, sid: await startSession(user.id) };
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await sessions.endById(token.sid);
      },
    },
    // next-auth's own logger would print request metadata; keep only codes and messages.
    logger: {
      error: (code, metadata) =>
        log.error({ code, err: metadata instanceof Error ? metadata.message : undefined }, 'auth error'),
      warn: (code) => log.warn({ code }, 'auth warning'),
      debug: () => undefined,
    },
  };
}
