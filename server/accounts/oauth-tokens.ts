// The access token GitHub hands Berth when a user signs in with GitHub (issue 13: push and pull
// with it when the user saved no token of their own for github.com). Kept on the account link
// (Account.access_token), sealed with a SecretBox under a label of its own, replaced at every
// sign-in, opened only to hand to one git command. Never logged, never sent to the browser.
import type { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';

/** The SecretBox label for OAuth sign-in tokens (a key apart from git tokens and model keys). */
export const OAUTH_TOKENS_PURPOSE = 'berth/accounts/oauth-access-tokens/v1';

/** What a provider's sign-in returned (next-auth's `account`); only the token fields are used. */
export interface OAuthSignIn {
  provider: string;
  providerAccountId: string;
  access_token?: string | null;
  scope?: string | null;
  token_type?: string | null;
}

export class OAuthTokenStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
  ) {}

  /** Called on each OAuth sign-in, after the account link exists: keeps the provider's latest token. */
  async remember(signIn: OAuthSignIn): Promise<void> {
    const token = signIn.access_token?.trim();
    if (!token) return;
    await this.prisma.account.updateMany({
      where: { provider: signIn.provider, providerAccountId: signIn.providerAccountId },
      data: { access_token: this.box.seal(token), scope: signIn.scope ?? null, token_type: signIn.token_type ?? null },
    });
  }

  /** The token of the user's GitHub sign-in; null when they never signed in with GitHub (or it cannot be opened). */
  async githubToken(userId: string): Promise<string | null> {
    const account = await this.prisma.account.findFirst({
      where: { userId, provider: 'github', access_token: { not: null } },
      orderBy: { id: 'desc' },
      select: { access_token: true },
    });
    if (!account?.access_token) return null;
    try {
      return this.box.open(account.access_token);
    } catch {
      // Sealed under another AUTH_SECRET (or stored before tokens were sealed): the next sign-in replaces it.
      return null;
    }
  }
}
