// The deployment engine: builds a deployment's image from a project's files and a plan, runs an
// image as an environment's one serving container (switching only once the new one answers, so
// a failed build or start leaves the old one serving), stops and removes environments, adopts
// what runs after a Berth restart and prunes old images. State lives in the engine's labels;
// the database (deployments, environments, variables) is the caller's.
import type { Logger } from '../core/logger';
import {
  DeploymentImageInUseError,
  type DeploymentContainer,
  type DeploymentDriver,
  type DeploymentEndpoint,
  type DeploymentImage,
  type DeploymentRef,
} from '../runtime';
import type { BuildPlan } from './build-plan';
import { buildScriptOf, buildTimeVariables, startCommandOf } from './build-script';
import { imagesToPrune } from './image-retention';
import { STATIC_SERVER_PATH, STATIC_SERVER_SOURCE } from './static-server-source';

export interface DeployEngineOptions {
  /** A build past this is killed (DeploymentBuildError 'timeout'). */
  buildTimeoutMs: number;
  /** Images kept per environment for rollback (the running one always stays). */
  imagesKept: number;
  /** How long a started app may take to answer HTTP. */
  readyTimeoutMs?: number;
}

export interface BuildInput extends DeploymentRef {
  /** The snapshot's files as a tar owned by uid 1000 (SnapshotService.archiveOf). */
  files: () => Promise<NodeJS.ReadableStream>;
  plan: BuildPlan;
  /** The environment's variables; only public build-time ones (VITE_*, NEXT_PUBLIC_*) reach the build. */
  variables?: Record<string, string>;
  onLog?: (text: string) => void;
  signal?: AbortSignal;
}

export interface RunInput extends DeploymentRef {
  image: string;
  port: number;
  /** The environment's variables (decrypted by the caller; never logged). */
  env: Record<string, string>;
  /**
   * Cancels the switch (Berth stopping, the environment stopped or deleted): the new container
   * goes at once and the old one keeps serving. Past the switch (the old ones removed) it is ignored.
   */
  signal?: AbortSignal;
}

/** engine.run was cancelled before the switch: the new container is gone, the old one serves. */
export class DeploymentCancelledError extends Error {
  readonly code = 'deployment_cancelled';
  constructor() {
    super('Cancelled');
  }
}

export interface EnvironmentRef {
  projectId: string;
  environment: string;
}

export class DeployEngine {
  constructor(
    private readonly driver: DeploymentDriver,
    private readonly options: DeployEngineOptions,
    private readonly log: Logger,
  ) {}

  /** The deployment's image; throws DeploymentBuildError (running deployments are untouched). */
  async build(input: BuildInput): Promise<DeploymentImage> {
    const { plan, files, onLog, signal, variables = {}, ...ref } = input;
    const started = Date.now();
    const image = await this.driver.build({
      ...ref,
      files,
      extraFiles: [{ path: STATIC_SERVER_PATH, content: STATIC_SERVER_SOURCE, mode: 0o644 }],
      script: buildScriptOf(plan, buildTimeVariables(variables)),
      startCommand: startCommandOf(plan),
      port: plan.port,
      timeoutMs: this.options.buildTimeoutMs,
      ...(signal ? { signal } : {}),
      ...(onLog ? { onLog } : {}),
    });
    this.log.info({ ...ref, ms: Date.now() - started, bytes: image.sizeBytes }, 'deployment image built');
    return image;
  }

