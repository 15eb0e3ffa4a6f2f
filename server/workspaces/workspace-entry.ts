// What WorkspaceService keeps per project, and how it reads on the wire and in metrics.
import { WORKSPACE_STATES, type WorkspaceDiskDto, type WorkspaceState, type WorkspaceStatusDto } from '../contracts';
import type { AgentEndpoint } from '../runtime';
import type { AgentConnection } from './agent-connection';
import { idleInfo } from './idle-policy';

export interface Entry {
  state: WorkspaceState;
  /** Known once a start has looked the project up (the quota counts by owner). */
  ownerId?: string;
  projectName?: string;
  error?: { code: string; message: string };
  lastExit?: { exitCode: number | null; oomKilled: boolean; at: string };
  /** A process was killed for memory during this start (cleared by the next start). */
  lastOom?: { at: string; memoryLimitMb: number | null };
  startedAt?: Date;
  restoredFrom?: { snapshotId: string; createdAt: string };
  agent?: AgentConnection;
  endpoint?: AgentEndpoint;
  starting?: Promise<WorkspaceStatusDto>;
  stopping?: Promise<WorkspaceStatusDto>;
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
  return {
    projectId,
    state: entry.state,
    error: entry.error,
    lastExit: entry.lastExit,
    startedAt: entry.startedAt?.toISOString(),
    idle: entry.state === 'running' ? idleInfo(entry, idleMinutes, now) : undefined,
    ...(entry.lastOom && entry.state === 'running' ? { lastOom: entry.lastOom } : {}),
    ...(entry.restoredFrom && entry.state === 'running' ? { restoredFrom: entry.restoredFrom } : {}),
    ...(disk ? { disk } : {}),
  };
}

/** Every state present, zero included, so a scrape shows berth_workspaces{state="error"} 0 too. */
export function countByState(entries: Iterable<Entry>): Record<WorkspaceState, number> {
  const counts = Object.fromEntries(WORKSPACE_STATES.map((state) => [state, 0])) as Record<WorkspaceState, number>;
  for (const entry of entries) counts[entry.state]++;
  return counts;
}
