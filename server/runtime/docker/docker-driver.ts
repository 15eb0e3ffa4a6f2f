// The Docker runtime driver: one hardened container per project, with its own volume, all on
// one shared bridge network per installation scope with inter-container communication off
// (so workspaces cannot reach each other), found again by fixed names and labels (so any
// Berth process can adopt it).
import type Dockerode from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import type { Logger } from '../../core/logger';
import type { Disposer } from '../../core/typed-emitter';
import {
  EngineUnavailableError,
  type AgentEndpoint,
  type ExecOptions,
  type ExecSession,
  type RuntimeDriver,
  type RuntimeEvent,
  type RuntimeWorkspace,
  type WorkspaceSpec,
  type WorkspaceDiskUsage,
  type WorkspaceStats,
} from '../runtime-driver';
import { checkAgentHealth, waitForAgent } from './agent-health';
import { agentEndpointOnNetwork, joinControlNetwork, removeControlNetwork } from './control-network';
import {
  agentEndpointOf,
  SPEC_LABEL,
  specHash,
  WORKSPACE_DIR,
  WORKSPACE_USER,
  type ContainerLimits,
} from './container-spec';
import { createDockerClient } from './docker-client';
import { engineError, onEngine, orMissing, statusOf } from './docker-errors';
import { createWorkspaceContainer } from './create-container';
import { DiskLimiter, type DiskMechanisms } from './disk-limiter';
import { DockerEventStream } from './docker-events';
import { startExec } from './exec-start';
import type { DockerExecSession } from './exec-session';
import { KeyedLock } from '../../core/keyed-lock';
import { DEPLOYMENT_LABEL } from './deployment-names';
import { assertProjectId, containerName, labelsFor, managedFilters, PROJECT_LABEL } from './names';
import {
  ensureSharedNetwork,
  ensureVolume,
  inspectCreated,
  pruneUnusedNetworks,
  removeContainer,
  removeLegacyNetworks,
  removeSharedNetworkIfUnused,
  removeVolume,
  startContainer,
} from './workspace-resources';
import { assertSeedFolder } from './seed-volume';
import { statsFrom } from './stats';
import { containerLimitsOf, type DockerDriverOptions } from './docker-driver-options';

const PING_TIMEOUT_MS = 3000;
const STOP_TIMEOUT_SECONDS = 5;

export class DockerDriver implements RuntimeDriver {
  private readonly docker: Dockerode;
  private readonly lock = new KeyedLock();
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private readonly sessions = new Set<DockerExecSession>();
  private events: DockerEventStream | undefined;
  private disposed = false;
  private readonly disk: DiskLimiter | undefined;

  constructor(
    private readonly options: DockerDriverOptions,
    private readonly log: Logger,
  ) {
    this.docker = options.docker ?? createDockerClient(options.dockerHost);
    const { diskLimitBytes: limitBytes, disksDir } = options;
    // WORKSPACE_DISK_GB; a filesystem per volume needs Berth on the engine's host (ADR 0006).
    this.disk =
      limitBytes && disksDir
        ? new DiskLimiter(
            this.docker,
            {
              limitBytes,
              disksDir,
              image: options.image,
              onEngineHost: options.agentAccess !== 'network',
              allowFilesystem: options.diskFilesystem !== false,
            },
            log,
          )
        : undefined;
  }

  /** Which mechanisms hold WORKSPACE_DISK_GB here (probed once, logged); undefined without a limit. */
  async diskMechanisms(): Promise<DiskMechanisms | undefined> {
    return this.disk?.mechanisms();
  }

