// Everything snapshots need, made once by the composition root: the store, the service, the
// scheduler fed by the agents' file changes, the workspace hooks (snapshot before stop; a lost
// volume refilled from the latest snapshot), blob collection every half hour (one replica at a
// time), and the API facade. Import/export is built apart (server/transfer/create-transfer.ts).
import type { SnapshotStatusDto } from '../contracts';
import { onAgentEvent, type AgentAnnouncer } from '../core/agent-events';
import type { Logger } from '../core/logger';
import type { BerthMetrics } from '../core/metrics';
import type { Disposer } from '../core/typed-emitter';
import type { PrismaClient } from '../db';
import { AgentArchiveClient } from './agent-archive-client';
import { ProjectSnapshots, type RunningWorkspaces, type SnapshotProjects } from './project-snapshots';
import { SnapshotScheduler } from './snapshot-scheduler';
import { SnapshotService, type SnapshotWorkspaces } from './snapshot-service';
import { SnapshotStore } from './snapshot-store';

const GC_INTERVAL_MS = 30 * 60_000;

export interface SnapshotSettings {
  debounceSeconds: number;
  keep: number;
  maxFileBytes: number;
  metrics?: BerthMetrics;
}

export interface SnapshotDeps {
  prisma: PrismaClient;
  projects: SnapshotProjects;
  workspaces: SnapshotWorkspaces & RunningWorkspaces & AgentAnnouncer;
  publish(status: SnapshotStatusDto): void;
  withLock(name: string, fn: () => Promise<void>): Promise<unknown>;
  log: Logger;
}

export function createSnapshots(deps: SnapshotDeps, settings: SnapshotSettings) {
  const store = new SnapshotStore(deps.prisma);
  const archive = new AgentArchiveClient();
  const service = new SnapshotService(store, deps.workspaces, archive, {
    maxFileBytes: settings.maxFileBytes,
    keep: settings.keep,
    metrics: settings.metrics,
  });
  const scheduler = new SnapshotScheduler(
    service,
    (projectId) => deps.workspaces.agent(projectId) !== undefined,
    deps.publish,
    { debounceMs: settings.debounceSeconds * 1000 },
    deps.log,
  );
  const api = new ProjectSnapshots(deps.projects, deps.workspaces, service, store);

  const hooks = {
    beforeStop: (projectId: string) => scheduler.beforeStop(projectId),
    seedFor: async (projectId: string) => {
      const latest = await store.latest(projectId);
      if (!latest) return undefined;
      return {
        archive: () => service.archiveOf(latest.id),
        snapshot: { snapshotId: latest.id, createdAt: latest.createdAt },
      };
    },
  };

  const offChanges = onAgentEvent(deps.workspaces, 'fs.changed', (projectId) => scheduler.changed(projectId));
  const gcTimer = setInterval(() => {
    deps
      .withLock('snapshot-blob-gc', async () => {
        const freed = await store.collectGarbage();
        if (freed.blobs > 0) deps.log.info(freed, 'snapshot blobs collected');
      })
      .catch((error: unknown) => deps.log.warn({ err: error }, 'snapshot blob collection failed'));
  }, GC_INTERVAL_MS);
  gcTimer.unref();

  const dispose: Disposer = () => {
    offChanges();
    clearInterval(gcTimer);
    scheduler.dispose();
    archive.dispose();
  };
  return { store, service, scheduler, api, hooks, dispose };
}
