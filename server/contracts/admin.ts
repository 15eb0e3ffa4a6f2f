// REST contract of the admin API (/api/v1/admin/*), open only to BERTH_ADMIN_EMAILS.
import { projectRefSchema } from './ids';
import type { WorkspaceDiskDto, WorkspaceState } from './workspace';

export const adminProjectParamsSchema = projectRefSchema;

export interface AdminUserDto {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  projectCount: number;
  runningWorkspaces: number;
  isAdmin: boolean;
}

export interface AdminWorkspaceDto {
  projectId: string;
  projectName: string;
  ownerEmail: string;
  state: WorkspaceState;
  startedAt: string | null;
  /** Null when the runtime could not tell (e.g. the container just stopped). */
  stats: { cpuPercent: number; memoryBytes: number; memoryLimitBytes: number } | null;
  /** Last measured disk usage against WORKSPACE_DISK_GB; null before the first measurement or without a limit. */
  disk: WorkspaceDiskDto | null;
}
