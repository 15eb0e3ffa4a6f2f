// Deployments wired together (issue 14): the engine over the runtime's DeploymentDriver, the
// environments, variables (sealed under their own key), the private-deployment access tokens,
// runtime logs and the service. What snapshot a deploy without one uses is decided here: a running
// workspace is snapshotted now; a stopped one deploys its latest snapshot (taken when it
// stopped) without being started. Reconciliation with what runs starts in the background.
import type { Logger } from '../core/logger';
import { SecretBox } from '../core/secret-box';
import type { PrismaClient } from '../db';
import type { DeploymentDriver } from '../runtime';
import { deploymentUrl } from '../contracts';
import { DeployEngine } from './deploy-engine';
import { DeployEnvironments, type DeployProjects } from './deploy-environments';
import { DeployService } from './deploy-service';
import { DEPLOY_VARIABLES_PURPOSE, DeployVariables } from './deploy-variables';
import { DEPLOY_ACCESS_PURPOSE, DeploymentAccess, type HolderCheck } from './deployment-access';
import { RuntimeLogs } from './runtime-logs';
import type { SnapshotReader } from './snapshot-facts';

export interface DeploysDeps {
  prisma: PrismaClient;
  projects: DeployProjects;
  driver: DeploymentDriver;
  /** What it needs of snapshots. */
  snapshots: {
    latest(projectId: string): Promise<{ id: string } | null>;
    get(projectId: string, snapshotId: string): Promise<unknown>;
    take(userId: string, projectId: string): Promise<{ id: string }>;
    archiveOf(snapshotId: string): Promise<NodeJS.ReadableStream>;
    reader: SnapshotReader;
  };
  /** Whether the project's workspace is stopped (then its latest snapshot is deployed). */
  workspaceStopped(projectId: string): boolean;
  /** AUTH_SECRET: the keys of variables and access cookies are derived from it. */
  secret: string;
  /** Whether the Berth session a private deployment was opened in still counts. */
  stillValid: HolderCheck;
  log: Logger;
}

export interface DeploysSettings {
  maxPerUser: number;
  imagesKept: number;
  buildTimeoutMs: number;
  /** PREVIEW_DOMAIN and BERTH_URL's scheme: deployment URLs are d-<project>-<env>.<domain>. */
  domain: string;
  scheme: string;
}

export function createDeploys(deps: DeploysDeps, settings: DeploysSettings) {
  const { prisma, snapshots, log } = deps;
  const engine = new DeployEngine(
    deps.driver,
    { buildTimeoutMs: settings.buildTimeoutMs, imagesKept: settings.imagesKept },
    log,
  );
  const environments = new DeployEnvironments(prisma, deps.projects, engine, {
    urlOf: (projectId, environment) => deploymentUrl(settings.scheme, settings.domain, projectId, environment),
    latestSnapshot: (projectId) => snapshots.latest(projectId),
    reader: snapshots.reader,
  });
  const deploys = new DeployService(
    prisma,
    environments,
    {
      take: async (userId, projectId) => {
        const latest = deps.workspaceStopped(projectId) ? await snapshots.latest(projectId) : null;
        return latest ?? (await snapshots.take(userId, projectId));
      },
      exists: async (projectId, snapshotId) => (await snapshots.get(projectId, snapshotId)) !== null,
      archiveOf: (snapshotId) => snapshots.archiveOf(snapshotId),
      reader: snapshots.reader,
      latest: (projectId) => snapshots.latest(projectId),
    },
    engine,
    new DeployVariables(prisma, new SecretBox(deps.secret, DEPLOY_VARIABLES_PURPOSE)),
    { maxPerUser: settings.maxPerUser },
    log,
    new RuntimeLogs(environments, engine),
    new DeploymentAccess(new SecretBox(deps.secret, DEPLOY_ACCESS_PURPOSE), deps.stillValid),
  );
  deploys.startReconcile();
  return deploys;
}
