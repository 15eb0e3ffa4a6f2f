// The runtime module: how Berth runs one workspace container per project. It owns the
// RuntimeDriver interface, its errors, the Docker implementation (the only dockerode user) and
// a local-process one (local/: the fast fake that unit tests of the services above run on).
// It must not import features (workspaces, terminals, files, preview…), db or http; only core.
// main.ts constructs DockerDriver; everyone else depends on RuntimeDriver. The contract suite
// (runtime-contract.ts) is test-only and imported directly by driver tests; both drivers pass it.
// Deployments (issue 14) have their own DeploymentDriver (deployment-driver.ts), Docker-only.
export {
  EngineUnavailableError,
  WorkspaceNotRunningError,
  type AgentEndpoint,
  type DiskEnforcement,
  type ExecOptions,
  type ExecSession,
  type RuntimeDriver,
  type RuntimeEvent,
  type RuntimeState,
  type RuntimeWorkspace,
  type WorkspaceSpec,
  type WorkspaceStats,
  type WorkspaceDiskUsage,
} from './runtime-driver';
export { DockerDriver } from './docker/docker-driver';
export { LocalProcessDriver, type LocalProcessDriverOptions } from './local/local-driver';
export type { DockerDriverOptions } from './docker/docker-driver-options';
export { detectSelfContainer } from './docker/control-network';
export { releaseWorkspaceDisks } from './docker/disk-image';
export {
  DeploymentBuildError,
  DeploymentImageInUseError,
  DeploymentStartError,
  type DeploymentBuildFailure,
  type DeploymentBuildSpec,
  type DeploymentContainer,
  type DeploymentContainerState,
  type DeploymentDriver,
  type DeploymentEndpoint,
  type DeploymentExtraFile,
  type DeploymentFilter,
  type DeploymentHealth,
  type DeploymentImage,
  type DeploymentRef,
  type DeploymentRunSpec,
} from './deployment-driver';
export { DockerDeploymentDriver, type DockerDeploymentDriverOptions } from './docker/docker-deployment-driver';
