// WORKSPACE_DISK_GB, the part no filesystem holds (ADR 0006): every WORKSPACE_DISK_CHECK_SECONDS
// the disk of each running workspace is measured (volume + writable layer). The last figure
// goes into its status (REST, status bar, admin page); past the limit the workspace is stopped
// with disk_full, saying what filled it. Each Berth replica watches the workspaces it runs.
import { formatBytes, type WorkspaceDiskDto, type WorkspaceStatusDto } from '../contracts';
import type { Logger } from '../core/logger';
import type { Disposer } from '../core/typed-emitter';
import type { WorkspaceDiskUsage } from '../runtime';
import type { WorkspaceService } from './workspace-service';

export type DiskMeasure = (projectId: string) => Promise<WorkspaceDiskUsage | null>;

type WatchedService = Pick<WorkspaceService, 'active' | 'recordDiskUsage' | 'refresh' | 'stopBecause' | 'events'>;

export class DiskWatch {
  private readonly usage = new Map<string, WorkspaceDiskDto>();
  /**
   * Usage at which a workspace was stopped: started again (to delete files), it may stay there
   * but not grow past it. Only a watched volume can be over the limit after a start.
   */
  private readonly allowance = new Map<string, number>();
  private checking = false;

  constructor(
    private readonly workspaces: WatchedService,
    private readonly measure: DiskMeasure,
    private readonly log: Logger,
  ) {}

  /** The last figure measured for the project (kept after a stop, so a stopped workspace shows it). */
  usageOf(projectId: string): WorkspaceDiskDto | undefined {
    return this.usage.get(projectId);
  }

  /** Measures every intervalMs, and once as soon as a workspace runs. */
  start(intervalMs: number): Disposer {
    const timer = setInterval(() => void this.checkAll(), intervalMs);
    timer.unref();
    const off = this.workspaces.events.on('onDidChangeStatus', (status: WorkspaceStatusDto) => {
      if (status.state === 'running' && !status.disk) void this.check(status.projectId);
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }

  /** One round over the running workspaces (one at a time: measuring walks the writable layer). */
  async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const { projectId } of this.workspaces.active().filter((status) => status.state === 'running'))
        await this.check(projectId);
    } finally {
      this.checking = false;
    }
  }

  async check(projectId: string): Promise<void> {
    const measured = await this.measure(projectId).catch((error: unknown) => {
      this.log.warn({ projectId, err: (error as Error).message }, 'could not measure workspace disk usage');
      return null;
    });
    if (!measured) return;
    const { usedBytes, limitBytes, enforcement } = measured;
    const before = this.usage.get(projectId);
    const figure = { usedBytes, limitBytes, enforcement };
    this.usage.set(projectId, figure);
    this.workspaces.recordDiskUsage(projectId, figure);
    if (usedBytes <= limitBytes) this.allowance.delete(projectId);
    if (usedBytes > Math.max(limitBytes, this.allowance.get(projectId) ?? 0)) {
      this.log.warn({ projectId, ...measured }, 'workspace over its disk limit; stopping it');
      this.allowance.set(projectId, usedBytes);
      await this.workspaces.stopBecause(projectId, { code: 'disk_full', message: diskFullMessage(measured) });
      return;
    }
    if (before?.usedBytes !== usedBytes) this.workspaces.refresh(projectId);
  }
}

/** What a person reads in the status bar: what filled it and what happens next. */
export function diskFullMessage(usage: WorkspaceDiskUsage): string {
  // /workspace alone within the limit: what is written elsewhere pushed it over.
  const outside = usage.volumeBytes <= usage.limitBytes;
  const where = outside
    ? `${formatBytes(usage.layerBytes)} written outside /workspace (e.g. /tmp, caches), which is cleared at the next start`
    : `${formatBytes(usage.volumeBytes)} in /workspace; delete files after starting it again`;
  return `Stopped: disk limit of ${formatBytes(usage.limitBytes)} exceeded (${formatBytes(usage.usedBytes)} used: ${where})`;
}
