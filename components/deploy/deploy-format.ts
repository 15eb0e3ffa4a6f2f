// Words for deployments: statuses, durations, API errors (pure, unit-tested).
import {
  FINAL_DEPLOYMENT_STATUSES,
  type DeploymentHealth,
  type DeploymentStatus,
  type DeploymentSummaryDto,
} from '@/server/contracts';
import { ApiError } from '../api-client';
import type { EnvironmentView } from './deploy-api';

export const isFinal = (status: DeploymentStatus): boolean => FINAL_DEPLOYMENT_STATUSES.includes(status);

export const statusLabel: Record<DeploymentStatus, string> = {
  queued: 'Queued',
  building: 'Building',
  starting: 'Starting',
  live: 'Live',
  failed: 'Failed',
  stopped: 'Stopped',
  superseded: 'Replaced',
};

/** A colour class per status: green live, red failed, amber on the way, grey otherwise. */
export const statusTone: Record<DeploymentStatus, string> = {
  queued: 'text-amber-300',
  building: 'text-amber-300',
  starting: 'text-amber-300',
  live: 'text-emerald-400',
  failed: 'text-danger',
  stopped: 'text-muted',
  superseded: 'text-muted',
};

const healthLabel: Record<DeploymentHealth, string> = {
  starting: 'starting',
  healthy: 'healthy',
  unhealthy: 'not answering',
  restarting: 'restarting after a crash',
  exited: 'exited',
};

/** What an environment is doing, in a few words: "Live · healthy", "Stopped", "Not deployed yet". */
export function environmentState(env: EnvironmentView): { text: string; tone: string } {
  const current = env.current;
  if (!current) return { text: 'Not deployed yet', tone: 'text-muted' };
  const health = current.status === 'live' && current.health ? ` · ${healthLabel[current.health]}` : '';
  const unwell = current.health === 'unhealthy' || current.health === 'exited' || current.health === 'restarting';
  return {
    text: `${statusLabel[current.status]}${health}`,
    tone: current.status === 'live' && unwell ? 'text-amber-300' : statusTone[current.status],
  };
}

/** 850 ms, 12.3 s, 2 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Elapsed time of a deployment: its recorded duration, else from its creation to `now`. */
export function elapsedMs(deployment: Pick<DeploymentSummaryDto, 'createdAt' | 'durationMs'>, now: number): number {
  return deployment.durationMs ?? Math.max(0, now - Date.parse(deployment.createdAt));
}

/** The API's refusals, in words a person can act on. */
export function deployErrorText(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return error instanceof Error && error.message ? error.message : fallback;
  switch (error.body.error) {
    case 'deployment_in_progress':
      return 'A deployment of this environment is already under way: wait for it to finish, then try again.';
    case 'quota_exceeded':
      return `You have reached your deployment quota: stop or delete an environment first. (${error.body.message})`;
    case 'nothing_to_deploy':
      return `Nothing to deploy: ${error.body.message}. Add a package.json with a build or start script, or an index.html.`;
    case 'not_rollbackable':
      return `Cannot roll back to that deployment: ${error.body.message}.`;
    case 'environment_exists':
      return 'An environment with that name already exists.';
    default:
      return error.body.message || fallback;
  }
}

/** Why a deployment of the history cannot be rolled back to (null: it can). */
export function rollbackBlocker(
  deployment: Pick<DeploymentSummaryDto, 'id' | 'status'>,
  servingId: string | null,
  imageKept: boolean | undefined,
): string | null {
  if (deployment.id === servingId) return 'This deployment is the one serving';
  if (deployment.status !== 'superseded' && deployment.status !== 'stopped' && deployment.status !== 'live')
    return 'Only a deployment that went live can be rolled back to';
  if (imageKept === false) return 'Its image is no longer kept (only the newest ones are)';
  return null;
}
