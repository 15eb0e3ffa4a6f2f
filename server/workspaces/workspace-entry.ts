// What WorkspaceService keeps per project, and how it reads on the wire and in metrics.
import { WORKSPACE_STATES, type WorkspaceDiskDto, type WorkspaceState, type WorkspaceStatusDto } from '../contracts';
import { idleInfo } from './idle-policy';
import { problemOf, runOf, visibleState, type Lifecycle } from './workspace-lifecycle';

export interface Entry {
  /** Where the workspace is in its lifecycle (workspace-lifecycle.ts); changed only by its transitions. */
  lifecycle: Lifecycle;
  /** Known once a start has looked the project up (the quota counts by owner). */
  ownerId?: string;
  projectName?: string;
  /** How the container last ended unasked; shown until the next start has it running. */
  lastExit?: { exitCode: number | null; oomKilled: boolean; at: string };
  clients: Map<string, number>;
  lastActivityAt: number;
}

/** `disk`: the latest measurement (WORKSPACE_DISK_GB), shown whatever the state. */
export function toStatusDto(
  projectId: string,
  entry: Entry | undefined,
  idleMinutes: number,
  now: number,
  disk?: WorkspaceDiskDto,
): WorkspaceStatusDto {
  if (!entry) return { projectId, state: 'stopped', ...(disk ? { disk } : {}) };
  const { lifecycle } = entry;
  const run = runOf(lifecycle);
  const startedAt = run?.startedAt ?? (lifecycle.phase === 'stopping' ? lifecycle.startedAt : undefined);
  return {
    projectId,
    state: visibleState(lifecycle),
    error: problemOf(lifecycle),
    lastExit: entry.lastExit,
    startedAt: startedAt?.toISOString(),
    idle: run ? idleInfo(entry, idleMinutes, now) : undefined,
    ...(run?.lastOom ? { lastOom: run.lastOom } : {}),
    ...(run?.restoredFrom ? { restoredFrom: run.restoredFrom } : {}),
    ...(disk ? { disk } : {}),
  };
}

/** Every state present, zero included, so a scrape shows berth_workspaces{state="error"} 0 too. */
export function countByState(entries: Iterable<Entry>): Record<WorkspaceState, number> {
  const counts = Object.fromEntries(WORKSPACE_STATES.map((state) => [state, 0])) as Record<WorkspaceState, number>;
  for (const entry of entries) counts[visibleState(entry.lifecycle)]++;
  return counts;
}
