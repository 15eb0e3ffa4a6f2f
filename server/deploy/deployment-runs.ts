// The deployments under way, one per environment, from the moment DeployService reserves the
// environment: each one's image built from a snapshot (or another deployment's, for a rollback),
// started by the engine and switched to live, or cancelled (shutdown, stop, delete) and cleaned
// up; its log captured for followers and its status kept in step in the row; the environment's
// old images pruned after it goes live. The environment is held until its run ends.
import type { DeploymentStatus } from '../contracts';
import type { Logger } from '../core/logger';
import type { PrismaClient } from '../db';
import { DeploymentStartError } from '../runtime';
import type { BuildPlan } from './build-plan';
import { emit, type InFlight } from './build-flight';
import { CappedLog } from './capped-log';
import { DeploymentCancelledError, type DeployEngine } from './deploy-engine';
import { markLive, updateDeployment } from './deploy-records';
import type { DeployEnvironments, EnvironmentRow } from './deploy-environments';
import type { DeployVariables } from './deploy-variables';

/** How a deployment gets its image: built from a snapshot, or another deployment's (rollback). */
export type DeploymentSource =
  | { kind: 'build'; snapshotId: string; plan: BuildPlan }
  | { kind: 'image'; image: string; port: number; imageOwner: string };

/** A deployment holding its environment; release() frees it (its `done` resolves). */
interface Run {
  flight: InFlight;
  release: () => void;
}

