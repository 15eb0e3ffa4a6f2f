// Adopts running workspaces and removes orphans at start-up; while the Docker engine does
// not answer, tries again every 15 s instead of failing Berth's start.
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { WorkspaceService } from './workspace-service';

export function keepReconciling(workspaces: WorkspaceService, log: Logger, retryMs = 15_000): Disposer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = () => {
    workspaces.reconcile().catch((error: unknown) => {
      if (stopped) return;
      log.warn({ err: error instanceof Error ? error.message : error }, 'could not reconcile workspaces yet; retrying');
      timer = setTimeout(attempt, retryMs);
      timer.unref();
    });
  };
  attempt();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
