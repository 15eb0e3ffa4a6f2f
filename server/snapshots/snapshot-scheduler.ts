// When snapshots are taken by themselves: some time after files change (the first change arms
// a timer, so steady typing with autosave still gets snapshots), before a workspace stops, and
// again after a failure (PostgreSQL down, agent gone) with growing pauses. Each project's state
// (saving / failed and when the next try is) is published for its open tabs.
import type { SnapshotStatusDto } from '../contracts';
import type { Logger } from '../core/logger';
import { waitAtMost } from '../core/wait-at-most';
import type { SnapshotService } from './snapshot-service';

export interface SchedulerOptions {
  /** Delay from the first change to the snapshot. */
  debounceMs: number;
  /** Longest pause between retries after failures (they double from debounceMs). */
  maxRetryMs?: number;
  /** How long the snapshot before a stop may take before the stop goes ahead. */
  stopTimeoutMs?: number;
  /**
   * While a project's snapshots keep failing, its 'failed' state is sent again this often, so a
   * tab opened (or reconnected) between two retries shows it too instead of an idle status bar.
   */
  failedReminderMs?: number;
}

interface ProjectState {
  timer?: ReturnType<typeof setTimeout>;
  /** Re-sends the 'failed' state while failures go on. */
  reminder?: ReturnType<typeof setInterval>;
  running?: Promise<void>;
  /** A change arrived while a snapshot ran: arm again after it. */
  dirty: boolean;
  failures: number;
  status: SnapshotStatusDto;
}

export class SnapshotScheduler {
  private readonly projects = new Map<string, ProjectState>();
  private disposed = false;

  constructor(
    private readonly snapshots: Pick<SnapshotService, 'take'>,
    private readonly isRunning: (projectId: string) => boolean,
    private readonly publish: (status: SnapshotStatusDto) => void,
    private readonly options: SchedulerOptions,
    private readonly log: Logger,
  ) {}

  status(projectId: string): SnapshotStatusDto {
    return this.projects.get(projectId)?.status ?? { projectId, state: 'idle' };
  }

  /** Files changed in the project's workspace. */
  changed(projectId: string): void {
    const state = this.state(projectId);
    if (state.running) state.dirty = true;
    else if (!state.timer && state.failures === 0) this.arm(projectId, this.options.debounceMs);
  }

  /** A snapshot now, before the workspace stops; never throws, bounded in time. */
  async beforeStop(projectId: string): Promise<void> {
    const state = this.state(projectId);
    clearTimeout(state.timer);
    state.timer = undefined;
    await waitAtMost(this.run(projectId, 'stop'), this.options.stopTimeoutMs ?? 20_000);
  }

  forget(projectId: string): void {
    clearTimeout(this.projects.get(projectId)?.timer);
    clearInterval(this.projects.get(projectId)?.reminder);
    this.projects.delete(projectId);
  }

  dispose(): void {
    this.disposed = true;
    for (const state of this.projects.values()) {
      clearTimeout(state.timer);
      clearInterval(state.reminder);
    }
  }

  private arm(projectId: string, delayMs: number): void {
    const state = this.state(projectId);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(projectId, 'auto');
    }, delayMs);
    state.timer.unref?.();
  }

  private run(projectId: string, reason: 'auto' | 'stop'): Promise<void> {
    const state = this.state(projectId);
    if (state.running) return state.running;
    if (this.disposed || !this.isRunning(projectId)) return Promise.resolve();
    state.dirty = false;
    this.update(projectId, { state: 'saving', error: undefined, retryAt: undefined });
    state.running = this.snapshots
      .take(projectId, reason)
      .then(({ snapshot }) => {
        state.failures = 0;
        clearInterval(state.reminder);
        state.reminder = undefined;
        this.update(projectId, { state: 'idle', lastSnapshotAt: snapshot.createdAt, failures: undefined });
      })
      .catch((error: unknown) => {
        state.failures += 1;
        const delay = Math.min(
          this.options.debounceMs * 2 ** (state.failures - 1),
          this.options.maxRetryMs ?? 5 * 60_000,
        );
        const message = error instanceof Error ? error.message : String(error);
        this.log.warn({ projectId, err: error, failures: state.failures }, 'snapshot failed; will retry');
        this.update(projectId, {
          state: 'failed',
          error: `Snapshot failed: ${message}`,
          retryAt: new Date(Date.now() + delay).toISOString(),
          failures: state.failures,
        });
        if (!this.disposed && this.isRunning(projectId)) {
          this.arm(projectId, delay);
          this.remind(projectId);
        }
      })
      .finally(() => {
        state.running = undefined;
        if (state.dirty && !state.timer && state.failures === 0) this.arm(projectId, this.options.debounceMs);
      });
    return state.running;
  }

  private remind(projectId: string): void {
    const state = this.state(projectId);
    if (state.reminder) return;
    state.reminder = setInterval(() => {
      if (state.status.state === 'failed' && this.isRunning(projectId)) return this.publish(state.status);
      if (state.status.state === 'saving') return; // a retry is on its way; it ends in a new state
      clearInterval(state.reminder); // stopped workspace: nothing more to say
      state.reminder = undefined;
    }, this.options.failedReminderMs ?? 15_000);
    state.reminder.unref?.();
  }

  private update(projectId: string, patch: Partial<SnapshotStatusDto>): void {
    const state = this.state(projectId);
    state.status = { ...state.status, ...patch, projectId };
    for (const key of Object.keys(state.status) as (keyof SnapshotStatusDto)[])
      if (state.status[key] === undefined) delete state.status[key];
    this.publish(state.status);
  }

  private state(projectId: string): ProjectState {
    let state = this.projects.get(projectId);
    if (!state) {
      state = { dirty: false, failures: 0, status: { projectId, state: 'idle' } };
      this.projects.set(projectId, state);
    }
    return state;
  }
}
