// The deployment driver (issue 14, docs/adr-deploy.md): how Berth builds an image per deployment
// in a fresh build container and runs it as a long-lived container. Beside RuntimeDriver, not in
// it: deployments have no volume, no agent and no terminal. The Docker implementation is
// docker/docker-deployment-driver.ts; server/deploy/ orchestrates on top of this interface.

/** Which deployment of which project and environment a container or image belongs to (its labels). */
export interface DeploymentRef {
  deploymentId: string;
  projectId: string;
  environment: string;
}

/** A file Berth adds to the build outside the project's own (absolute path), e.g. its static server. */
export interface DeploymentExtraFile {
  path: string;
  content: string | Buffer;
  mode?: number;
}

export interface DeploymentBuildSpec extends DeploymentRef {
  /** The project's files as a tar (entries owned by uid 1000), extracted into /workspace. */
  files: () => Promise<NodeJS.ReadableStream>;
  extraFiles?: DeploymentExtraFile[];
  /** Shell script run as uid 1000 in /workspace; exit 0 = built. */
  script: string;
  /** The image's command (run under tini in /workspace). */
  startCommand: string[];
  /** The port the app listens on (PORT in the image). */
  port: number;
  /** Past this the build is killed and fails with reason 'timeout'. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** The build's output (stdout and stderr) as it comes. */
  onLog?: (text: string) => void;
}

export interface DeploymentImage extends DeploymentRef {
  /** Image reference, e.g. berth-deploy:<deploymentId>. */
  image: string;
  port: number;
  createdAt: Date;
  sizeBytes: number;
}

export interface DeploymentRunSpec extends DeploymentRef {
  image: string;
  port: number;
  /** The environment's variables, set at container create only (never in images or logs). */
  env: Record<string, string>;
  /** How long the app may take to answer its first HTTP request (default 30 s). */
  readyTimeoutMs?: number;
}

export type DeploymentContainerState = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'removing';
/** The engine's health check; 'none' before it has a verdict or without one. */
export type DeploymentHealth = 'starting' | 'healthy' | 'unhealthy' | 'none';

/** Where Berth reaches the app: a loopback port, and the container's own address where it answers. */
export interface DeploymentEndpoint {
  url: string;
  directUrl?: string;
}

export interface DeploymentContainer extends DeploymentRef {
  containerId: string;
  image: string;
  port: number;
  state: DeploymentContainerState;
  health: DeploymentHealth;
  /** Set while running. */
  endpoint?: DeploymentEndpoint;
  createdAt: Date;
}

export interface DeploymentFilter {
  projectId?: string;
  environment?: string;
}

export interface DeploymentDriver {
  /** Builds in a fresh container and commits the result; throws DeploymentBuildError. Nothing running is touched. */
  build(spec: DeploymentBuildSpec): Promise<DeploymentImage>;
  /**
   * Creates (or starts again) the deployment's container and resolves once the app answers HTTP;
   * throws DeploymentStartError (the container is left for its logs; remove it).
   */
  run(spec: DeploymentRunSpec): Promise<DeploymentContainer>;
  inspect(deploymentId: string): Promise<DeploymentContainer | null>;
  /** Stops it (it stays stopped across engine restarts) without removing it. */
  stop(deploymentId: string): Promise<void>;
  removeContainer(deploymentId: string): Promise<void>;
  /** Throws DeploymentImageInUseError while a container uses it. */
  removeImage(deploymentId: string): Promise<void>;
  /** Every deployment container of this installation (adoption at start-up), newest first. */
  listContainers(filter?: DeploymentFilter): Promise<DeploymentContainer[]>;
  /** Every deployment image of this installation, newest first. */
  listImages(filter?: DeploymentFilter): Promise<DeploymentImage[]>;
  /** The last lines of the container's output (runtime logs). */
  logs(deploymentId: string, options?: { tail?: number }): Promise<string>;
  /**
   * The container's output as it comes (after the last `tail` lines), until the container stops
   * or the signal aborts; resolves then. Nothing when there is no such container.
   */
  followLogs(
    deploymentId: string,
    onLog: (text: string) => void,
    options?: { tail?: number; signal?: AbortSignal },
  ): Promise<void>;
  /** Removes build containers a crashed Berth left behind (none can be finished); how many. */
  removeLeftoverBuilds(): Promise<number>;
}

export type DeploymentBuildFailure = 'failed' | 'timeout' | 'aborted';

export class DeploymentBuildError extends Error {
  readonly code = 'build_failed';
  constructor(
    readonly reason: DeploymentBuildFailure,
    readonly exitCode: number | null,
    message: string,
  ) {
    super(message);
  }
}

export class DeploymentStartError extends Error {
  readonly code = 'deployment_start_failed';
  constructor(
    message: string,
    /** The container's last output, to show the user why. */
    readonly logs: string,
  ) {
    super(message);
  }
}

export class DeploymentImageInUseError extends Error {
  readonly code = 'image_in_use';
  constructor(deploymentId: string) {
    super(`The image of deployment ${deploymentId} is used by a container`);
  }
}
