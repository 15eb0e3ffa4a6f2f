// Workspace lifecycle on the wire: states pushed to every open client, and the REST answer
// of GET /api/v1/projects/:id/workspace.

export const WORKSPACE_STATES = ['stopped', 'starting', 'running', 'stopping', 'error'] as const;
export type WorkspaceState = (typeof WORKSPACE_STATES)[number];

/** Why a running workspace is still up, or when it will stop for idleness. */
export interface IdleInfo {
  /** Reasons keeping it up right now, e.g. "2 open tabs", "terminal activity". Empty = idle. */
  keptUpBy: string[];
  /** When it will be stopped if nothing happens (ISO), or null while something keeps it up. */
  stopsAt: string | null;
  idleMinutes: number;
}

/** How WORKSPACE_DISK_GB holds: 'filesystem' = the volume is its own fixed-size filesystem; 'watch' = measured, stopped past it. */
export const DISK_ENFORCEMENTS = ['filesystem', 'watch'] as const;
export type DiskEnforcement = (typeof DISK_ENFORCEMENTS)[number];

/** Disk used by the workspace (volume + container's writable layer) against its limit. */
export interface WorkspaceDiskDto {
  usedBytes: number;
  limitBytes: number;
  enforcement: DiskEnforcement;
}

export interface WorkspaceStatusDto {
  projectId: string;
  state: WorkspaceState;
  /** Set when state is 'error': what went wrong, in words a person can act on. */
  error?: { code: string; message: string };
  /** Set when state is 'stopped' after an unexpected exit. */
  lastExit?: { exitCode: number | null; oomKilled: boolean; at: string };
  /** Set while running once a process in it was killed for memory (this start only). */
  lastOom?: { at: string; memoryLimitMb: number | null };
  startedAt?: string;
  idle?: IdleInfo;
  /** Set when this start found the volume gone and put the latest snapshot back. */
  restoredFrom?: { snapshotId: string; createdAt: string };
  /** Last measured disk usage (WORKSPACE_DISK_GB); absent before the first measurement or without a limit. */
  disk?: WorkspaceDiskDto;
}
