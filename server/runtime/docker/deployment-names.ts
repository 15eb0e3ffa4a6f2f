// Names and labels of what the deployment driver creates: per deployment a build container, an
// image and a running container; per installation scope one network. Labels carry the
// (project, environment, deployment) so adoption and retention need nothing but the engine.
import type { DeploymentFilter, DeploymentRef } from '../deployment-driver';
import { MANAGED_LABEL, PROJECT_LABEL, SCOPE_LABEL } from './names';

export const DEPLOYMENT_LABEL = 'berth.deployment';
export const ENVIRONMENT_LABEL = 'berth.env';
/** The app's port inside the container (on images and containers). */
export const PORT_LABEL = 'berth.port';
/**
 * berth.role=build marks a build container (never adopted, removed when found), =deployment an
 * image or serving container. One label with two values, not a label of its own: a commit carries
 * the build container's labels into the image (and so into containers), and can only override them.
 */
export const ROLE_LABEL = 'berth.role';
export type DeploymentRole = 'build' | 'deployment';
export const DEPLOY_NETWORK_LABEL = 'berth.network';
export const IMAGE_REPOSITORY = 'berth-deploy';

const ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/;
const ENVIRONMENT = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function assertDeploymentRef(ref: DeploymentRef): void {
  if (!ID.test(ref.deploymentId)) throw new Error(`Invalid deployment id ${JSON.stringify(ref.deploymentId)}`);
  if (!ID.test(ref.projectId)) throw new Error(`Invalid project id ${JSON.stringify(ref.projectId)}`);
  if (!ENVIRONMENT.test(ref.environment)) throw new Error(`Invalid environment ${JSON.stringify(ref.environment)}`);
}

export const deploymentContainerName = (deploymentId: string) => `berth-dep-${deploymentId}`;
export const buildContainerName = (deploymentId: string) => `berth-build-${deploymentId}`;
export const deploymentImageName = (deploymentId: string) => `${IMAGE_REPOSITORY}:${deploymentId}`;
export const deployNetworkName = (scope?: string) => `berth-deploy-net-${scope || 'default'}`;

export function deploymentLabels(
  ref: DeploymentRef,
  scope: string | undefined,
  port: number,
  role: DeploymentRole = 'deployment',
): Record<string, string> {
  return {
    [MANAGED_LABEL]: 'true',
    [ROLE_LABEL]: role,
    ...(scope ? { [SCOPE_LABEL]: scope } : {}),
    [DEPLOYMENT_LABEL]: ref.deploymentId,
    [PROJECT_LABEL]: ref.projectId,
    [ENVIRONMENT_LABEL]: ref.environment,
    [PORT_LABEL]: String(port),
  };
}

/** Engine label filters (ANDed) for this installation's deployments, narrowed by project/environment. */
export function deploymentFilters(
  scope: string | undefined,
  filter: DeploymentFilter = {},
  role: DeploymentRole = 'deployment',
): string[] {
  return [
    `${MANAGED_LABEL}=true`,
    `${ROLE_LABEL}=${role}`,
    ...(scope ? [`${SCOPE_LABEL}=${scope}`] : []),
    ...(filter.projectId ? [`${PROJECT_LABEL}=${filter.projectId}`] : []),
    ...(filter.environment ? [`${ENVIRONMENT_LABEL}=${filter.environment}`] : []),
  ];
}

/** The ref a set of labels names, or null when they are not a deployment's. */
export function refOfLabels(labels: Record<string, string> | undefined): (DeploymentRef & { port: number }) | null {
  const deploymentId = labels?.[DEPLOYMENT_LABEL];
  const projectId = labels?.[PROJECT_LABEL];
  const environment = labels?.[ENVIRONMENT_LABEL];
  const port = Number(labels?.[PORT_LABEL]);
  if (!deploymentId || !projectId || !environment || !Number.isInteger(port)) return null;
  return { deploymentId, projectId, environment, port };
}
