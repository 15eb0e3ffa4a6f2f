// The Docker deployment driver: builds (deployment-build.ts), runs (deployment-container.ts)
// and finds deployments by label, on one ICC-off bridge per scope shared by deployments and
// their builds (Docker's address pools hold ~30 networks; ICC off keeps them apart). Berth in a
// container reaches each deployment over a control network of its own (deployment-network.ts).
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import type { Logger } from '../../core/logger';
import {
  DeploymentImageInUseError,
  DeploymentStartError,
  type DeploymentBuildSpec,
  type DeploymentContainer,
  type DeploymentDriver,
  type DeploymentFilter,
  type DeploymentImage,
  type DeploymentRunSpec,
} from '../deployment-driver';
import { createDockerClient } from './docker-client';
import { engineError, onEngine, orMissing, statusOf } from './docker-errors';
import { buildDeploymentImage, type DeploymentHostSettings } from './deployment-build';
import {
  buildDeploymentSpec,
  deploymentOfInspect,
  deploymentOfListed,
  type DeploymentAccess,
} from './deployment-container';
import {
  assertDeploymentRef,
  DEPLOY_NETWORK_LABEL,
  DEPLOYMENT_LABEL,
  deploymentContainerName,
  deploymentFilters,
  deploymentImageName,
  deployNetworkName,
  refOfLabels,
} from './deployment-names';
import {
  joinDeploymentControlNetwork,
  rejoinDeploymentControlNetwork,
  removeDeploymentControlNetwork,
} from './deployment-network';
import { MANAGED_LABEL, SCOPE_LABEL } from './names';
import { createDemuxer } from './stream-demux';
import { ICC_OPTION, removeContainer } from './workspace-resources';

export interface DockerDeploymentDriverOptions extends DeploymentHostSettings {
  docker?: Dockerode;
  dockerHost?: string;
  publishHost: '127.0.0.1';
  /**
   * 'published': a port on the host's loopback; 'network': each deployment's own control network,
   * shared with Berth's container (the deploy bridge has ICC off: Berth could not reach it there).
   */
  access?: DeploymentAccess;
  /** Berth's own container (network access). */
  selfContainer?: string;
  /** WORKSPACE_CONTROL_SUBNETS: the /29 pool of control networks (network access). */
  controlSubnets?: string;
}

const DEFAULT_READY_MS = 30_000;
const PROBE_MS = 1_000;
const RETRY_MS = 100;
const LOG_TAIL = 50;

export class DockerDeploymentDriver implements DeploymentDriver {
  private readonly docker: Dockerode;
  private readonly access: DeploymentAccess;
  private network: Promise<string> | null = null;
  /** Deployments whose control network Berth's container is known to be on (this process). */
  private readonly joined = new Set<string>();

  constructor(
    private readonly options: DockerDeploymentDriverOptions,
    private readonly log: Logger,
  ) {
    this.docker = options.docker ?? createDockerClient(options.dockerHost);
    this.access = options.access ?? 'published';
  }

  async build(spec: DeploymentBuildSpec): Promise<DeploymentImage> {
    const networkId = await this.networkId();
    this.log.info({ deploymentId: spec.deploymentId, projectId: spec.projectId }, 'deployment build started');
    return buildDeploymentImage(this.docker, this.options, networkId, spec);
  }

  async run(spec: DeploymentRunSpec): Promise<DeploymentContainer> {
    assertDeploymentRef(spec);
    const networkId = await this.networkId();
    const container = this.docker.getContainer(deploymentContainerName(spec.deploymentId));
    if (!(await orMissing(() => container.inspect()))) {
      try {
        await this.docker.createContainer(
          buildDeploymentSpec({ ...this.options, access: this.access }, networkId, spec),
        );
      } catch (error) {
        // 409: made meanwhile by another caller; start it as ours.
        if (statusOf(error) !== 409) throw engineError(error);
      }
    }
    if (this.access === 'network') {
      // Before the start: the first answer Berth waits for comes over this network.
      await joinDeploymentControlNetwork(this.docker, spec.deploymentId, this.options);
      this.joined.add(spec.deploymentId);
    }
    try {
      await container.start();
    } catch (error) {
      if (statusOf(error) !== 304) throw engineError(error);
    }
    return this.waitUntilAnswering(spec.deploymentId, spec.readyTimeoutMs ?? DEFAULT_READY_MS);
  }

