// A project's deployment environments as rows and as the API shows them: the owner check, the
// `production` environment made on first use, the deployment URL, the effective build plan (the
// edited one, else the one detected from the project's latest snapshot) and the serving
// container's state. PATCH changes `private` and the plan the next deploy uses.
import {
  buildPlanSchema,
  DEFAULT_ENVIRONMENT,
  DEPLOY_AUTH_PATH,
  deploymentLabel,
  ENVIRONMENTS_MAX_PER_PROJECT,
  type BuildPlanDto,
  type DeploymentHealth,
  type EnvironmentDto,
  type PatchEnvironmentInput,
} from '../contracts';
import { DomainError, notFound } from '../core/errors';
import { TypedEmitter } from '../core/typed-emitter';
import { Prisma, type PrismaClient } from '../db';
import type { DeploymentContainer } from '../runtime';
import { detectBuildPlan, NothingToDeployError, type BuildPlan } from './build-plan';
import type { DeployEngine, EnvironmentRef } from './deploy-engine';
import { statusOf } from './deploy-dto';
import type { DeploymentAccess } from './deployment-access';

import { projectFactsOfSnapshot, type SnapshotReader } from './snapshot-facts';

/** What it needs of projects: the owner check. */
export interface DeployProjects {
  /** Throws 404 when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<unknown>;
}

export interface EnvironmentRow {
  id: string;
  projectId: string;
  name: string;
  private: boolean;
  plan: unknown;
  createdAt: Date;
}

/** Deployments that are (or were last) this environment's serving one, or on their way to it. */
const CURRENT_STATUSES = ['live', 'stopped', 'queued', 'building', 'starting'];
/**
 * Names get() still finds: today's pattern, plus a trailing dash an earlier one let through (such
 * an environment has no valid URL but can still be stopped and deleted).
 */
const FINDABLE_NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** Only these have a container worth asking the engine about. */
const WITH_CONTAINER = ['live', 'starting', 'stopped'];

export interface DeployEnvironmentsOptions {
  /** The deployment URL of an environment (d-<projectId>-<env>.<PREVIEW_DOMAIN>). */
  urlOf(projectId: string, environment: string): string;
  /** The project's latest snapshot, for the detected plan; null when it has none. */
  latestSnapshot(projectId: string): Promise<{ id: string } | null>;
  reader: SnapshotReader;
}

export interface DeployEnvironmentEvents {
  /** An environment turned private or public (PATCH): the host router forgets what it read. */
  onDidChangeAccess: { label: string; private: boolean };
}

export class DeployEnvironments {
  readonly accessChanges = new TypedEmitter<DeployEnvironmentEvents>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: DeployProjects,
    private readonly engine: DeployEngine,
    private readonly options: DeployEnvironmentsOptions,
  ) {}

