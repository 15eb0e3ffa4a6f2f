// A GitHub sign-in's access token on a real (embedded) PostgreSQL: next-auth's jwt callback (as
// Berth configures it) stores it sealed under its own key and replaces it at the next sign-in; git
// is handed it for https://github.com only, and only when the user saved no token of their own.
import { fileURLToPath } from 'node:url';
import type { AuthOptions } from 'next-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthOptions, SessionService, SignInThrottle, UserService } from '../auth';
import { createLogger } from '../core/logger';
import { PROVIDER_KEYS_PURPOSE, SecretBox } from '../core/secret-box';
import { openDatabase, type Database } from '../db';
import { makeTempDir, silentLog } from '../db/test-support';
import { GitCredentialService, GIT_TOKENS_PURPOSE } from '../git';
import { OAuthTokenStore, OAUTH_TOKENS_PURPOSE } from './oauth-tokens';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const SECRET = 'oauth-token-test-secret-0123456789abcdef';
const FIRST = `gho_first${Date.now().toString(36)}abcdefghijklmnop`;
const SECOND = `gho_second${Date.now().toString(36)}qrstuvwxyz012345`;
const logs: string[] = [];
let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let db: Database;
let store: OAuthTokenStore;
let credentials: GitCredentialService;
let options: AuthOptions;

beforeAll(async () => {
  tmp = await makeTempDir('berth-oauth-tokens-');
  db = await openDatabase({ dataDir: tmp.path, migrationsDir, log: silentLog });
  const throttle = () => new SignInThrottle({ maxFailures: 10, windowSeconds: 60 });
  store = new OAuthTokenStore(db.prisma, new SecretBox(SECRET, OAUTH_TOKENS_PURPOSE));
  credentials = new GitCredentialService(db.prisma, new SecretBox(SECRET, GIT_TOKENS_PURPOSE), store);
  options = createAuthOptions({
    secret: SECRET,
    secureCookies: false,
    github: { clientId: 'client-id', clientSecret: 'client-secret' },
    users: new UserService(db.prisma, throttle(), throttle()),
    sessions: new SessionService(db.prisma, { maxAgeSeconds: 3600 }),
    log: createLogger('debug', { write: (line: string) => void logs.push(line) }),
    oauthTokens: store,
  });
}, 60_000);

afterAll(async () => {
  await db?.close();
  await tmp?.remove();
});

/** What next-auth calls when GitHub's OAuth dance has ended with `accessToken`. */
async function signInWithGitHub(githubId: string, email: string, accessToken: string): Promise<string> {
  const jwt = options.callbacks!.jwt!;
  const token = await jwt({
    token: {},
    user: { id: githubId, email, name: 'Octo Cat' },
    account: {
      provider: 'github',
      type: 'oauth',
      providerAccountId: githubId,
      access_token: accessToken,
      token_type: 'bearer',
      scope: 'read:user,repo,user:email',
    },
    profile: { email, name: 'Octo Cat' },
    trigger: 'signIn',
    isNewUser: false,
  });
  expect(typeof token.sub).toBe('string');
  return token.sub!;
}

describe('the GitHub sign-in token', () => {
  it('asks GitHub for the repo scope', () => {
    const github = options.providers.find((provider) => provider.id === 'github') as unknown as {
      options: { authorization: { params: { scope: string } } };
    };
    expect(github.options.authorization.params.scope.split(' ')).toEqual(
      expect.arrayContaining(['read:user', 'user:email', 'repo']),
    );
  });

  it('is stored sealed under its own key at sign-in, and replaced at the next one', async () => {
    const userId = await signInWithGitHub('424242', 'octo@example.test', FIRST);
    const account = await db.prisma.account.findFirstOrThrow({ where: { userId, provider: 'github' } });
    expect(account.access_token).not.toBeNull();
    expect(account.access_token).not.toContain(FIRST);
    expect(account.scope).toBe('read:user,repo,user:email');
    expect(new SecretBox(SECRET, OAUTH_TOKENS_PURPOSE).open(account.access_token!)).toBe(FIRST);
    // Another purpose's key does not open it.
    for (const purpose of [GIT_TOKENS_PURPOSE, PROVIDER_KEYS_PURPOSE])
      expect(() => new SecretBox(SECRET, purpose).open(account.access_token!)).toThrow();
    expect(await store.githubToken(userId)).toBe(FIRST);

    expect(await signInWithGitHub('424242', 'octo@example.test', SECOND)).toBe(userId);
    expect(await store.githubToken(userId)).toBe(SECOND);
    expect(await db.prisma.account.count({ where: { userId } })).toBe(1);
    expect(logs.join('\n')).not.toMatch(/gho_/);
  });

  it('goes to git for https://github.com only, and the user’s own token wins', async () => {
    const userId = await signInWithGitHub('515151', 'hubber@example.test', FIRST);
    expect(await credentials.forHost(userId, 'github.com', { https: true })).toEqual({
      username: 'x-access-token',
      password: FIRST,
      source: 'github-sign-in',
    });
    for (const [host, https] of [
      ['gitlab.com', true],
      ['github.com:8443', true],
      ['git.example.test', true],
      ['github.com', false],
    ] as const)
      expect(await credentials.forHost(userId, host, { https }), `${host} https=${String(https)}`).toBeNull();

    await credentials.put(userId, { host: 'github.com', username: 'hubber', token: 'ghp_own_token_0123456789' });
    expect(await credentials.forHost(userId, 'github.com', { https: true })).toEqual({
      username: 'hubber',
      password: 'ghp_own_token_0123456789',
      source: 'saved',
    });
    await credentials.remove(userId, 'github.com');
    expect((await credentials.forHost(userId, 'github.com', { https: true }))?.source).toBe('github-sign-in');

    // A user who never signed in with GitHub gets nothing for github.com.
    const other = await db.prisma.user.create({ data: { email: 'plain@example.test', name: 'Plain' } });
    expect(await credentials.forHost(other.id, 'github.com', { https: true })).toBeNull();
    expect(await store.githubToken(other.id)).toBeNull();
  });
});
