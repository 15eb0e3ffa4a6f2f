// A user's git tokens, one per host (issue 13): sealed at rest (SecretBox, a label of its own),
// listed masked, opened only to hand to one git command (GitRunner's credential option). A
// token never goes back to the browser, into a log, or into a workspace's .git/config.
import type { GitCredentialDto, PutGitCredentialBody } from '../contracts';
import { DomainError } from '../core/errors';
import type { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';
import type { GitCredential } from './git-credential-channel';

/** The SecretBox label for git tokens (a key apart from the model providers' keys). */
export const GIT_TOKENS_PURPOSE = 'berth/git/credentials/v1';
/** Used when the user gave no username: GitHub and GitLab accept any name with a token. */
export const DEFAULT_GIT_USERNAME = 'x-access-token';

/** The one host the GitHub sign-in token is ever handed to. */
export const GITHUB_HOST = 'github.com';

/** The token of the user's GitHub sign-in, when they signed in with GitHub (server/accounts' OAuthTokenStore). */
export interface GitHubSignInTokens {
  githubToken(userId: string): Promise<string | null>;
}

/** A credential for one git command, and where it came from (for the hint when it is refused). */
export interface ChosenGitCredential extends GitCredential {
  source: 'saved' | 'github-sign-in';
}

export function maskToken(token: string): string {
  return token.length <= 8 ? '••••' : `••••${token.slice(-4)}`;
}

export class GitCredentialService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly signInTokens?: GitHubSignInTokens,
  ) {}

  async list(userId: string): Promise<GitCredentialDto[]> {
    const rows = await this.prisma.userGitCredential.findMany({ where: { userId }, orderBy: { host: 'asc' } });
    return rows.map((row) => this.toDto(row));
  }

  async put(userId: string, input: PutGitCredentialBody): Promise<GitCredentialDto> {
    const host = input.host.trim().toLowerCase();
    const data = { username: input.username ?? null, token: this.box.seal(input.token.trim()) };
    const row = await this.prisma.userGitCredential.upsert({
      where: { userId_host: { userId, host } },
      create: { userId, host, ...data },
      update: data,
    });
    return this.toDto(row);
  }

  async remove(userId: string, host: string): Promise<void> {
    const { count } = await this.prisma.userGitCredential.deleteMany({ where: { userId, host } });
    if (count === 0) throw new DomainError('not_found', 'git_no_such_credential', `No token saved for ${host}`);
  }

  /**
   * The credential for one command against `host` ("name" or "name:port"): the user's own token
   * for that host; else, for https://github.com only, the token of their GitHub sign-in; else null.
   */
  async forHost(userId: string, host: string, remote: { https: boolean }): Promise<ChosenGitCredential | null> {
    const row = await this.prisma.userGitCredential.findUnique({ where: { userId_host: { userId, host } } });
    if (!row) {
      if (host !== GITHUB_HOST || !remote.https || !this.signInTokens) return null;
      const token = await this.signInTokens.githubToken(userId);
      return token ? { username: DEFAULT_GIT_USERNAME, password: token, source: 'github-sign-in' } : null;
    }
    let password: string;
    try {
      password = this.box.open(row.token);
    } catch {
      throw new DomainError(
        'conflict',
        'git_credential_unreadable',
        `The token saved for ${host} cannot be read (the server's secret changed); save it again in Settings → Git`,
      );
    }
    return { username: row.username ?? DEFAULT_GIT_USERNAME, password, source: 'saved' };
  }

  private toDto(row: { host: string; username: string | null; token: string; updatedAt: Date }): GitCredentialDto {
    let tokenMasked = '••••';
    try {
      tokenMasked = maskToken(this.box.open(row.token));
    } catch {
      // Sealed under another AUTH_SECRET: listed, but unreadable until saved again.
    }
    return { host: row.host, username: row.username, tokenMasked, updatedAt: row.updatedAt.toISOString() };
  }
}
