// Runs the idle check every minute. Under a PostgreSQL advisory lock, so that with several
// Berth replicas only one reaps at a time.
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { WorkspaceService } from './workspace-service';

export type LockRunner = (name: string, fn: () => Promise<void>) => Promise<boolean>;

export function startIdleReaper(
  workspaces: WorkspaceService,
  withLock: LockRunner,
  log: Logger,
  intervalMs = 60_000,
): Disposer {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    withLock('workspace-idle-reaper', async () => {
      await workspaces.reapIdle();
    })
      .catch((error: unknown) => log.error({ err: error }, 'idle reaper failed'))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
