// Deployments as the API offers them (issue 14): a project's environments, their variables and
// their history, each deployment built from a snapshot in the background and switched to only
// once it answers (DeployEngine). The database keeps the history; the engine's labels keep what
// runs. One operation per environment at a time (deploy's reservation, stop, delete; a build
// runs outside that lock but holds the environment until it ends); DEPLOYMENTS_MAX_PER_USER
// environments serving per user. Every call checks the project is the caller's (404 otherwise).
import {
  type DeploymentDto,
  type DeployLogEvent,
  type DeploymentSummaryDto,
  type DeploymentVariableDto,
  type PutVariablesInput,
} from '../contracts';
import { DomainError, notFound } from '../core/errors';
import { KeyedLock } from '../core/keyed-lock';
import type { Logger } from '../core/logger';
import type { PrismaClient } from '../db';
import { buildPlanSchema, DEFAULT_PORT, type BuildPlan } from './build-plan';
import { followBuild } from './build-flight';
import type { DeployEngine } from './deploy-engine';
import { toDeploymentDto, toDeploymentSummary } from './deploy-dto';
import {
  activeIn,
  findDeploymentTarget,
  insertQueued,
  reconcileDeployments,
  SUCCEEDED_STATUSES,
  updateDeployment,
  type DeploymentTarget,
} from './deploy-records';
import type { DeployEnvironments, EnvironmentRow } from './deploy-environments';
import type { DeployVariables } from './deploy-variables';
import type { DeploymentAccess } from './deployment-access';
import { DeploymentRuns, type DeploymentSource } from './deployment-runs';
import type { RuntimeLogs } from './runtime-logs';
import type { SnapshotReader } from './snapshot-facts';

/** What it needs of snapshots. */
export interface DeploySnapshots {
  /** Takes a snapshot of the project now (its workspace started if need be). */
  take(userId: string, projectId: string): Promise<{ id: string }>;
  exists(projectId: string, snapshotId: string): Promise<boolean>;
  /** The snapshot's files as a tar owned by uid 1000. */
  archiveOf(snapshotId: string): Promise<NodeJS.ReadableStream>;
  reader: SnapshotReader;
  /** The project's latest snapshot (the detected plan of environments); null when none. */
  latest(projectId: string): Promise<{ id: string } | null>;
}

export interface DeployServiceOptions {
  /** Environments one user may have serving (or deploying) at once; 0 = no limit. */
  maxPerUser: number;
  /** A build log is stored to its last this many characters. */
  logMaxChars?: number;
}

export type { DeploymentTarget };

const DEFAULT_LOG_MAX_CHARS = 256 * 1024;

export class DeployService {
  /** By environment id: the one deployment being built or started there, and its run. */
  private readonly runs: DeploymentRuns;
  /** Reconciliation at start-up, run in the background; routes and host routing wait for it. */
  private reconciled: Promise<void> = Promise.resolve();
  /** By environment id: deploy's reservation, stop and delete, one after the other. */
  private readonly environmentLock = new KeyedLock();
  /** By user id: the quota's count and the queued row it counts, one deploy at a time. */
  private readonly quotaLock = new KeyedLock();

  constructor(
    private readonly prisma: PrismaClient,
    /** Environments as rows and DTOs (the owner check). */
    readonly environments: DeployEnvironments,
    private readonly snapshots: DeploySnapshots,
    private readonly engine: DeployEngine,
    private readonly variables: DeployVariables,
    private readonly options: DeployServiceOptions,
    private readonly log: Logger,
    /** The serving containers' output (GET …/environments/:env/logs). */
    readonly runtimeLogs: RuntimeLogs,
    /** Private deployments' hand-off tokens and cookies. */
    readonly access: DeploymentAccess,
  ) {
    this.runs = new DeploymentRuns(
      prisma,
      environments,
      (snapshotId) => snapshots.archiveOf(snapshotId),
      engine,
      variables,
      log,
      options.logMaxChars ?? DEFAULT_LOG_MAX_CHARS,
    );
  }

