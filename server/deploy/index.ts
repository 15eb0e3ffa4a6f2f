// Deployments (issue 14, docs/adr-deploy.md): the build plan detected from package.json, the
// build script and start command it amounts to, and the engine that builds images from snapshots
// and runs them as long-lived containers through the runtime's DeploymentDriver. Imports the
// runtime's index, core and contracts; never dockerode (only server/runtime/docker/ does).
export {
  buildPlanSchema,
  detectBuildPlan,
  DEFAULT_PORT,
  NothingToDeployError,
  type BuildPlan,
  type Framework,
  type ProjectFacts,
  type ServeMode,
} from './build-plan';
export { buildScriptOf, startCommandOf, STEP_MARK } from './build-script';
export {
  DeployEngine,
  type BuildInput,
  type DeployEngineOptions,
  type EnvironmentRef,
  type RunInput,
} from './deploy-engine';
export { imagesToPrune } from './image-retention';
export { STATIC_SERVER_PATH } from './static-server-source';
export { projectFactsOfSnapshot, type SnapshotReader } from './snapshot-facts';
export {
  DeployService,
  type DeploySnapshots,
  type DeployServiceOptions,
  type DeploymentTarget,
} from './deploy-service';
export { DeployEnvironments, healthOf, type DeployProjects, type EnvironmentRow } from './deploy-environments';
export { DeploymentAccess, DEPLOY_ACCESS_COOKIE, DEPLOY_ACCESS_PURPOSE, cookieValue } from './deployment-access';
export { RuntimeLogs } from './runtime-logs';
export { createDeploys, type DeploysDeps, type DeploysSettings } from './create-deploys';
export { DeployVariables, DEPLOY_VARIABLES_PURPOSE } from './deploy-variables';
