// A user's remote Berths (issue 18): added by URL and a personal access token made there, the
// token sealed at rest (SecretBox, purpose berth/sync/remote-tokens/v1) and listed masked. Adding
// one checks it at once (whom the token signs in as, how many projects it reaches); a remote that
// refuses the token is a 409 with its reason, one that does not answer a 400. Listing re-checks
// remotes not checked for a while in the background. open() hands the sync and link services a
// client, the URL checked again first (remote-url-policy.ts).
import type { CreateRemoteInput, RemoteDto } from '../../contracts';
import { DomainError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { SecretBox } from '../../core/secret-box';
import type { PrismaClient } from '../../db';
import type { ConnectRemote, RemoteBerth } from './remote-berth';
import { isRefusal, reasonOf, remoteRefused, remoteUnreachable, withinMs } from './remote-errors';
import { checkRemoteUrl, type RemoteUrlPolicy, type ResolveHost } from './remote-url-policy';
import { maskRemoteToken } from './token-mask';

/** The SecretBox label for remote tokens (a key apart from every other purpose's). */
export const REMOTE_TOKENS_PURPOSE = 'berth/sync/remote-tokens/v1';
/** Remotes one user may have. */
export const REMOTES_MAX_PER_USER = 50;
/** How long an add's check may take before the remote counts as unreachable. */
const CHECK_TIMEOUT_MS = 15_000;
/** Listed remotes checked longer ago than this are checked again (in the background). */
const RECHECK_AFTER_MS = 10 * 60_000;

type RemoteRow = Awaited<ReturnType<PrismaClient['syncRemote']['findFirstOrThrow']>>;

/** A remote opened for one use: its row, the client, and its name for labels and messages. */
export interface OpenedRemote {
  id: string;
  name: string;
  url: string;
  client: RemoteBerth;
}

export interface RemoteServiceOptions {
  urlPolicy: RemoteUrlPolicy;
  resolveHost?: ResolveHost;
  /** Told of each project whose link went with a removed remote. */
  onDidUnlink?: (projectId: string) => void;
  log: Logger;
}

export class RemoteService {
  private readonly rechecks = new Map<string, Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly connect: ConnectRemote,
    private readonly options: RemoteServiceOptions,
  ) {}

  async list(userId: string): Promise<RemoteDto[]> {
    const rows = await this.prisma.syncRemote.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
    const staleBefore = Date.now() - RECHECK_AFTER_MS;
    for (const row of rows) if ((row.lastCheckedAt?.getTime() ?? 0) < staleBefore) this.recheckLater(row);
    return rows.map(toRemoteDto);
  }

  async add(userId: string, input: CreateRemoteInput): Promise<RemoteDto> {
    const url = await checkRemoteUrl(input.url, this.options.urlPolicy, this.options.resolveHost);
    const name = input.name ?? defaultName(url);
    const count = await this.prisma.syncRemote.count({ where: { userId } });
    if (count >= REMOTES_MAX_PER_USER)
      throw new DomainError('conflict', 'too_many_remotes', `At most ${REMOTES_MAX_PER_USER} remotes per user`);
    const token = input.token.trim();
    const client = this.connect({ baseUrl: url, token });
    let account: Awaited<ReturnType<RemoteService['check']>>;
    try {
      account = await this.check(client, name);
    } catch (error) {
      if (isRefusal(error)) throw remoteRefused(name, error);
      throw remoteUnreachable(name, error);
    }
    const row = await this.prisma.syncRemote.create({
      data: {
        userId,
        name,
        url,
        tokenSealed: this.box.seal(token),
        tokenMasked: maskRemoteToken(token),
        accountEmail: account.email,
        accountName: account.name,
        accountProjects: account.projects,
        lastCheckedAt: new Date(),
      },
    });
    return toRemoteDto(row);
  }

  /** Removes the remote, its links and their base snapshots. */
  async remove(userId: string, remoteId: string): Promise<void> {
    const unlinked = await this.prisma.$transaction(async (tx) => {
      const remote = await tx.syncRemote.findFirst({ where: { id: remoteId, userId }, select: { id: true } });
      if (!remote) throw new DomainError('not_found', 'sync_no_such_remote', 'No such remote');
      const links = await tx.syncLink.findMany({
        where: { remoteId },
        select: { projectId: true, baseSnapshotId: true },
      });
      const bases = links.flatMap((link) => (link.baseSnapshotId ? [link.baseSnapshotId] : []));
      await tx.syncRemote.delete({ where: { id: remoteId } }); // links cascade
      if (bases.length) await tx.snapshot.deleteMany({ where: { id: { in: bases }, reason: 'sync' } });
      return links.map((link) => link.projectId);
    });
    for (const projectId of unlinked) this.options.onDidUnlink?.(projectId);
  }

  /** The user's remote, ready to use; its URL passes the policy again (404 for none of theirs). */
  async open(userId: string, remoteId: string): Promise<OpenedRemote> {
    const row = await this.prisma.syncRemote.findFirst({ where: { id: remoteId, userId } });
    if (!row) throw new DomainError('not_found', 'sync_no_such_remote', 'No such remote');
    return this.opened(row);
  }

  /** Records what a sync or status check learnt of the remote: refused (with why) or answering. */
  async recordCheck(remoteId: string, error: string | null): Promise<void> {
    await this.prisma.syncRemote
      .updateMany({ where: { id: remoteId }, data: { lastError: error, lastCheckedAt: new Date() } })
      .catch((failure: unknown) =>
        this.options.log.warn({ err: failure, remoteId }, 'could not record a remote check'),
      );
  }

  /** Settles when the background checks under way have. */
  async idle(): Promise<void> {
    await Promise.all(this.rechecks.values());
  }

  private async opened(row: RemoteRow): Promise<OpenedRemote> {
    const url = await checkRemoteUrl(row.url, this.options.urlPolicy, this.options.resolveHost);
    let token: string;
    try {
      token = this.box.open(row.tokenSealed);
    } catch {
      throw new DomainError(
        'conflict',
        'remote_token_unreadable',
        `The token saved for ${row.name} cannot be read (the server's secret changed); remove the remote and add it again`,
      );
    }
    return { id: row.id, name: row.name, url, client: this.connect({ baseUrl: url, token }) };
  }

  private async check(client: RemoteBerth, name: string) {
    const [me, projects] = await withinMs(Promise.all([client.me(), client.projects()]), CHECK_TIMEOUT_MS, name);
    return { email: me.email, name: me.name, projects: projects.length };
  }

  private recheckLater(row: RemoteRow): void {
    if (this.rechecks.has(row.id)) return;
    const run = (async () => {
      try {
        const { client } = await this.opened(row);
        const account = await this.check(client, row.name);
        await this.prisma.syncRemote.updateMany({
          where: { id: row.id },
          data: {
            accountEmail: account.email,
            accountName: account.name,
            accountProjects: account.projects,
            lastCheckedAt: new Date(),
            lastError: null,
          },
        });
      } catch (error) {
        const reason = error instanceof DomainError || isRefusal(error) ? error.message : reasonOf(error);
        await this.recordCheck(row.id, isRefusal(error) ? `${row.name} refused the token: ${reason}` : reason);
      }
    })().finally(() => this.rechecks.delete(row.id));
    this.rechecks.set(row.id, run);
  }
}

function defaultName(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname === '/' ? '' : pathname}`.slice(0, 64);
}

function toRemoteDto(row: RemoteRow): RemoteDto {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    tokenMasked: row.tokenMasked,
    createdAt: row.createdAt.toISOString(),
    account:
      row.accountProjects === null
        ? null
        : { email: row.accountEmail, name: row.accountName, projects: row.accountProjects },
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    error: row.lastError,
  };
}