  async listVariables(userId: string, projectId: string, name: string): Promise<DeploymentVariableDto[]> {
    const env = await this.environments.get(userId, projectId, name);
    return this.variables.list(env.id);
  }

  /** Replaces the set; a running deployment gets them at its next deploy or rollback. */
  async putVariables(
    userId: string,
    projectId: string,
    name: string,
    input: PutVariablesInput,
  ): Promise<DeploymentVariableDto[]> {
    const env = await this.environments.get(userId, projectId, name);
    await this.variables.replace(env.id, input);
    return this.variables.list(env.id);
  }

  /** Starts a deployment of a snapshot (taken now when none is given); builds in the background. */
  async deploy(userId: string, projectId: string, name: string, snapshotId?: string): Promise<{ id: string }> {
    const env = await this.environments.get(userId, projectId, name);
    return this.start(userId, env, async () => {
      let id = snapshotId;
      if (id === undefined) id = (await this.snapshots.take(userId, projectId)).id;
      else if (!(await this.snapshots.exists(projectId, id))) throw notFound('Snapshot not found');
      // The plan the user edited for this environment, else the one detected from the snapshot.
      const plan = this.environments.editedPlan(env) ?? (await this.environments.detect(id));
      return { snapshotId: id, plan, source: { kind: 'build', snapshotId: id, plan } };
    });
  }

  /** A new deployment running an earlier successful one's image (no build). */
  async rollback(userId: string, projectId: string, name: string, deploymentId: string): Promise<{ id: string }> {
    const env = await this.environments.get(userId, projectId, name);
    const target = await this.prisma.deployment.findFirst({ where: { id: deploymentId, environmentId: env.id } });
    if (!target) throw notFound('Deployment not found');
    if (!SUCCEEDED_STATUSES.includes(target.status) || target.image === null)
      throw new DomainError(
        'conflict',
        'not_rollbackable',
        target.image === null && SUCCEEDED_STATUSES.includes(target.status)
          ? 'That deployment’s image is no longer kept'
          : 'Only a deployment that went live can be rolled back to',
      );
    const parsed = buildPlanSchema.safeParse(target.plan);
    const image = target.image;
    return this.start(userId, env, () =>
      Promise.resolve({
        snapshotId: target.snapshotId,
        plan: parsed.success ? parsed.data : null,
        rollbackOfId: target.rollbackOfId ?? target.id,
        source: {
          kind: 'image',
          image,
          port: parsed.success ? parsed.data.port : DEFAULT_PORT,
          imageOwner: target.rollbackOfId ?? target.id,
        },
      }),
    );
  }