  async list(userId: string, projectId: string): Promise<EnvironmentDto[]> {
    await this.projects.get(userId, projectId);
    await this.ensureDefault(projectId);
    const rows = await this.prisma.deployEnvironment.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } });
    // Detected once for the project: every environment without an edited plan shares it.
    let detected: Promise<BuildPlanDto | null> | undefined;
    const detect = () => (detected ??= this.detectedPlan(projectId));
    return Promise.all(rows.map((row) => this.dto(row, detect)));
  }

  async create(userId: string, projectId: string, input: { name: string; private?: boolean | undefined }) {
    await this.projects.get(userId, projectId);
    await this.ensureDefault(projectId);
    // The count and the insert under the project's advisory lock: parallel creates cannot pass the cap together.
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`berth:deploy-environments:${projectId}`}))`;
      const existing = await tx.deployEnvironment.findUnique({
        where: { projectId_name: { projectId, name: input.name } },
      });
      if (existing) throw new DomainError('conflict', 'environment_exists', `Environment ${input.name} already exists`);
      if ((await tx.deployEnvironment.count({ where: { projectId } })) >= ENVIRONMENTS_MAX_PER_PROJECT)
        throw new DomainError(
          'conflict',
          'too_many_environments',
          `A project has at most ${ENVIRONMENTS_MAX_PER_PROJECT} environments; delete one to add another`,
        );
      return tx.deployEnvironment.create({ data: { projectId, name: input.name, private: input.private ?? false } });
    });
    return this.dto(row, () => this.detectedPlan(projectId));
  }

  /** `private` and the edited plan (null: back to the detected one); the next deploy uses the plan. */
  async patch(userId: string, projectId: string, name: string, input: PatchEnvironmentInput): Promise<EnvironmentDto> {
    const env = await this.get(userId, projectId, name);
    const data: Prisma.DeployEnvironmentUpdateInput = {};
    if (input.private !== undefined) data.private = input.private;
    if (input.plan !== undefined) data.plan = input.plan ?? Prisma.DbNull;
    const row = Object.keys(data).length
      ? await this.prisma.deployEnvironment.update({ where: { id: env.id }, data })
      : env;
    // The host router keeps what it read for a second: a switch to private must not wait for that.
    if (row.private !== env.private)
      this.accessChanges.emit('onDidChangeAccess', {
        label: deploymentLabel(row.projectId, row.name),
        private: row.private,
      });
    return this.dto(row, () => this.detectedPlan(projectId));
  }

  /**
   * Where GET …/open sends the owner: the URL of a public environment; for a private one its
   * sign-in hand-off (a token bound to its host label, the user and their Berth session, traded for
   * a cookie there that counts while the session lives). A caller without a session (a personal
   * access token) gets 404 for a private one: its access would outlive a revoked token.
   */
  async openUrl(
    caller: { userId: string; sessionId?: string },
    projectId: string,
    name: string,
    access: DeploymentAccess,
  ): Promise<string> {
    const env = await this.get(caller.userId, projectId, name);
    const url = this.options.urlOf(env.projectId, env.name);
    if (!env.private) return url;
    if (!caller.sessionId) throw notFound('A private deployment opens only from a signed-in Berth session');
    const token = access.token(deploymentLabel(env.projectId, env.name), {
      userId: caller.userId,
      sessionId: caller.sessionId,
    });
    return `${url.replace(/\/$/, '')}${DEPLOY_AUTH_PATH}?t=${encodeURIComponent(token)}`;
  }

  /** The user's environment by name (404 unless the project is theirs); `production` is made on first use. */
  async get(userId: string, projectId: string, name: string): Promise<EnvironmentRow> {
    await this.projects.get(userId, projectId);
    if (name === DEFAULT_ENVIRONMENT) return this.ensureDefault(projectId);
    const row = FINDABLE_NAME.test(name)
      ? await this.prisma.deployEnvironment.findUnique({ where: { projectId_name: { projectId, name } } })
      : null;
    if (!row) throw notFound('Environment not found');
    return row;
  }

  /** The plan the user edited for this environment, if any. */
  editedPlan(row: EnvironmentRow): BuildPlan | null {
    const parsed = buildPlanSchema.safeParse(row.plan);
    return parsed.success ? parsed.data : null;
  }

  /** The plan detected from a snapshot's files; throws 422 nothing_to_deploy. */
  async detect(snapshotId: string): Promise<BuildPlan> {
    try {
      return detectBuildPlan(await projectFactsOfSnapshot(this.options.reader, snapshotId));
    } catch (error) {
      if (error instanceof NothingToDeployError) throw new DomainError('unprocessable', error.code, error.message);
      throw error;
    }
  }

  async ensureDefault(projectId: string): Promise<EnvironmentRow> {
    // INSERT … ON CONFLICT DO NOTHING, then the row: a dialog's first two requests both create it
    // (an upsert read, then inserted, and the second insert broke on the unique key).
    await this.prisma.deployEnvironment.createMany({
      data: [{ projectId, name: DEFAULT_ENVIRONMENT }],
      skipDuplicates: true,
    });
    return this.prisma.deployEnvironment.findUniqueOrThrow({
      where: { projectId_name: { projectId, name: DEFAULT_ENVIRONMENT } },
    });
  }

  ref(env: EnvironmentRow): EnvironmentRef {
    return { projectId: env.projectId, environment: env.name };
  }

  private async dto(row: EnvironmentRow, detected: () => Promise<BuildPlanDto | null>): Promise<EnvironmentDto> {
    const current = await this.prisma.deployment.findFirst({
      where: { environmentId: row.id, status: { in: CURRENT_STATUSES } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, status: true },
    });
    const edited = this.editedPlan(row);
    const container =
      current && WITH_CONTAINER.includes(current.status) ? await this.engine.current(this.ref(row)) : null;
    return {
      name: row.name,
      private: row.private,
      createdAt: row.createdAt.toISOString(),
      url: this.options.urlOf(row.projectId, row.name),
      plan: edited ?? (await detected()),
      planEdited: edited !== null,
      current: current
        ? {
            id: current.id,
            status: statusOf(current.status),
            health: container?.deploymentId === current.id ? healthOf(container) : null,
          }
        : null,
    };
  }

  private async detectedPlan(projectId: string): Promise<BuildPlanDto | null> {
    const latest = await this.options.latestSnapshot(projectId);
    if (!latest) return null;
    try {
      return detectBuildPlan(await projectFactsOfSnapshot(this.options.reader, latest.id));
    } catch (error) {
      if (error instanceof NothingToDeployError) return null;
      throw error;
    }
  }
}

/** The container's engine state as the UI shows it. */
export function healthOf(container: Pick<DeploymentContainer, 'state' | 'health'>): DeploymentHealth {
  switch (container.state) {
    case 'running':
      return container.health === 'none' ? 'starting' : container.health;
    case 'restarting':
      return 'restarting';
    case 'created':
    case 'paused':
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
  }
}
