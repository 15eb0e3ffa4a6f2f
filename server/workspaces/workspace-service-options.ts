// What the workspace service is given: the project directory it looks projects up in and its
// settings; and the hooks snapshots attach once they exist (WorkspaceService.attachHooks).
import type { TemplateId } from '../contracts';
import type { BerthMetrics } from '../core/metrics';

export interface ProjectDirectory {
  /** The project's template, or null when the project does not exist (any owner). */
  lookup(projectId: string): Promise<{ template: TemplateId; ownerId: string; name: string } | null>;
}

/** Where snapshots plug into the lifecycle; without them a stop takes no snapshot and a new volume gets the template. */
export interface WorkspaceHooks {
  /** Runs while the workspace still runs, before it stops; its failure does not prevent the stop. */
  beforeStop?(projectId: string): Promise<void>;
  /** What to fill a brand-new volume with instead of the template (the latest snapshot), if anything. */
  seedFor?(
    projectId: string,
  ): Promise<
    { archive: () => Promise<NodeJS.ReadableStream>; snapshot: { snapshotId: string; createdAt: string } } | undefined
  >;
}

export interface WorkspaceServiceOptions {
  templatesDir: string;
  idleMinutes: number;
  now?: () => number;
  /** WORKSPACE_MAX_RUNNING_PER_USER; 0 or absent = no limit. */
  maxRunningPerUser?: number;
  metrics?: BerthMetrics;
}
