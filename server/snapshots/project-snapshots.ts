// Snapshots as the API offers them: every call checks the project is the caller's (404
// otherwise) and starts the workspace where one is needed (taking, diffing, restoring).
import type { SnapshotDiffEntry, SnapshotDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { SnapshotService, TakeOptions } from './snapshot-service';
import type { SnapshotStore } from './snapshot-store';

export interface SnapshotProjects {
  /** Throws 404 when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<unknown>;
}

export interface RunningWorkspaces {
  ensureRunning(projectId: string): Promise<unknown>;
}

export class ProjectSnapshots {
  constructor(
    private readonly projects: SnapshotProjects,
    private readonly workspaces: RunningWorkspaces,
    private readonly service: SnapshotService,
    private readonly store: SnapshotStore,
  ) {}

  async list(userId: string, projectId: string): Promise<SnapshotDto[]> {
    await this.projects.get(userId, projectId);
    return this.store.list(projectId);
  }

  async take(userId: string, projectId: string, label?: string, options?: TakeOptions): Promise<SnapshotDto> {
    await this.projects.get(userId, projectId);
    await this.workspaces.ensureRunning(projectId);
    return (await this.service.take(projectId, 'manual', label, options)).snapshot;
  }

  async diff(userId: string, projectId: string, snapshotId: string): Promise<SnapshotDiffEntry[]> {
    await this.projects.get(userId, projectId);
    await this.workspaces.ensureRunning(projectId);
    return this.service.diff(projectId, snapshotId);
  }

  async file(userId: string, projectId: string, snapshotId: string, path: string) {
    await this.projects.get(userId, projectId);
    return this.service.fileContent(projectId, snapshotId, path);
  }

  async restore(userId: string, projectId: string, snapshotId: string, path?: string) {
    await this.projects.get(userId, projectId);
    if (!(await this.store.get(projectId, snapshotId)))
      throw new DomainError('not_found', 'not_found', 'Snapshot not found');
    await this.workspaces.ensureRunning(projectId);
    return this.service.restore(projectId, snapshotId, path);
  }
}