export class DeploymentRuns {
  /** By environment id: the one deployment being built or started there. */
  private readonly runs = new Map<string, Run>();
  /** Image pruning after deploys, one after the other (never fails). */
  private pruning: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly environments: DeployEnvironments,
    /** The snapshot's files as a tar owned by uid 1000. */
    private readonly archiveOf: (snapshotId: string) => Promise<NodeJS.ReadableStream>,
    private readonly engine: DeployEngine,
    private readonly variables: DeployVariables,
    private readonly log: Logger,
    /** A build log is kept to its last this many characters. */
    private readonly logMaxChars: number,
  ) {}

  /** The deployment being built or started in the environment, if any. */
  underWay(environmentId: string): InFlight | undefined {
    return this.runs.get(environmentId)?.flight;
  }

  /** The queued deployment holds the environment (the caller checked it was free, under its lock). */
  claim(environmentId: string, deploymentId: string): void {
    let release!: () => void;
    const flight: InFlight = {
      deploymentId,
      controller: new AbortController(),
      log: new CappedLog(this.logMaxChars),
      status: 'queued',
      watchers: new Set(),
      done: new Promise<void>((resolve) => (release = resolve)),
    };
    this.runs.set(environmentId, { flight, release });
  }

  /** Runs the claimed deployment in the background; the environment is freed when it ends. */
  launch(env: EnvironmentRow, source: DeploymentSource): void {
    const claimed = this.runs.get(env.id);
    if (!claimed) throw new Error(`No deployment holds environment ${env.id}`);
    void this.run(env, claimed.flight.deploymentId, source, claimed.flight).finally(() => {
      this.runs.delete(env.id);
      claimed.release();
    });
  }

  /** The claimed deployment was refused before it began: the environment is free again. */
  abandon(environmentId: string): void {
    const claimed = this.runs.get(environmentId);
    this.runs.delete(environmentId);
    claimed?.release();
  }

  /** Cancels the environment's deployment under way, if any, and waits for it to end. */
  async cancel(environmentId: string): Promise<void> {
    const claimed = this.runs.get(environmentId);
    if (!claimed) return;
    claimed.flight.controller.abort();
    await claimed.flight.done;
  }

  /** Cancels the runs whose environment is gone (a deleted project's) and waits for them. */
  async cancelRemoved(): Promise<void> {
    const aborted: Promise<void>[] = [];
    for (const [environmentId, { flight }] of this.runs)
      if ((await this.prisma.deployEnvironment.findUnique({ where: { id: environmentId } })) === null) {
        flight.controller.abort();
        aborted.push(flight.done);
      }
    await Promise.all(aborted);
  }

  /** Cancels every run, waits for them to end (each ends failed), then for the pruning queued. */
  async dispose(): Promise<void> {
    const flights = [...this.runs.values()].map((claimed) => claimed.flight);
    for (const flight of flights) flight.controller.abort();
    await Promise.all(flights.map((flight) => flight.done));
    await this.pruning;
  }

  /** Runs the deployment to its final state, live or failed, and stores it. */
  private async run(
    env: EnvironmentRow,
    deploymentId: string,
    source: DeploymentSource,
    flight: InFlight,
  ): Promise<void> {
    const startedAt = new Date();
    const ref = { ...this.environments.ref(env), deploymentId };
    const signal = flight.controller.signal;
    /** This run's own image, until it goes live (a cancelled run removes it). */
    let built: string | null = null;
    try {
      if (signal.aborted) throw new DeploymentCancelledError();
      let image: string;
      let port: number;
      let imageOwner: string;
      if (source.kind === 'build') {
        await this.setStatus(flight, { status: 'building', startedAt });
        const result = await this.engine.build({
          ...ref,
          files: () => this.archiveOf(source.snapshotId),
          plan: source.plan,
          variables: await this.variables.open(env.id),
          onLog: (text) => {
            flight.log.append(text);
            emit(flight, { event: 'log', data: { text } });
          },
          signal,
        });
        image = built = result.image;
        port = source.plan.port;
        imageOwner = deploymentId;
      } else {
        ({ image, port, imageOwner } = source);
        const line = `Rollback to the image of deployment ${source.imageOwner}\n`;
        flight.log.append(line);
        emit(flight, { event: 'log', data: { text: line } });
      }
      if (signal.aborted) throw new DeploymentCancelledError();
      await this.setStatus(flight, { status: 'starting', startedAt, image });
      // Cancelled while it starts (shutdown, stop, delete): the new container goes, the old one
      // keeps serving. Past the switch it goes live even if cancelled now (stop and delete act after).
      await this.engine.run({ ...ref, image, port, env: await this.variables.open(env.id), signal });
      built = null;
      await markLive(this.prisma, env.id, deploymentId, startedAt, flight.log.toString());
      this.finish(flight, 'live');
      // After the environment is free again (a deploy right after "live" is not refused), one at a time.
      const serving = imageOwner;
      this.pruning = this.pruning.then(() => this.prune(env, serving));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof DeploymentStartError && error.logs) {
        flight.log.append(`\n${error.logs}`);
        emit(flight, { event: 'log', data: { text: `\n${error.logs}` } });
      }
      this.log.warn({ ...ref, error: message }, 'deployment failed');
      if (built !== null && (signal.aborted || error instanceof DeploymentCancelledError))
        await this.engine
          .discard(deploymentId)
          .catch((discardError: unknown) =>
            this.log.warn({ ...ref, error: (discardError as Error).message }, 'removing a cancelled deployment failed'),
          );
      await updateDeployment(this.prisma, deploymentId, {
        status: 'failed',
        error: message,
        finishedAt: new Date(),
        durationMs: Date.now() - startedAt.getTime(),
        buildLog: flight.log.toString(),
      });
      this.finish(flight, 'failed');
    }
  }

  private async setStatus(flight: InFlight, data: { status: DeploymentStatus } & Record<string, unknown>) {
    await updateDeployment(this.prisma, flight.deploymentId, data);
    flight.status = data.status;
    emit(flight, { event: 'status', data: { status: data.status } });
  }

  /** Its final state is stored: watchers get it and the end. */
  private finish(flight: InFlight, status: DeploymentStatus): void {
    flight.status = status;
    emit(flight, { event: 'status', data: { status } });
    emit(flight, { event: 'end', data: { status } });
    flight.watchers.clear();
  }

  /** Old images past DEPLOY_IMAGES_KEPT go; their deployments can no longer be rolled back to. */
  private async prune(env: EnvironmentRow, serving: string): Promise<void> {
    try {
      const removed = await this.engine.pruneImages(this.environments.ref(env), [serving]);
      if (removed.length)
        await this.prisma.deployment.updateMany({
          where: { environmentId: env.id, OR: [{ id: { in: removed } }, { rollbackOfId: { in: removed } }] },
          data: { image: null },
        });
    } catch (error) {
      this.log.warn(
        { ...this.environments.ref(env), error: (error as Error).message },
        'pruning deployment images failed',
      );
    }
  }
}
