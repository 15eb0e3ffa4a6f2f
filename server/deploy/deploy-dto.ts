// Database rows of deployments as the API answers them.
import type { DeploymentDto, DeploymentStatus, DeploymentSummaryDto } from '../contracts';
import { DEPLOYMENT_STATUSES } from '../contracts';

export interface DeploymentRow {
  id: string;
  snapshotId: string;
  createdById: string;
  status: string;
  image: string | null;
  plan: unknown;
  rollbackOfId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  buildLog: string;
}

export function statusOf(value: string): DeploymentStatus {
  return (DEPLOYMENT_STATUSES as readonly string[]).includes(value) ? (value as DeploymentStatus) : 'failed';
}

export function toDeploymentSummary(row: DeploymentRow, environment: string): DeploymentSummaryDto {
  return {
    id: row.id,
    environment,
    snapshotId: row.snapshotId,
    createdBy: row.createdById,
    status: statusOf(row.status),
    rollbackOf: row.rollbackOfId,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.durationMs,
    error: row.error,
    // Only a deployment that went live can be rolled back to.
    imageKept: row.image !== null && ['live', 'superseded', 'stopped'].includes(row.status),
  };
}

export function toDeploymentDto(row: DeploymentRow, environment: string, liveLog?: string): DeploymentDto {
  return {
    ...toDeploymentSummary(row, environment),
    plan: row.plan ?? null,
    buildLog: liveLog ?? row.buildLog,
  };
}
