// The part of a workspace start that reaches out: the project's record, the running quota, the
// snapshot a lost volume is rebuilt from, and the runtime bringing the container up — and how a
// failed start is reported. The lifecycle around it (states, agent, events) is workspace-service.ts.
import path from 'node:path';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { AgentEndpoint, RuntimeDriver, RuntimeWorkspace } from '../runtime';
import { quotaRefusal, type QuotaEntry } from './running-quota';
import type { Entry } from './workspace-entry';
import { visibleState, type Run } from './workspace-lifecycle';
import type { ProjectDirectory, WorkspaceHooks, WorkspaceServiceOptions } from './workspace-service-options';

export interface BringUpDeps {
  driver: RuntimeDriver;
  projects: ProjectDirectory;
  options: WorkspaceServiceOptions;
  hooks: WorkspaceHooks;
  entries: ReadonlyMap<string, Entry>;
  log: Logger;
}

/** Brings the project's container up; records owner and name, and says what a lost volume came back from. */
export async function bringUpWorkspace(
  { driver, projects, options, hooks, entries, log }: BringUpDeps,
  projectId: string,
  entry: Entry,
  quota: boolean,
): Promise<RuntimeWorkspace & { agent: AgentEndpoint; restoredFrom?: Run['restoredFrom'] }> {
  const project = await projects.lookup(projectId);
  if (!project) throw new DomainError('not_found', 'not_found', 'Project not found');
  // Claimed synchronously with the check: see running-quota.ts.
  Object.assign(entry, { ownerId: project.ownerId, projectName: project.name });
  const refusal = quota
    ? quotaRefusal(quotaClaims(entries), projectId, project.ownerId, options.maxRunningPerUser ?? 0)
    : undefined;
  if (refusal) throw refusal;
  const seed = await hooks.seedFor?.(projectId);
  const workspace = await driver.ensureRunning({
    projectId,
    seedFrom: path.join(options.templatesDir, project.template),
    ...(seed ? { seedArchive: seed.archive } : {}),
  });
  if (workspace.createdVolume && seed)
    log.warn(
      { projectId, snapshotId: seed.snapshot.snapshotId },
      'workspace volume was gone; restored the latest snapshot',
    );
  if (!workspace.agent) throw new Error('the runtime reported no agent endpoint');
  return {
    ...workspace,
    agent: workspace.agent,
    ...(workspace.createdVolume && seed ? { restoredFrom: seed.snapshot } : {}),
  };
}

/** What the quota counts: each workspace's state as clients see it, and whose it is. */
function quotaClaims(entries: ReadonlyMap<string, Entry>): ReadonlyMap<string, QuotaEntry> {
  return new Map(
    [...entries].map(([projectId, entry]) => [
      projectId,
      { state: visibleState(entry.lifecycle), ownerId: entry.ownerId, projectName: entry.projectName },
    ]),
  );
}

/** Logs a failed start: a deleted project or a quota refusal is no warning, anything else counts as an error. */
export function reportStartFailure(
  log: Logger,
  options: WorkspaceServiceOptions,
  projectId: string,
  error: unknown,
): void {
  const refused = error instanceof DomainError && (error.kind === 'not_found' || error.kind === 'rate_limited');
  if (refused) {
    log.info({ projectId, reason: error.code }, 'workspace start refused');
    return;
  }
  log.warn({ projectId, err: error }, 'workspace failed to start');
  options.metrics?.errors.inc({ area: 'workspace_start' });
}