  /**
   * The build log of a deployment as events: what exists, then (while it is under way) new output
   * and status changes live, until `end` (its final state) or the signal aborts.
   */
  async watchBuild(
    userId: string,
    projectId: string,
    name: string,
    deploymentId: string,
    send: (event: DeployLogEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const env = await this.environments.get(userId, projectId, name);
    const row = await this.prisma.deployment.findFirst({ where: { id: deploymentId, environmentId: env.id } });
    if (!row) throw notFound('Deployment not found');
    const flight = this.runs.underWay(env.id);
    await followBuild(flight?.deploymentId === row.id ? flight : undefined, row, send, signal);
  }

  /** Resolves once start-up reconciliation is over (it never rejects). */
  ready(): Promise<void> {
    return this.reconciled;
  }

  /** Reconciles in the background (start-up must not wait for the engine); see ready(). */
  startReconcile(): void {
    this.reconciled = this.reconcile().catch((error: unknown) =>
      this.log.error({ err: error }, 'adopting deployments failed'),
    );
  }

  /** Where GET …/open sends the owner (the URL, or a private one's sign-in hand-off). */
  openUrl(caller: { userId: string; sessionId?: string }, projectId: string, name: string): Promise<string> {
    return this.environments.openUrl(caller, projectId, name, this.access);
  }

  async history(userId: string, projectId: string, name: string): Promise<DeploymentSummaryDto[]> {
    const env = await this.environments.get(userId, projectId, name);
    const rows = await this.prisma.deployment.findMany({
      where: { environmentId: env.id },
      orderBy: { createdAt: 'desc' },
      take: 200,
    });
    return rows.map((row) => toDeploymentSummary(row, env.name));
  }

  async deployment(userId: string, projectId: string, name: string, deploymentId: string): Promise<DeploymentDto> {
    const env = await this.environments.get(userId, projectId, name);
    const row = await this.prisma.deployment.findFirst({ where: { id: deploymentId, environmentId: env.id } });
    if (!row) throw notFound('Deployment not found');
    const live = this.runs.underWay(env.id);
    return toDeploymentDto(row, env.name, live?.deploymentId === row.id ? live.log.toString() : undefined);
  }

  /** Stops the environment's container (a build under way is cancelled); it stays stopped until the next deploy. */
  async stop(userId: string, projectId: string, name: string): Promise<void> {
    const env = await this.environments.get(userId, projectId, name);
    await this.environmentLock.run(env.id, async () => {
      await this.runs.cancel(env.id);
      await this.engine.stop(this.environments.ref(env));
      await this.prisma.deployment.updateMany({
        where: { environmentId: env.id, status: 'live' },
        data: { status: 'stopped' },
      });
    });
  }

  /** Removes the environment: its containers, its images, its variables and history. */
  async deleteEnvironment(userId: string, projectId: string, name: string): Promise<void> {
    const env = await this.environments.get(userId, projectId, name);
    await this.environmentLock.run(env.id, async () => {
      await this.runs.cancel(env.id);
      await this.engine.remove(this.environments.ref(env));
      await this.prisma.deployEnvironment.delete({ where: { id: env.id } }).catch(() => undefined);
    });
  }

  /** A deleted project's containers and images (its rows went with it). */
  async removeProject(projectId: string): Promise<void> {
    // Each aborted run removes what it made first; then nothing of the project is left to make more.
    await this.runs.cancelRemoved();
    await this.engine.removeProject(projectId);
  }

  /** The target of a deployment host label `d-<projectId>-<env>`, once start-up reconciliation is over. */
  async deploymentTarget(label: string): Promise<DeploymentTarget | null> {
    await this.reconciled;
    return findDeploymentTarget(this.prisma, this.engine, label);
  }

  /** Start-up reconciliation (see reconcileDeployments). */
  reconcile(): Promise<void> {
    return reconcileDeployments(this.prisma, this.engine, this.log);
  }

  /** Cancels builds under way and waits for them to end (each ends failed). */
  dispose(): Promise<void> {
    return this.runs.dispose();
  }

  private async start(
    userId: string,
    env: EnvironmentRow,
    prepare: () => Promise<{
      snapshotId: string;
      plan: BuildPlan | null;
      rollbackOfId?: string;
      source: DeploymentSource;
    }>,
  ): Promise<{ id: string }> {
    // The reservation: the environment free, the quota counted and the queued row (which the
    // next count sees) inserted, under the environment's and the user's locks, before the slow part.
    const row = await this.environmentLock.run(env.id, async () => {
      if (this.runs.underWay(env.id) || (await activeIn(this.prisma, env.id)))
        throw new DomainError('conflict', 'deployment_in_progress', `A deployment of ${env.name} is under way`);
      const queued = await this.quotaLock.run(userId, () =>
        insertQueued(this.prisma, this.options.maxPerUser, userId, env.id),
      );
      this.runs.claim(env.id, queued.id);
      return queued;
    });
    try {
      const prepared = await prepare();
      await updateDeployment(this.prisma, row.id, {
        snapshotId: prepared.snapshotId,
        ...(prepared.plan ? { plan: prepared.plan as object } : {}),
        ...(prepared.rollbackOfId ? { rollbackOfId: prepared.rollbackOfId } : {}),
      });
      this.runs.launch(env, prepared.source);
      return { id: row.id };
    } catch (error) {
      // Refused before it began (no snapshot, nothing to deploy): it was never a deployment.
      await this.prisma.deployment.deleteMany({ where: { id: row.id } }).catch(() => undefined);
      this.runs.abandon(env.id);
      throw error;
    }
  }
}
