// Syncs a linked project with its remote project (issue 18): runSync (server/sync/core) drives
// this Berth's side (LocalPeer) and the remote's (HttpPeer) from the link's base, then the new
// base is saved (a snapshot "synced with <remote>" + the conversations' versions) with the remote's
// state id, the time and the result. One sync per project at a time (the project's lock, shared
// with link changes). A remote that refuses the token is a 409 remote_refused with its reason;
// any other failure (a remote that does not answer, a transfer cut short) is a result with
// success false and the reason — the base saved by a run cut short still holds (ADR: "Never
// half-applied"), so the next sync takes up where this one stopped.
import { z } from 'zod';
import type { SyncConflictDto, SyncManifestEntry, SyncRequest, SyncResultDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { KeyedLock } from '../core/keyed-lock';
import type { Logger } from '../core/logger';
import { waitAtMost } from '../core/wait-at-most';
import { isDatabaseUnavailable, type PrismaClient } from '../db';
import { abortable } from './abortable-peer';
import { runSync, type RunSyncOutcome, type SyncBase } from './core/run-sync';
import type { SyncPeer } from './core/sync-peer';
import type { SyncBaseStore } from './links/sync-base';
import { notLinked, type LinkProjects, type LinkService } from './links/link-service';
import { isRefusal, reasonOf, remoteRefused } from './remotes/remote-errors';
import type { RemoteService } from './remotes/remote-service';

/** How long shutdown waits for the syncs under way to end once told to. */
const DISPOSE_WAIT_MS = 15_000;

/** This Berth's side of a project, as a peer (server/sync/peer: LocalPeer). */
export type LocalPeerFactory = (userId: string, projectId: string) => SyncPeer;

export interface SyncServiceDeps {
  prisma: PrismaClient;
  projects: LinkProjects;
  links: Pick<LinkService, 'find'>;
  remotes: Pick<RemoteService, 'open' | 'recordCheck'>;
  bases: SyncBaseStore;
  localPeer: LocalPeerFactory;
  /** Shared with LinkService: a project's syncs and link changes never interleave. */
  projectLock: KeyedLock;
  log: Logger;
}

export class SyncShutdownError extends Error {
  constructor() {
    super('Berth is shutting down; sync again once it is back');
  }
}

export class SyncService {
  private readonly running = new Map<string, AbortController>();
  private readonly listeners = new Set<(projectId: string) => void>();
  private disposed = false;

  constructor(private readonly deps: SyncServiceDeps) {}

  /** Told after every sync of a project ends (its status is to be read again). */
  onDidSync(listener: (projectId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async sync(userId: string, projectId: string, request: SyncRequest): Promise<SyncResultDto> {
    await this.deps.projects.get(userId, projectId);
    try {
      return await this.deps.projectLock.run(projectId, () => this.syncNow(userId, projectId, request));
    } finally {
      for (const listener of this.listeners) listener(projectId);
    }
  }

  /** Ends every sync under way (each ends as an interrupted sync would) and waits for them. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const controller of this.running.values()) controller.abort(new SyncShutdownError());
    // This Berth's own side ends with the workspaces (a local apply is journalled): bounded.
    await waitAtMost(this.deps.projectLock.idle(), DISPOSE_WAIT_MS);
  }

  private async syncNow(userId: string, projectId: string, request: SyncRequest): Promise<SyncResultDto> {
    if (this.disposed) throw new DomainError('unavailable', 'shutting_down', new SyncShutdownError().message);
    const link = await this.deps.links.find(userId, projectId);
    if (!link) throw notLinked();
    const remote = await this.deps.remotes.open(userId, link.remoteId);
    const stored = await this.deps.bases.read(link);
    const base = stored && withAgreement(stored, link);
    const controller = new AbortController();
    this.running.set(projectId, controller);
    let outcome: RunSyncOutcome;
    try {
      outcome = await runSync({
        local: this.deps.localPeer(userId, projectId),
        // A remote that stops answering must not hold up shutdown: its calls end with the signal.
        remote: abortable(remote.client.peer(link.remoteProjectId, remote.name), controller.signal),
        base,
        request,
        signal: controller.signal,
      });
    } catch (error) {
      if (isRefusal(error)) {
        const refused = remoteRefused(remote.name, error);
        await this.deps.remotes.recordCheck(remote.id, refused.message);
        await this.recordFailure(projectId, refused.message, null);
        throw refused;
      }
      if (isDatabaseUnavailable(error) || (error instanceof DomainError && error.kind === 'unavailable')) throw error;
      const reason = error instanceof DomainError ? error.message : reasonOf(error);
      this.deps.log.warn({ projectId, err: error }, 'sync failed');
      const result = failedResult(reason);
      await this.recordFailure(projectId, reason, result);
      return result;
    } finally {
      this.running.delete(projectId);
    }
    if (!outcome.result.success) {
      // A run that failed keeps the old base (runSync's rule): only the result is news.
      await this.recordFailure(projectId, outcome.result.errors[0] ?? 'The sync did not finish', outcome.result);
      return outcome.result;
    }
    await this.saveOutcome(link, remote.name, outcome, base);
    await this.deps.remotes.recordCheck(remote.id, null);
    return outcome.result;
  }

  /** A successful run's new base, the remote's state and the result, in one step; the previous base goes. */
  private async saveOutcome(
    link: { projectId: string; remoteId: string; remoteProjectId: string; baseSnapshotId: string | null },
    remoteName: string,
    { result, base, remoteStateId }: RunSyncOutcome,
    previous: SyncBase | null,
  ): Promise<void> {
    const { projectId } = link;
    // Nothing agreed anew (a sync with nothing to do): the base snapshot stays as it is.
    const baseSnapshotId =
      link.baseSnapshotId && previous && sameFiles(previous.files, base.files)
        ? link.baseSnapshotId
        : await this.deps.bases.saveFiles(
            projectId,
            link.baseSnapshotId,
            base,
            `synced with ${remoteName}`.slice(0, 100),
          );
    const status = unresolvedOf(result.conflicts).length > 0 ? 'conflict' : 'synced';
    await this.deps.prisma.$transaction(async (tx) => {
      // The link may have gone meanwhile (its remote deleted): then so does the new base.
      const { count } = await tx.syncLink.updateMany({
        where: { projectId, remoteId: link.remoteId, remoteProjectId: link.remoteProjectId },
        data: {
          baseSnapshotId,
          baseConversations: base.conversations,
          remoteStateId,
          lastStatus: status,
          lastError: null,
          lastResult: (base.clean && base.localStateId
            ? { ...result, [AGREED_KEY]: { localStateId: base.localStateId, clean: true } }
            : result) as never,
          lastSyncedAt: new Date(result.timestamp),
        },
      });
      const stale = count === 0 ? baseSnapshotId : link.baseSnapshotId !== baseSnapshotId ? link.baseSnapshotId : null;
      if (stale) await tx.snapshot.deleteMany({ where: { id: stale, projectId, reason: 'sync' } });
    });
  }

  private async recordFailure(projectId: string, reason: string, result: SyncResultDto | null): Promise<void> {
    await this.deps.prisma.syncLink
      .updateMany({
        where: { projectId },
        data: { lastStatus: 'error', lastError: reason, ...(result ? { lastResult: result as never } : {}) },
      })
      .catch((error: unknown) => this.deps.log.warn({ projectId, err: error }, 'could not record a failed sync'));
  }
}

/**
 * Where a link keeps what runSync's fast path compares (SyncBase) without a column of its own:
 * the remote's stateId is the link's remoteStateId; this side's, and that the sync ended clean,
 * ride beside the last result (a failed sync's result has none, so it takes the full path).
 */
const AGREED_KEY = 'agreed';
const agreedSchema = z.object({ localStateId: z.string().min(1), clean: z.literal(true) });

/** The base with the fast path's fields, when the last sync worked and ended clean. */
function withAgreement(
  base: SyncBase,
  link: { remoteStateId: string | null; lastStatus: string; lastResult: unknown },
): SyncBase {
  if (!link.remoteStateId || link.lastStatus !== 'synced' || typeof link.lastResult !== 'object') return base;
  const agreed = agreedSchema.safeParse((link.lastResult as Record<string, unknown> | null)?.[AGREED_KEY]);
  if (!agreed.success) return base;
  return { ...base, localStateId: agreed.data.localStateId, remoteStateId: link.remoteStateId, clean: true };
}

/** The same entries (paths, modes, sizes, contents), in any order. */
function sameFiles(a: readonly SyncManifestEntry[], b: readonly SyncManifestEntry[]): boolean {
  if (a.length !== b.length) return false;
  const key = (entry: SyncManifestEntry) => `${entry.path}\0${entry.mode}\0${entry.size}\0${entry.sha256}`;
  const seen = new Set(a.map(key));
  return b.every((entry) => seen.has(key(entry)));
}

export const unresolvedOf = (conflicts: readonly SyncConflictDto[]) =>
  conflicts.filter((conflict) => conflict.outcome === 'unresolved');

function failedResult(reason: string): SyncResultDto {
  return {
    success: false,
    filesUploaded: 0,
    filesDownloaded: 0,
    conversationsUploaded: 0,
    conversationsDownloaded: 0,
    conflicts: [],
    errors: [reason],
    timestamp: new Date().toISOString(),
  };
}
