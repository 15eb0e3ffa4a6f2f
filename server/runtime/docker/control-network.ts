// Reaching agents over Docker networks (Berth itself in a container, where a port published on
// the host's 127.0.0.1 is out of reach): each workspace gets a small internal bridge of its
// own, `berth-ctl-<projectId>`, shared only with Berth's container. Internal: nothing on it
// reaches outside; two members: the workspace cannot see other workspaces through it, and
// Berth's database sits on none of these networks. Subnets are /29s taken from a pool Berth
// names (WORKSPACE_CONTROL_SUBNETS), so the engine's small default address pools never run out.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import type { AgentEndpoint } from '../runtime-driver';
import { AGENT_CONTAINER_PORT, secretOf } from './container-spec';
import { createDockerClient } from './docker-client';
import { engineError, onEngine, orMissing, statusOf } from './docker-errors';
import { containerName, MANAGED_LABEL, NETWORK_LABEL, PROJECT_LABEL, SCOPE_LABEL } from './names';

export const controlNetworkName = (projectId: string) => `berth-ctl-${projectId}`;
export const DEFAULT_CONTROL_SUBNETS = '10.213.0.0/16';
const SUBNET_BITS = 29;
const MAX_TRIES = 64;

/** The control network's id, made if missing. */
export async function ensureControlNetwork(
  docker: Dockerode,
  projectId: string,
  scope: string | undefined,
  pool: string,
): Promise<string> {
  return ensureInternalNetwork(docker, controlNetworkName(projectId), pool, {
    [MANAGED_LABEL]: 'true',
    [PROJECT_LABEL]: projectId,
    [NETWORK_LABEL]: 'control',
    ...(scope ? { [SCOPE_LABEL]: scope } : {}),
  });
}

/**
 * An internal bridge named `name` on a free /29 of `pool` (the first tried is picked by the
 * name's hash), made if missing; its id. Workspaces' and deployments' control networks alike.
 */
export async function ensureInternalNetwork(
  docker: Dockerode,
  name: string,
  pool: string,
  labels: Record<string, string>,
): Promise<string> {
  const existing = await orMissing(() => docker.getNetwork(name).inspect());
  if (existing) return (existing as { Id: string }).Id;
  const subnets = subnetsOf(pool);
  const start = hashOf(name) % subnets.count;
  for (let attempt = 0; attempt < Math.min(MAX_TRIES, subnets.count); attempt++) {
    const subnet = subnets.at((start + attempt) % subnets.count);
    try {
      const network = await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        Internal: true,
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
        Labels: labels,
      });
      return network.id;
    } catch (error) {
      if (statusOf(error) === 409)
        return ((await onEngine(() => docker.getNetwork(name).inspect())) as { Id: string }).Id;
      // Taken by another network (ours or anyone's): the next subnet.
      if (/overlap/i.test((error as Error).message)) continue;
      throw engineError(error);
    }
  }
  throw new Error(`No free /${SUBNET_BITS} left in WORKSPACE_CONTROL_SUBNETS (${pool}) after ${MAX_TRIES} tries`);
}

/** The workspace and Berth's own container on the project's control network (idempotent). */
export async function joinControlNetwork(
  docker: Dockerode,
  projectId: string,
  options: { scope?: string; controlSubnets?: string; selfContainer?: string },
): Promise<void> {
  const networkId = await ensureControlNetwork(
    docker,
    projectId,
    options.scope,
    options.controlSubnets ?? DEFAULT_CONTROL_SUBNETS,
  );
  await connectToNetwork(docker, networkId, containerName(projectId));
  if (options.selfContainer) await connectToNetwork(docker, networkId, options.selfContainer);
}

/** Joins a container to the network unless it is on it already. */
export async function connectToNetwork(docker: Dockerode, networkId: string, container: string): Promise<void> {
  try {
    await docker.getNetwork(networkId).connect({ Container: container });
  } catch (error) {
    // 403 "already exists in network": the state asked for.
    if (statusOf(error) === 403 && /already exists/i.test((error as Error).message)) return;
    throw engineError(error);
  }
}

/** Removes the project's control network (Berth's own container leaves it first). */
export async function removeControlNetwork(
  docker: Dockerode,
  projectId: string,
  self: string | undefined,
): Promise<void> {
  const network = docker.getNetwork(controlNetworkName(projectId));
  if (self) await orMissing(() => network.disconnect({ Container: self, Force: true })).catch(() => undefined);
  await orMissing(() => network.remove());
}

/** The agent at the workspace's address on its control network. */
export function agentEndpointOnNetwork(info: ContainerInspectInfo, projectId: string): AgentEndpoint | undefined {
  const secret = secretOf(info);
  const address = info.NetworkSettings.Networks?.[controlNetworkName(projectId)]?.IPAddress;
  if (!info.State.Running || !secret || !address) return undefined;
  const url = `http://${address}:${AGENT_CONTAINER_PORT.split('/')[0]}`;
  return { url, secret, directUrl: url };
}

function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash;
}

/** The /29 subnets of an IPv4 CIDR pool, by index. */
export function subnetsOf(pool: string): { count: number; at(index: number): string } {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(pool);
  if (!match) throw new Error(`WORKSPACE_CONTROL_SUBNETS must be an IPv4 CIDR such as 10.213.0.0/16, not ${pool}`);
  const bits = Number(match[5]);
  if (bits > SUBNET_BITS) throw new Error(`WORKSPACE_CONTROL_SUBNETS ${pool} is smaller than one /${SUBNET_BITS}`);
  const base = match.slice(1, 5).reduce((value, part) => value * 256 + Number(part), 0) & ~(2 ** (32 - bits) - 1);
  const count = 2 ** (SUBNET_BITS - bits);
  return {
    count,
    at: (index) => {
      const address = (base >>> 0) + index * 2 ** (32 - SUBNET_BITS);
      return `${[24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.')}/${SUBNET_BITS}`;
    },
  };
}

/**
 * Berth's own container on this engine, if Berth runs in one: the engine must know a container
 * by this host's name (Docker names a container's host after its id). A machine that merely
 * looks containerised but runs its own engine (docker-in-a-VM) is not one: published ports work there.
 */
export async function detectSelfContainer(dockerHost: string | undefined): Promise<string | undefined> {
  if (!existsSync('/.dockerenv')) return undefined;
  const name = hostname();
  const info = await orMissing(() => createDockerClient(dockerHost).getContainer(name).inspect()).catch(() => null);
  return info && info.Config.Hostname === name ? info.Id : undefined;
}
