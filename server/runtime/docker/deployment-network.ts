// How Berth in a container (access 'network') reaches a deployment: the shared deploy bridge has
// inter-container traffic off, which drops Berth→deployment too, so each serving container also
// gets a small internal network of its own, `berth-depctl-<deploymentId>`, shared only with
// Berth's container (as workspaces get theirs: control-network.ts, same /29 pool). The deploy
// bridge stays the container's way to the internet; nothing else can reach it on either network.
// Builds need none: Berth reads their output through the engine.
import type Dockerode from 'dockerode';
import { connectToNetwork, DEFAULT_CONTROL_SUBNETS, ensureInternalNetwork } from './control-network';
import { orMissing } from './docker-errors';
import { DEPLOY_NETWORK_LABEL, DEPLOYMENT_LABEL, deploymentContainerName } from './deployment-names';
import { MANAGED_LABEL, SCOPE_LABEL } from './names';

export const deploymentControlNetworkName = (deploymentId: string) => `berth-depctl-${deploymentId}`;

export interface DeploymentNetworkSettings {
  scope?: string;
  /** WORKSPACE_CONTROL_SUBNETS: the pool workspaces' control networks come from too. */
  controlSubnets?: string;
  /** Berth's own container. */
  selfContainer?: string;
}

/** The deployment's container and Berth's own on the deployment's control network (idempotent). */
export async function joinDeploymentControlNetwork(
  docker: Dockerode,
  deploymentId: string,
  settings: DeploymentNetworkSettings,
): Promise<void> {
  // No berth.project label: a workspace's clean-up removes its project's networks by that label.
  const networkId = await ensureInternalNetwork(
    docker,
    deploymentControlNetworkName(deploymentId),
    settings.controlSubnets ?? DEFAULT_CONTROL_SUBNETS,
    {
      [MANAGED_LABEL]: 'true',
      [DEPLOY_NETWORK_LABEL]: 'deployment-control',
      [DEPLOYMENT_LABEL]: deploymentId,
      ...(settings.scope ? { [SCOPE_LABEL]: settings.scope } : {}),
    },
  );
  await connectToNetwork(docker, networkId, deploymentContainerName(deploymentId));
  if (settings.selfContainer) await connectToNetwork(docker, networkId, settings.selfContainer);
}

/** Berth's own container on the control network of a deployment found running (adoption after a restart). */
export async function rejoinDeploymentControlNetwork(
  docker: Dockerode,
  deploymentId: string,
  selfContainer: string | undefined,
): Promise<void> {
  if (!selfContainer) return;
  const network = await orMissing(() => docker.getNetwork(deploymentControlNetworkName(deploymentId)).inspect());
  if (network) await connectToNetwork(docker, (network as { Id: string }).Id, selfContainer);
}

/** Removes the deployment's control network (Berth's container leaves it first); gone already is fine. */
export async function removeDeploymentControlNetwork(
  docker: Dockerode,
  deploymentId: string,
  selfContainer: string | undefined,
): Promise<void> {
  const network = docker.getNetwork(deploymentControlNetworkName(deploymentId));
  if (selfContainer)
    await orMissing(() => network.disconnect({ Container: selfContainer, Force: true })).catch(() => undefined);
  await orMissing(() => network.remove());
}

/** The deployment's address on its control network, if it is on one. */
export function controlAddressOf(
  networks: Record<string, { IPAddress: string }> | undefined,
  deploymentId: string,
): string | undefined {
  return networks?.[deploymentControlNetworkName(deploymentId)]?.IPAddress || undefined;
}
