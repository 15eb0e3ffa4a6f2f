// Deployment rows and what the engine says, read and written outside one request's flow: the
// target a deployment host goes to, the switch to a new live deployment, reconciliation with
// what runs at start-up, and the per-user quota with the queued row it counts.
import { parseDeploymentLabel } from '../contracts';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Prisma, PrismaClient } from '../db';
import type { DeploymentEndpoint } from '../runtime';
import type { DeployEngine } from './deploy-engine';

/** What the host router needs to reach d-<projectId>-<env>. */
export interface DeploymentTarget {
  projectId: string;
  environment: string;
  deploymentId: string;
  /** Read again when a connection fails: a restarted container answers on a new port. */
  endpoint: DeploymentEndpoint;
  /** Only the owner, signed in, may reach it. */
  private: boolean;
  ownerId: string;
}

export const ACTIVE_STATUSES = ['queued', 'building', 'starting'];
/** Statuses of a deployment that once answered: its image can be rolled back to. */
export const SUCCEEDED_STATUSES = ['live', 'superseded', 'stopped'];

/**
 * The target of a deployment host label `d-<projectId>-<env>` (project ids have no dash): the
 * environment's live deployment and where it answers; null when there is none.
 */
export async function findDeploymentTarget(
  prisma: PrismaClient,
  engine: DeployEngine,
  label: string,
): Promise<DeploymentTarget | null> {
  const parsed = parseDeploymentLabel(label);
  if (!parsed) return null;
  const { projectId, environment } = parsed;
  const env = await prisma.deployEnvironment.findUnique({
    where: { projectId_name: { projectId, name: environment } },
    include: { project: { select: { ownerId: true } } },
  });
  if (!env) return null;
  const live = await prisma.deployment.findFirst({
    where: { environmentId: env.id, status: 'live' },
    orderBy: { createdAt: 'desc' },
  });
  if (!live) return null;
  const endpoint = await engine.endpoint(live.id);
  if (!endpoint) return null;
  return {
    projectId,
    environment,
    deploymentId: live.id,
    endpoint,
    private: env.private,
    ownerId: env.project.ownerId,
  };
}

/** This one serves the environment now; the ones before it are superseded. */
export async function markLive(
  prisma: PrismaClient,
  environmentId: string,
  deploymentId: string,
  startedAt: Date,
  buildLog?: string,
): Promise<void> {
  const finishedAt = new Date();
  await prisma.$transaction([
    prisma.deployment.updateMany({
      where: { environmentId, id: { not: deploymentId }, status: { in: ['live', 'stopped'] } },
      data: { status: 'superseded' },
    }),
    prisma.deployment.updateMany({
      where: { id: deploymentId },
      data: {
        status: 'live',
        finishedAt,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        ...(buildLog === undefined ? {} : { buildLog }),
      },
    }),
  ]);
}

/**
 * At start-up: containers and images whose deployment row is gone (with its environment or
 * project) are removed; what runs is adopted; a deployment cut off mid-build by the last stop
 * failed; one whose container started before the switch was recorded is live; a live one with
 * no container left is stopped.
 */
export async function reconcileDeployments(prisma: PrismaClient, engine: DeployEngine, log: Logger): Promise<void> {
  await engine.removeOrphans(async (ids) => {
    const rows = await prisma.deployment.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  });
  const adopted = await engine.adopt();
  const running = adopted.filter((item) => item.state === 'running').map((item) => item.deploymentId);
  for (const deploymentId of running) {
    const row = await prisma.deployment.findUnique({ where: { id: deploymentId } });
    if (row && row.status === 'starting')
      await markLive(prisma, row.environmentId, row.id, row.startedAt ?? row.createdAt);
  }
  const interrupted = await prisma.deployment.updateMany({
    where: { status: { in: ACTIVE_STATUSES } },
    data: { status: 'failed', error: 'Berth stopped before this deployment finished', finishedAt: new Date() },
  });
  const gone = await prisma.deployment.updateMany({
    where: { status: 'live', id: { notIn: adopted.map((item) => item.deploymentId) } },
    data: { status: 'stopped' },
  });
  log.info({ adopted: adopted.length, interrupted: interrupted.count, gone: gone.count }, 'deployments reconciled');
}

/** Updates a row that may be gone (its environment deleted meanwhile). */
export async function updateDeployment(
  prisma: PrismaClient,
  deploymentId: string,
  data: Record<string, unknown>,
): Promise<void> {
  await prisma.deployment.updateMany({ where: { id: deploymentId }, data });
}

export async function activeIn(prisma: PrismaClient, environmentId: string): Promise<boolean> {
  return (await prisma.deployment.count({ where: { environmentId, status: { in: ACTIVE_STATUSES } } })) > 0;
}

/** DEPLOYMENTS_MAX_PER_USER (`max`; 0 = no limit): environments of the user's projects serving or deploying, this one aside. */
export async function checkQuota(
  prisma: PrismaClient | Prisma.TransactionClient,
  max: number,
  userId: string,
  environmentId: string,
) {
  if (max <= 0) return;
  const used = await prisma.deployEnvironment.count({
    where: {
      id: { not: environmentId },
      project: { ownerId: userId },
      deployments: { some: { status: { in: ['live', ...ACTIVE_STATUSES] } } },
    },
  });
  if (used >= max)
    throw new DomainError(
      'rate_limited',
      'quota_exceeded',
      `You already have ${used} deployment${used === 1 ? '' : 's'} running (the limit is ${max}). Stop one to deploy this one.`,
    );
}

/**
 * Counts the user's environments serving or deploying and inserts this one's queued row in one
 * transaction under an advisory lock (a second Berth process on the database counts after it).
 * The snapshot is filled in once known.
 */
export function insertQueued(
  prisma: PrismaClient,
  maxPerUser: number,
  userId: string,
  environmentId: string,
): Promise<{ id: string }> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`berth:deploy-quota:${userId}`}))`;
    await checkQuota(tx, maxPerUser, userId, environmentId);
    return tx.deployment.create({
      data: { environmentId, snapshotId: '', createdById: userId, status: 'queued' },
      select: { id: true },
    });
  });
}