  /**
   * Makes this deployment the environment's serving one: its container starts next to the old
   * one; once it answers HTTP the environment's other containers go. If it does not start it is
   * removed and the old one keeps serving (DeploymentStartError). Rollback is this with an older image.
   */
  async run(input: RunInput): Promise<DeploymentContainer> {
    const { image, port, env, signal, ...ref } = input;
    signal?.throwIfAborted();
    const removeNew = () => this.driver.removeContainer(ref.deploymentId).catch(() => undefined);
    const starting = this.driver.run({
      ...ref,
      image,
      port,
      env,
      ...(this.options.readyTimeoutMs ? { readyTimeoutMs: this.options.readyTimeoutMs } : {}),
    });
    // A cancel does not wait for the readiness check (a probe may hang until its own timeout): the
    // container goes now, and again once the driver's run settles (it may have created it meanwhile).
    let onAbort = () => {};
    const cancelled = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        void removeNew();
        void starting.catch(() => undefined).then(removeNew);
        reject(new DeploymentCancelledError());
      };
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    let running: DeploymentContainer;
    try {
      running = await Promise.race([starting, cancelled]);
    } catch (error) {
      await removeNew();
      throw signal?.aborted ? new DeploymentCancelledError() : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Settled one way or the other: neither rejection may go unhandled.
      cancelled.catch(() => undefined);
      starting.catch(() => undefined);
    }
    const others = (await this.driver.listContainers(ref)).filter((item) => item.deploymentId !== ref.deploymentId);
    // The last point a cancel is heeded: before the old containers go (else nothing would serve).
    if (signal?.aborted) {
      await removeNew();
      throw new DeploymentCancelledError();
    }
    await Promise.all(others.map((item) => this.driver.removeContainer(item.deploymentId)));
    this.log.info({ ...ref, replaced: others.map((item) => item.deploymentId) }, 'deployment serving');
    return running;
  }

  /** A deployment that never went live: its container and image go (an image in use stays). */
  async discard(deploymentId: string): Promise<void> {
    await this.driver.removeContainer(deploymentId).catch(() => undefined);
    try {
      await this.driver.removeImage(deploymentId);
    } catch (error) {
      if (!(error instanceof DeploymentImageInUseError)) throw error;
    }
  }

  /** The environment's serving container (running or not), if any. */
  async current(env: EnvironmentRef): Promise<DeploymentContainer | null> {
    return (await this.driver.listContainers(env))[0] ?? null;
  }

  /**
   * Where the deployment answers now. Read it again after the container restarts: a published
   * port is chosen anew at each start (the engine's restart after a crash included).
   */
  async endpoint(deploymentId: string): Promise<DeploymentEndpoint | null> {
    return (await this.driver.inspect(deploymentId))?.endpoint ?? null;
  }

  /** Stops the environment's containers; they stay stopped across restarts until run again. */
  async stop(env: EnvironmentRef): Promise<void> {
    const containers = await this.driver.listContainers(env);
    await Promise.all(containers.map((item) => this.driver.stop(item.deploymentId)));
  }

  /** Removes the environment's containers and every image it has (the environment is deleted). */
  async remove(env: EnvironmentRef): Promise<void> {
    const containers = await this.driver.listContainers(env);
    await Promise.all(containers.map((item) => this.driver.removeContainer(item.deploymentId)));
    const images = await this.driver.listImages(env);
    for (const image of images) await this.driver.removeImage(image.deploymentId);
    this.log.info({ ...env, containers: containers.length, images: images.length }, 'deployment environment removed');
  }

  /** Removes every container and image of a project (the project is deleted). */
  async removeProject(projectId: string): Promise<void> {
    const containers = await this.driver.listContainers({ projectId });
    await Promise.all(containers.map((item) => this.driver.removeContainer(item.deploymentId)));
    const images = await this.driver.listImages({ projectId });
    for (const image of images) await this.driver.removeImage(image.deploymentId);
    if (containers.length || images.length)
      this.log.info(
        { projectId, containers: containers.length, images: images.length },
        'deployments of a deleted project removed',
      );
  }

  /**
   * At start-up: what runs is Berth's again (labels say whose it is). Leftover build containers
   * go; an environment with several containers (a switch cut off by a crash) keeps its newest
   * running one. Returns one container per environment.
   */
  async adopt(): Promise<DeploymentContainer[]> {
    const leftovers = await this.driver.removeLeftoverBuilds();
    const byEnvironment = new Map<string, DeploymentContainer[]>();
    for (const item of await this.driver.listContainers()) {
      const key = `${item.projectId}\0${item.environment}`;
      byEnvironment.set(key, [...(byEnvironment.get(key) ?? []), item]);
    }
    const adopted: DeploymentContainer[] = [];
    for (const items of byEnvironment.values()) {
      // Newest first (listContainers' order); prefer a running one.
      const keep = items.find((item) => item.state === 'running') ?? items[0]!;
      adopted.push(keep);
      const extra = items.filter((item) => item !== keep);
      await Promise.all(extra.map((item) => this.driver.removeContainer(item.deploymentId)));
    }
    this.log.info({ adopted: adopted.length, leftoverBuilds: leftovers }, 'deployments adopted');
    return adopted;
  }

  /**
   * At start-up, before adopt(): containers and images of this installation whose deployment
   * `known` does not list (its row, environment or project deleted while Berth was down or
   * between a removal's steps) are removed, not adopted.
   */
  async removeOrphans(
    known: (deploymentIds: string[]) => Promise<Set<string>>,
  ): Promise<{ containers: number; images: number }> {
    const [containers, images] = await Promise.all([this.driver.listContainers(), this.driver.listImages()]);
    const kept = await known([...new Set([...containers, ...images].map((item) => item.deploymentId))]);
    const orphanContainers = containers.filter((item) => !kept.has(item.deploymentId));
    await Promise.all(orphanContainers.map((item) => this.driver.removeContainer(item.deploymentId)));
    let removedImages = 0;
    for (const image of images.filter((item) => !kept.has(item.deploymentId))) {
      try {
        await this.driver.removeImage(image.deploymentId);
        removedImages += 1;
      } catch (error) {
        // A known deployment's container runs it (a rollback's image): it stays.
        if (!(error instanceof DeploymentImageInUseError)) throw error;
      }
    }
    if (orphanContainers.length || removedImages)
      this.log.info({ containers: orphanContainers.length, images: removedImages }, 'orphaned deployments removed');
    return { containers: orphanContainers.length, images: removedImages };
  }

  /** Deletes the environment's images past the newest `imagesKept`, sparing those in use and `protect`. */
  async pruneImages(env: EnvironmentRef, protect: readonly string[] = []): Promise<string[]> {
    const [images, containers] = await Promise.all([this.driver.listImages(env), this.driver.listContainers(env)]);
    const spare = new Set([...protect, ...containers.map((item) => item.deploymentId)]);
    const removed: string[] = [];
    for (const image of imagesToPrune(images, this.options.imagesKept, spare)) {
      try {
        await this.driver.removeImage(image.deploymentId);
        removed.push(image.deploymentId);
      } catch (error) {
        // A container made meanwhile uses it: it stays.
        if (!(error instanceof DeploymentImageInUseError)) throw error;
      }
    }
    return removed;
  }

  /** The app's output live (runtime logs) until it stops or the signal aborts. */
  followLogs(
    deploymentId: string,
    onLog: (text: string) => void,
    options: { tail?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.driver.followLogs(deploymentId, onLog, options);
  }

  /** The last lines the app wrote (runtime logs). */
  logs(deploymentId: string, tail?: number): Promise<string> {
    return this.driver.logs(deploymentId, tail === undefined ? {} : { tail });
  }
}
