// Automatic sync of linked projects that ask for it (SyncLink.autoSync): a two-way sync a few
// seconds after the last file change of the project (its agent's fs.changed; saves come in bursts),
// and every `intervalMinutes` when that is set. Always mode 'both' with onConflict 'ask': an
// automatic sync never overwrites either side on its own — conflicts wait for the user. A sync
// already running for the project takes the next trigger after it (one more run, never a queue).
// Failures are the link's status (SyncService records them), logged here at debug level.
// One process only: with several replicas each would sync the projects whose agents it holds
// (the per-project lock is in memory); a Postgres lock per project is the step when replicas come.
import { onAgentEvent, type AgentAnnouncer } from '../core/agent-events';
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { PrismaClient } from '../db';
import type { LinkWatcher } from './links/link-service';

export interface AutoSyncSettings {
  /** From the project's last file change to its sync. */
  debounceMs: number;
}

interface Watched {
  userId: string;
  intervalMinutes: number;
  interval?: NodeJS.Timeout;
  debounce?: NodeJS.Timeout;
  /** The run under way, and whether another trigger came in meanwhile. */
  running?: Promise<void>;
  again: boolean;
}

export type AutoSyncRun = (userId: string, projectId: string) => Promise<unknown>;

export class AutoSync implements LinkWatcher {
  private readonly watched = new Map<string, Watched>();
  private offChanges: Disposer | undefined;
  private disposed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly run: AutoSyncRun,
    private readonly settings: AutoSyncSettings,
    private readonly log: Logger,
  ) {}

  /** Loads the links that sync by themselves and follows file changes. */
  async start(announcer: AgentAnnouncer): Promise<void> {
    this.offChanges = onAgentEvent(announcer, 'fs.changed', (projectId) => this.changed(projectId));
    const links = await this.prisma.syncLink.findMany({
      where: { autoSync: true },
      select: { projectId: true, intervalMinutes: true, remote: { select: { userId: true } } },
    });
    for (const link of links) this.watch(link.projectId, link.remote.userId, link.intervalMinutes);
  }

  onDidChangeLink(projectId: string, settings: { autoSync: boolean; intervalMinutes: number; userId: string } | null) {
    this.unwatch(projectId);
    if (settings?.autoSync) this.watch(projectId, settings.userId, settings.intervalMinutes);
  }

  /** Whether the project syncs by itself (tests). */
  isWatching(projectId: string): boolean {
    return this.watched.has(projectId);
  }

  /** Stops every timer; runs under way are ended by SyncService.dispose. */
  dispose(): void {
    this.disposed = true;
    this.offChanges?.();
    for (const projectId of [...this.watched.keys()]) this.unwatch(projectId);
  }

  private watch(projectId: string, userId: string, intervalMinutes: number): void {
    if (this.disposed) return;
    const entry: Watched = { userId, intervalMinutes, again: false };
    if (intervalMinutes > 0) {
      entry.interval = setInterval(() => this.trigger(projectId), intervalMinutes * 60_000);
      entry.interval.unref();
    }
    this.watched.set(projectId, entry);
  }

  private unwatch(projectId: string): void {
    const entry = this.watched.get(projectId);
    if (!entry) return;
    clearInterval(entry.interval);
    clearTimeout(entry.debounce);
    this.watched.delete(projectId);
  }

  private changed(projectId: string): void {
    const entry = this.watched.get(projectId);
    if (!entry) return;
    clearTimeout(entry.debounce);
    entry.debounce = setTimeout(() => this.trigger(projectId), this.settings.debounceMs);
    entry.debounce.unref();
  }

  private trigger(projectId: string): void {
    const entry = this.watched.get(projectId);
    if (!entry || this.disposed) return;
    if (entry.running) {
      entry.again = true;
      return;
    }
    entry.running = this.run(entry.userId, projectId)
      .then(
        () => undefined,
        (error: unknown) => this.log.debug({ projectId, err: error }, 'automatic sync did not run'),
      )
      .finally(() => {
        entry.running = undefined;
        if (entry.again && this.watched.get(projectId) === entry) {
          entry.again = false;
          this.trigger(projectId);
        }
      });
  }
}
