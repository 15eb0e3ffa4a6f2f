// Turn snapshots do not pile up forever. Every turn takes a labelled snapshot (its undo point),
// and labelled snapshots escape the snapshot service's pruning, so a busy project kept thousands of
// manifests. After each turn ends, the project keeps the snapshots of its newest
// AI_TURN_SNAPSHOTS_KEPT turns (over all its conversations); older turns' snapshots go (the turn's
// snapshotId becomes null: its undo answers 409 snapshot_gone, its rewind reports the files), and
// so do turn snapshots no turn names any more (rewound turns, deleted conversations) once they are
// older than a grace period — a turn being started has taken its snapshot before it is recorded.
import type { PrismaClient } from '../../db';
import type { Logger } from '../../core/logger';
import { TypedEmitter } from '../../core/typed-emitter';

/** A turn snapshot no turn names is left alone this long (its turn may be being recorded). */
export const UNCLAIMED_GRACE_MS = 10 * 60_000;
/**
 * How long after a turn's end its prune waits: a request sent right after an answer must not
 * compete with it for the database (turns ended meanwhile share one prune).
 */
export const PRUNE_DELAY_MS = 1_000;

export interface TurnSnapshotRetentionDeps {
  prisma: PrismaClient;
  /** Deletes snapshots of the project (SnapshotStore fits); their blobs are collected later. */
  snapshots: { remove(projectId: string, snapshotIds: string[]): Promise<number> };
  /** Turns per project whose snapshots are kept (AI_TURN_SNAPSHOTS_KEPT). */
  keep: number;
  /** The label turn snapshots carry. */
  label: string;
  log: Logger;
}

export interface TurnSnapshotRetentionEvents {
  /** A prune of the project finished (also when it deleted nothing). */
  onDidPrune: { projectId: string; deleted: number };
}

export class TurnSnapshotRetention {
  readonly events = new TypedEmitter<TurnSnapshotRetentionEvents>();
  /** One prune per project at a time; a request meanwhile runs once more after it. */
  private readonly pruning = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: TurnSnapshotRetentionDeps) {}

  /** Prunes in the background, PRUNE_DELAY_MS after a turn's end (which must not wait for it); failures are logged. */
  schedule(projectId: string): void {
    if (this.delayed.has(projectId)) return;
    const timer = setTimeout(() => {
      this.delayed.delete(projectId);
      this.pruneInBackground(projectId);
    }, PRUNE_DELAY_MS);
    timer.unref();
    this.delayed.set(projectId, timer);
  }

  private pruneInBackground(projectId: string): void {
    if (this.pruning.has(projectId)) {
      this.again.add(projectId);
      return;
    }
    const run = async () => {
      do {
        this.again.delete(projectId);
        try {
          await this.prune(projectId);
        } catch (error) {
          this.deps.log.warn({ err: error, projectId }, 'pruning turn snapshots failed');
        }
      } while (this.again.has(projectId));
    };
    this.pruning.set(
      projectId,
      run().finally(() => this.pruning.delete(projectId)),
    );
  }

  /** Deletes the project's turn snapshots beyond the newest `keep` turns; returns how many went. */
  async prune(projectId: string, now = new Date()): Promise<number> {
    const { prisma, keep, label } = this.deps;
    const newest = await prisma.turn.findMany({
      where: { conversation: { projectId }, snapshotId: { not: null } },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: keep,
      select: { snapshotId: true, startedAt: true },
    });
    const kept = newest.flatMap((turn) => (turn.snapshotId ? [turn.snapshotId] : []));
    // Older than the oldest kept turn: a turn recorded since this query (its snapshot is newer) is safe.
    const olderTurns =
      newest.length === keep ? [{ turns: { some: {} }, createdAt: { lt: newest.at(-1)!.startedAt } }] : [];
    const old = await prisma.snapshot.findMany({
      where: {
        projectId,
        label,
        id: { notIn: kept },
        // Named by an older turn, or by none for longer than a turn takes to be recorded.
        OR: [...olderTurns, { turns: { none: {} }, createdAt: { lt: new Date(now.getTime() - UNCLAIMED_GRACE_MS) } }],
      },
      select: { id: true },
    });
    const deleted =
      old.length === 0
        ? 0
        : await this.deps.snapshots.remove(
            projectId,
            old.map((row) => row.id),
          );
    this.events.emit('onDidPrune', { projectId, deleted });
    return deleted;
  }

  /** Drops the prunes not begun and waits for those under way (shutdown). */
  async settle(): Promise<void> {
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    await Promise.all(this.pruning.values());
  }
}