  async diskUsage(projectId: string): Promise<WorkspaceDiskUsage | null> {
    assertProjectId(projectId);
    return this.disk ? this.disk.usage(projectId, this.container(projectId)) : null;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new EngineUnavailableError(new Error(`no answer within ${PING_TIMEOUT_MS} ms`))),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([onEngine(() => this.docker.ping()), timeout]);
    } catch (error) {
      throw error instanceof EngineUnavailableError ? error : new EngineUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  ensureRunning(spec: WorkspaceSpec): Promise<RuntimeWorkspace> {
    assertProjectId(spec.projectId);
    return this.lock.single(spec.projectId, async () => {
      try {
        return await this.bringUp(spec);
      } catch (error) {
        // Removed by someone else between our inspect and start: one fresh attempt.
        if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
        this.log.warn(
          { projectId: spec.projectId, err: (error as Error).message },
          'workspace changed under us; retrying',
        );
        return this.bringUp(spec);
      }
    });
  }

  stop(projectId: string): Promise<void> {
    assertProjectId(projectId);
    return this.lock.run(projectId, async () => {
      try {
        await this.container(projectId).stop({ t: STOP_TIMEOUT_SECONDS });
      } catch (error) {
        // 304: already stopped; 404: no such container. Both are the state asked for.
        if (statusOf(error) !== 304 && statusOf(error) !== 404) throw engineError(error);
      }
      await this.disk
        ?.afterStop(projectId)
        .catch((error: unknown) =>
          this.log.warn({ projectId, err: (error as Error).message }, 'could not unmount the workspace filesystem'),
        );
    });
  }

  remove(projectId: string): Promise<void> {
    assertProjectId(projectId);
    return this.lock.run(projectId, async () => {
      await removeContainer(this.container(projectId));
      await removeVolume(this.docker, projectId);
      // After the volume: a volume left behind must not bind a filesystem that is gone.
      await this.disk?.remove(projectId);
      await removeControlNetwork(this.docker, projectId, this.options.selfContainer);
      // The shared network stays for the other workspaces; only a legacy own one goes.
      await removeLegacyNetworks(this.docker, projectId);
    });
  }

  /**
   * Removes this scope's shared network if no container uses it any more; true if none is left.
   * Not part of remove(): for teardown of a whole scope (tests), after its workspaces are gone.
   */
  removeSharedNetwork(): Promise<boolean> {
    return removeSharedNetworkIfUnused(this.docker, this.options.scope);
  }

  async inspect(projectId: string): Promise<RuntimeWorkspace> {
    assertProjectId(projectId);
    const info = await orMissing(() => this.container(projectId).inspect());
    return info ? this.describe(projectId, info) : { projectId, state: 'missing' };
  }

  async list(): Promise<RuntimeWorkspace[]> {
    const summaries = await onEngine(() =>
      this.docker.listContainers({ all: true, filters: { label: managedFilters(this.options.scope) } }),
    );
    const workspaces = await Promise.all(
      summaries.map(async (summary) => {
        const projectId = summary.Labels[PROJECT_LABEL];
        // Deployment containers carry the project's label too; they are no workspace.
        if (!projectId || summary.Labels[DEPLOYMENT_LABEL]) return null;
        const info = await orMissing(() => this.docker.getContainer(summary.Id).inspect());
        return info ? this.describe(projectId, info) : null;
      }),
    );
    return workspaces.filter((workspace): workspace is RuntimeWorkspace => workspace !== null);
  }

  async exec(projectId: string, command: string[], options: ExecOptions): Promise<ExecSession> {
    assertProjectId(projectId);
    const session = await startExec({
      container: this.container(projectId),
      projectId,
      command,
      options,
      user: WORKSPACE_USER,
      workingDir: options.workingDir ?? WORKSPACE_DIR,
      log: this.log,
      onDidEnd: (ended) => this.sessions.delete(ended),
    });
    this.sessions.add(session);
    return session;
  }

  async stats(projectId: string): Promise<WorkspaceStats | null> {
    assertProjectId(projectId);
    const container = this.container(projectId);
    const info = await orMissing(() => container.inspect());
    if (!info?.State.Running) return null;
    const raw = await orMissing(() => container.stats({ stream: false }));
    return raw ? statsFrom(raw) : null;
  }

  onEvent(listener: (event: RuntimeEvent) => void): Disposer {
    if (this.disposed) return () => undefined;
    this.listeners.add(listener);
    this.events ??= new DockerEventStream(
      this.docker,
      (event) => this.emit(event),
      this.log,
      managedFilters(this.options.scope),
    );
    return () => {
      this.listeners.delete(listener);
      // The engine stream lives only while someone listens.
      if (this.listeners.size === 0) {
        this.events?.dispose();
        this.events = undefined;
      }
    };
  }

  /** Exec sessions still open (for tests and metrics). */
  get liveSessions(): number {
    return this.sessions.size;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.listeners.clear();
    this.events?.dispose();
    this.events = undefined;
    const open = [...this.sessions];
    for (const session of open) session.close();
    await Promise.all(open.map((session) => session.whenExited()));
    await this.lock.idle();
  }

  private container(projectId: string): Dockerode.Container {
    return this.docker.getContainer(containerName(projectId));
  }

  private emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: (error as Error).message }, 'runtime event listener failed');
      }
    }
  }

  private describe(projectId: string, info: ContainerInspectInfo): RuntimeWorkspace {
    if (!info.State.Running) return { projectId, state: 'stopped' };
    const agent = this.endpointOf(info, projectId);
    return { projectId, state: 'running', ...(agent ? { agent } : {}), startedAt: new Date(info.State.StartedAt) };
  }

  private endpointOf(info: ContainerInspectInfo, projectId: string): AgentEndpoint | undefined {
    return this.options.agentAccess === 'network' ? agentEndpointOnNetwork(info, projectId) : agentEndpointOf(info);
  }

  /** Why a stopped container must be made again on its volume, or undefined to start it as it is. */
  private async remakeReason(
    projectId: string,
    container: Dockerode.Container,
    info: ContainerInspectInfo,
    limits: ContainerLimits,
  ): Promise<string | undefined> {
    // Stopped for disk use outside /workspace: that layer is scratch space, so it goes.
    if (this.disk && (await this.disk.layerOverLimit(projectId, container)))
      return 'workspace disk over its limit outside /workspace; recreating its container';
    // Made with another image or limits (Berth was upgraded or reconfigured). A running one
    // keeps its settings until it stops.
    if (info.Config.Labels?.[SPEC_LABEL] !== specHash(limits))
      return 'workspace settings changed; recreating its container';
    return undefined;
  }

  /** missing → volume (+ seed) → container → started → agent healthy. */
  private async bringUp(spec: WorkspaceSpec): Promise<RuntimeWorkspace> {
    const { projectId } = spec;
    const container = this.container(projectId);
    let info = await orMissing(() => container.inspect());
    const storageOpt = await this.disk?.storageOptions();
    const limits: ContainerLimits = { ...containerLimitsOf(this.options), ...(storageOpt ? { storageOpt } : {}) };
    // The volume's filesystem is mounted before anything uses the volume (once per start).
    const diskMounted = Boolean(this.disk && info);
    if (diskMounted) await this.disk!.beforeStart(projectId);
    const remake =
      info && !info.State.Running ? await this.remakeReason(projectId, container, info, limits) : undefined;
    if (remake) {
      // A stopped container is disposable: the volume keeps the project.
      this.log.info({ projectId }, remake);
      await removeContainer(container);
      // A container made before the shared network had its own: that goes with it.
      await removeLegacyNetworks(this.docker, projectId).catch(() => undefined);
      info = null;
    }
    let createdVolume = false;
    if (!info) {
      if (spec.seedFrom) assertSeedFolder(spec.seedFrom);
      const labels = labelsFor(projectId, this.options.scope);
      const networkId = await ensureSharedNetwork(this.docker, this.options.scope);
      createdVolume = await ensureVolume(
        this.docker,
        projectId,
        labels,
        this.disk && (() => this.disk!.volumeDriverOptions(projectId)),
      );
      if (this.disk && !createdVolume && !diskMounted) await this.disk.beforeStart(projectId);
      const created = await createWorkspaceContainer(
        this.docker,
        {
          projectId,
          container,
          networkId,
          limits,
          seedFrom: spec.seedFrom,
          seedArchive: spec.seedArchive,
          createdVolume,
        },
        this.log,
      );
      // Lost the race (409): the winner's container may not be inspectable for a moment.
      info = created ? await onEngine(() => container.inspect()) : await inspectCreated(container);
      await pruneUnusedNetworks(this.docker, this.options.scope, info);
    }
    if (this.options.agentAccess === 'network') await joinControlNetwork(this.docker, projectId, this.options);
    if (info.State.Paused) await onEngine(() => container.unpause());
    if (!info.State.Running) await startContainer(this.docker, this.options.scope, container, info);
    // The published host port is chosen at start: read it back every time.
    info = await onEngine(() => container.inspect());
    const agent = this.endpointOf(info, projectId);
    if (!agent) throw new Error(`Workspace ${projectId} did not start (state ${info.State.Status})`);
    if (!(await checkAgentHealth(agent))) {
      await waitForAgent(agent, {
        timeoutMs: this.options.readyTimeoutMs ?? 20_000,
        stillRunning: async () => (await orMissing(() => container.inspect()))?.State.Running === true,
      });
    }
    return { projectId, state: 'running', agent, startedAt: new Date(info.State.StartedAt), createdVolume };
  }
}