  async inspect(deploymentId: string): Promise<DeploymentContainer | null> {
    const info = await orMissing(() => this.docker.getContainer(deploymentContainerName(deploymentId)).inspect());
    if (!info) return null;
    const found = deploymentOfInspect(info, this.access);
    if (found?.state === 'running') await this.rejoin(found.deploymentId);
    return found;
  }

  async stop(deploymentId: string): Promise<void> {
    try {
      await this.docker.getContainer(deploymentContainerName(deploymentId)).stop({ t: 10 });
    } catch (error) {
      // 304: stopped already; 404: gone.
      if (statusOf(error) !== 304 && statusOf(error) !== 404) throw engineError(error);
    }
  }

  async removeContainer(deploymentId: string): Promise<void> {
    await removeContainer(this.docker.getContainer(deploymentContainerName(deploymentId)));
    // Its control network goes with it (none in published access: a 404, which is fine).
    await removeDeploymentControlNetwork(this.docker, deploymentId, this.options.selfContainer);
    this.joined.delete(deploymentId);
  }

  async removeImage(deploymentId: string): Promise<void> {
    try {
      await this.docker.getImage(deploymentImageName(deploymentId)).remove();
    } catch (error) {
      if (statusOf(error) === 404) return;
      if (statusOf(error) === 409) throw new DeploymentImageInUseError(deploymentId);
      throw engineError(error);
    }
  }

  async listContainers(filter?: DeploymentFilter): Promise<DeploymentContainer[]> {
    const listed = await onEngine(() =>
      this.docker.listContainers({ all: true, filters: { label: deploymentFilters(this.options.scope, filter) } }),
    );
    const found = listed
      .map((info) => deploymentOfListed(info, this.access))
      .filter((item): item is DeploymentContainer => item !== null)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    await Promise.all(found.filter((item) => item.state === 'running').map((item) => this.rejoin(item.deploymentId)));
    return found;
  }

