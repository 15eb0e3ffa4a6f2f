// A deployment's long-lived container: its create options (hardened like workspaces, restarted
// unless Berth stopped it, a health check, the variables set only here), how it reads back
// (state, health, where Berth reaches it) and the wait for its first HTTP answer.
import type Dockerode from 'dockerode';
import type { ContainerInfo, ContainerInspectInfo } from 'dockerode';
import type {
  DeploymentContainer,
  DeploymentContainerState,
  DeploymentEndpoint,
  DeploymentHealth,
  DeploymentRunSpec,
} from '../deployment-driver';
import { WORKSPACE_DIR, WORKSPACE_USER } from './container-spec';
import { caBundleSetup, hardenedHostConfig, type DeploymentHostSettings } from './deployment-build';
import { deploymentContainerName, deploymentLabels, refOfLabels } from './deployment-names';
import { controlAddressOf } from './deployment-network';

/** Variables Berth sets itself; the user's cannot replace them. */
const RESERVED = new Set(['PORT', 'HOST']);

export type DeploymentAccess = 'published' | 'network';

export function buildDeploymentSpec(
  settings: DeploymentHostSettings & { publishHost: string; access: DeploymentAccess },
  networkId: string,
  spec: DeploymentRunSpec,
): Dockerode.ContainerCreateOptions {
  const port = `${spec.port}/tcp`;
  const userEnv = Object.entries(spec.env)
    .filter(([key]) => !RESERVED.has(key))
    .map(([key, value]) => `${key}=${value}`);
  const seconds = (count: number) => count * 1e9;
  return {
    name: deploymentContainerName(spec.deploymentId),
    Image: spec.image,
    Labels: deploymentLabels(spec, settings.scope, spec.port),
    Env: [...caBundleSetup(settings.caBundlePath).env, ...userEnv, `PORT=${spec.port}`, 'HOST=0.0.0.0'],
    User: WORKSPACE_USER,
    WorkingDir: WORKSPACE_DIR,
    ExposedPorts: { [port]: {} },
    // Any HTTP answer is healthy (an API may answer 404 at /); curl is in the workspace image.
    Healthcheck: {
      Test: ['CMD', 'curl', '-sS', '-o', '/dev/null', '--max-time', '4', `http://127.0.0.1:${spec.port}/`],
      Interval: seconds(10),
      Timeout: seconds(5),
      Retries: 3,
      StartPeriod: seconds(30),
    },
    HostConfig: {
      ...hardenedHostConfig(settings, networkId),
      PortBindings: settings.access === 'published' ? { [port]: [{ HostIp: settings.publishHost, HostPort: '' }] } : {},
      // Back after a crash and after an engine restart; not after Berth stops it.
      RestartPolicy: { Name: 'unless-stopped' },
    },
    NetworkingConfig: { EndpointsConfig: { [networkId]: {} } },
  };
}

const STATES: readonly DeploymentContainerState[] = [
  'created',
  'running',
  'restarting',
  'paused',
  'exited',
  'dead',
  'removing',
];
const stateOf = (value: string | undefined): DeploymentContainerState =>
  STATES.find((state) => state === value?.toLowerCase()) ?? 'dead';

function healthOf(value: string | undefined): DeploymentHealth {
  switch (value) {
    case 'starting':
    case 'healthy':
    case 'unhealthy':
      return value;
    default:
      return 'none';
  }
}

/** From an inspect (one container). */
export function deploymentOfInspect(info: ContainerInspectInfo, access: DeploymentAccess): DeploymentContainer | null {
  const ref = refOfLabels(info.Config.Labels);
  if (!ref) return null;
  const state = stateOf(info.State.Status);
  const binding = info.NetworkSettings.Ports?.[`${ref.port}/tcp`]?.[0];
  const address = addressOf(info.NetworkSettings.Networks, ref.deploymentId, access);
  return {
    ...ref,
    containerId: info.Id,
    image: info.Config.Image,
    state,
    health: healthOf(info.State.Health?.Status),
    createdAt: new Date(info.Created),
    ...(state === 'running' ? endpointOf(access, ref.port, binding?.HostIp, binding?.HostPort, address) : {}),
  };
}

/** From a list entry (many at once: adoption). */
export function deploymentOfListed(info: ContainerInfo, access: DeploymentAccess): DeploymentContainer | null {
  const ref = refOfLabels(info.Labels);
  if (!ref) return null;
  const state = stateOf(info.State);
  const binding = info.Ports.find((port) => port.PrivatePort === ref.port && port.PublicPort);
  const address = addressOf(info.NetworkSettings?.Networks, ref.deploymentId, access);
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(info.Status)?.[1]?.replace('health: ', '');
  return {
    ...ref,
    containerId: info.Id,
    image: info.Image,
    state,
    health: healthOf(health),
    createdAt: new Date(info.Created * 1000),
    ...(state === 'running'
      ? endpointOf(access, ref.port, binding?.IP, binding?.PublicPort ? String(binding.PublicPort) : undefined, address)
      : {}),
  };
}

/**
 * Where Berth reaches the container directly: in network access only its own control network
 * (the deploy bridge drops Berth's traffic: ICC off), else its first address (the deploy bridge).
 */
function addressOf(
  networks: Record<string, { IPAddress: string }> | undefined,
  deploymentId: string,
  access: DeploymentAccess,
): string | undefined {
  if (access === 'network') return controlAddressOf(networks, deploymentId);
  return Object.values(networks ?? {}).find((network) => network.IPAddress)?.IPAddress;
}

function endpointOf(
  access: DeploymentAccess,
  port: number,
  hostIp: string | undefined,
  hostPort: string | undefined,
  address: string | undefined,
): { endpoint: DeploymentEndpoint } | Record<string, never> {
  const directUrl = address ? `http://${address}:${port}` : undefined;
  if (access === 'network') return directUrl ? { endpoint: { url: directUrl, directUrl } } : {};
  if (!hostPort) return {};
  const host = !hostIp || hostIp === '0.0.0.0' ? '127.0.0.1' : hostIp;
  return { endpoint: { url: `http://${host}:${hostPort}`, ...(directUrl ? { directUrl } : {}) } };
}
