// Adopts running workspaces and removes orphans at start-up; while the Docker engine does
// not answer, tries again every 15 s instead of failing Berth's start.
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { RuntimeDriver } from '../runtime';
import type { ProjectDirectory, WorkspaceService } from './workspace-service';

/** One pass: orphans (their project is gone) are removed, running workspaces adopted in parallel. */
export async function reconcileWorkspaces(
  driver: RuntimeDriver,
  projects: ProjectDirectory,
  adopt: (projectId: string) => Promise<unknown>,
  log: Logger,
): Promise<{ adopted: string[]; removed: string[] }> {
  const adopted: string[] = [];
  const removed: string[] = [];
  const adoptions: Promise<unknown>[] = [];
  for (const workspace of await driver.list()) {
    if (!(await projects.lookup(workspace.projectId))) {
      await driver.remove(workspace.projectId);
      removed.push(workspace.projectId);
    } else if (workspace.state === 'running') {
      adoptions.push(adopt(workspace.projectId));
      adopted.push(workspace.projectId);
    }
  }
  await Promise.all(adoptions);
  if (adopted.length || removed.length) log.info({ adopted, removed }, 'reconciled workspaces');
  return { adopted, removed };
}

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