  async listImages(filter?: DeploymentFilter): Promise<DeploymentImage[]> {
    const images = await onEngine(() =>
      this.docker.listImages({ filters: { label: deploymentFilters(this.options.scope, filter) } }),
    );
    return images
      .flatMap((info) => {
        const ref = refOfLabels(info.Labels ?? undefined);
        return ref
          ? [
              {
                deploymentId: ref.deploymentId,
                projectId: ref.projectId,
                environment: ref.environment,
                port: ref.port,
                image: deploymentImageName(ref.deploymentId),
                createdAt: new Date(info.Created * 1000),
                sizeBytes: info.Size,
              },
            ]
          : [];
      })
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  async logs(deploymentId: string, options: { tail?: number } = {}): Promise<string> {
    const container = this.docker.getContainer(deploymentContainerName(deploymentId));
    const raw = await orMissing(() =>
      container.logs({ follow: false, stdout: true, stderr: true, tail: options.tail ?? LOG_TAIL }),
    );
    if (!raw) return '';
    const parts: Buffer[] = [];
    createDemuxer((payload) => parts.push(Buffer.from(payload)))(raw as unknown as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  async followLogs(
    deploymentId: string,
    onLog: (text: string) => void,
    options: { tail?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (options.signal?.aborted) return;
    const container = this.docker.getContainer(deploymentContainerName(deploymentId));
    const stream = (await orMissing(() =>
      container.logs({ follow: true, stdout: true, stderr: true, tail: options.tail ?? LOG_TAIL }),
    )) as unknown as NodeJS.ReadableStream | null;
    if (!stream) return;
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const demux = createDemuxer((payload, kind) => onLog(decoders[kind].write(payload)));
    const destroy = () => (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    // Aborted while the stream was being opened: nobody reads it.
    if (options.signal?.aborted) return destroy();
    options.signal?.addEventListener('abort', destroy, { once: true });
    try {
      await new Promise<void>((resolve) => {
        stream.on('data', (chunk: Buffer) => demux(chunk));
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', () => resolve());
      });
    } finally {
      options.signal?.removeEventListener('abort', destroy);
    }
  }

  /**
   * Build containers a crashed Berth left behind (none of them can be finished), and control
   * networks whose deployment container is gone (a crash between the two removals).
   */
  async removeLeftoverBuilds(): Promise<number> {
    const filters = deploymentFilters(this.options.scope, {}, 'build');
    const builds = await onEngine(() => this.docker.listContainers({ all: true, filters: { label: filters } }));
    await Promise.all(builds.map((info) => removeContainer(this.docker.getContainer(info.Id))));
    for (const deploymentId of await this.controlNetworks()) {
      const container = this.docker.getContainer(deploymentContainerName(deploymentId));
      if (!(await orMissing(() => container.inspect())))
        await removeDeploymentControlNetwork(this.docker, deploymentId, this.options.selfContainer).catch(
          () => undefined,
        );
    }
    return builds.length;
  }

  /** The deployments of this scope that have a control network. */
  private async controlNetworks(): Promise<string[]> {
    const networks = await onEngine(() =>
      this.docker.listNetworks({
        filters: {
          label: [
            `${MANAGED_LABEL}=true`,
            `${DEPLOY_NETWORK_LABEL}=deployment-control`,
            ...(this.options.scope ? [`${SCOPE_LABEL}=${this.options.scope}`] : []),
          ],
        },
      }),
    );
    return networks.flatMap((network) => network.Labels?.[DEPLOYMENT_LABEL] ?? []);
  }

  /** Removes the scope's deploy network (and leftover control networks) when nothing uses it (tests and teardown). True if gone. */
  async removeNetwork(): Promise<boolean> {
    this.network = null;
    for (const deploymentId of await this.controlNetworks())
      await removeDeploymentControlNetwork(this.docker, deploymentId, this.options.selfContainer).catch(
        () => undefined,
      );
    // Berth's container was on the deploy network before deployments had control networks.
    const network = this.docker.getNetwork(deployNetworkName(this.options.scope));
    if (this.options.selfContainer)
      await orMissing(() => network.disconnect({ Container: this.options.selfContainer, Force: true })).catch(
        () => undefined,
      );
    return orMissing(() => network.remove()).then(
      () => true,
      () => false,
    );
  }

  private networkId(): Promise<string> {
    this.network ??= this.ensureNetwork().catch((error: unknown) => {
      this.network = null;
      throw error;
    });
    return this.network;
  }

  private async ensureNetwork(): Promise<string> {
    const name = deployNetworkName(this.options.scope);
    let info = await orMissing(() => this.docker.getNetwork(name).inspect());
    if (!info) {
      try {
        await this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Options: { [ICC_OPTION]: 'false' },
          Labels: {
            [MANAGED_LABEL]: 'true',
            [DEPLOY_NETWORK_LABEL]: 'deploy',
            ...(this.options.scope ? { [SCOPE_LABEL]: this.options.scope } : {}),
          },
        });
      } catch (error) {
        if (statusOf(error) !== 409) throw engineError(error);
      }
      info = await onEngine(() => this.docker.getNetwork(name).inspect());
    }
    // Berth's own container stays off this bridge: with ICC off it could reach nothing on it.
    return (info as { Id: string }).Id;
  }

  /** Berth's container back on a running deployment's control network (adopted after a restart), once per process. */
  private async rejoin(deploymentId: string): Promise<void> {
    if (this.access !== 'network' || !this.options.selfContainer || this.joined.has(deploymentId)) return;
    await rejoinDeploymentControlNetwork(this.docker, deploymentId, this.options.selfContainer);
    this.joined.add(deploymentId);
  }

  /** Resolves once the app answers any HTTP request; a container that stops or keeps restarting fails. */
  private async waitUntilAnswering(deploymentId: string, timeoutMs: number): Promise<DeploymentContainer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.inspect(deploymentId);
      if (!current) throw new DeploymentStartError(`Deployment ${deploymentId} vanished while starting`, '');
      if (current.state === 'exited' || current.state === 'dead' || current.state === 'restarting') {
        throw new DeploymentStartError(
          `The app stopped while starting (${current.state})`,
          await this.logs(deploymentId, { tail: LOG_TAIL }),
        );
      }
      if (current.endpoint && (await answers(current.endpoint.url))) return current;
      if (Date.now() > deadline)
        throw new DeploymentStartError(
          `The app did not answer HTTP on port ${current.port} within ${Math.round(timeoutMs / 1000)} s`,
          await this.logs(deploymentId, { tail: LOG_TAIL }),
        );
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_MS), redirect: 'manual' });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
