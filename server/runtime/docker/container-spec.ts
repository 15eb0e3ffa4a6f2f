// The create options of a workspace container: hardened by default (DESIGN.md, runtime
// driver) — non-root, no capabilities, no-new-privileges, pids/memory/CPU limits, the agent's
// port published on loopback only, its own volume, no Docker socket inside, and attached to
// the scope's shared bridge network, which has inter-container communication disabled.
import { createHash } from 'node:crypto';
import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import type { AgentEndpoint } from '../runtime-driver';
import { containerName, labelsFor, volumeName } from './names';

export const AGENT_CONTAINER_PORT = '7777/tcp';
export const WORKSPACE_DIR = '/workspace';
export const WORKSPACE_USER = '1000:1000';
export const CA_BUNDLE_TARGET = '/etc/ssl/certs/berth-ca-bundle.crt';
const SECRET_ENV = 'BERTH_AGENT_SECRET';
/** Hash of the settings a container was made with: a stopped one with other settings is remade. */
export const SPEC_LABEL = 'berth.spec';

export interface ContainerLimits {
  image: string;
  memoryBytes: number;
  cpus: number;
  pidsLimit: number;
  publishHost: string;
  /** Host file bound read-only into the container, or undefined when absent. */
  caBundlePath?: string;
  scope?: string;
  /** Host name previews are served under (no port): dev servers that check hosts allow it. */
  previewDomain?: string;
  /** 'network': the agent is reached on the workspace's control network; nothing is published. */
  agentAccess?: 'published' | 'network';
  /** --storage-opt for the writable layer (size=<bytes>), where the storage driver supports it. */
  storageOpt?: Record<string, string>;
}

/** networkId: the shared network by id, not name — a lost creation race can leave two of one name. */
export function buildContainerSpec(
  projectId: string,
  secret: string,
  networkId: string,
  limits: ContainerLimits,
): ContainerCreateOptions {
  // npm's update notice is noise in a workspace whose Node comes with the image.
  // Self-hosted means nothing phones home unasked: Next.js telemetry is off in workspaces.
  const env = [
    `${SECRET_ENV}=${secret}`,
    'TERM=xterm-256color',
    'npm_config_update_notifier=false',
    'npm_config_fund=false',
    'NEXT_TELEMETRY_DISABLED=1',
  ];
  if (limits.previewDomain) env.push(`BERTH_PREVIEW_DOMAIN=${limits.previewDomain}`);
  const mounts: NonNullable<NonNullable<ContainerCreateOptions['HostConfig']>['Mounts']> = [
    { Type: 'volume', Source: volumeName(projectId), Target: WORKSPACE_DIR },
  ];
  if (limits.caBundlePath) {
    mounts.push({ Type: 'bind', Source: limits.caBundlePath, Target: CA_BUNDLE_TARGET, ReadOnly: true });
    // Node, OpenSSL (curl), git and npm each read their own variable.
    for (const name of ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'GIT_SSL_CAINFO', 'npm_config_cafile'])
      env.push(`${name}=${CA_BUNDLE_TARGET}`);
  }
  return {
    name: containerName(projectId),
    Image: limits.image,
    Labels: { ...labelsFor(projectId, limits.scope), [SPEC_LABEL]: specHash(limits) },
    Env: env,
    User: WORKSPACE_USER,
    WorkingDir: WORKSPACE_DIR,
    ExposedPorts: { [AGENT_CONTAINER_PORT]: {} },
    HostConfig: {
      Mounts: mounts,
      // Empty HostPort = a random free port, bound on loopback only.
      PortBindings:
        limits.agentAccess === 'network'
          ? {}
          : { [AGENT_CONTAINER_PORT]: [{ HostIp: limits.publishHost, HostPort: '' }] },
      NetworkMode: networkId,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: limits.pidsLimit,
      Memory: limits.memoryBytes,
      // Equal to Memory: no swap beyond the memory limit.
      MemorySwap: limits.memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
      RestartPolicy: { Name: 'no' },
      ...(limits.storageOpt ? { StorageOpt: limits.storageOpt } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [networkId]: {} } },
  };
}

/**
 * Which network layout a container was made for: containers made before the shared network
 * (each on its own) hash differently, so a stopped one is remade onto the shared network.
 */
const NETWORK_LAYOUT = 'shared-no-icc';

export function specHash(limits: ContainerLimits): string {
  const {
    image,
    memoryBytes,
    cpus,
    pidsLimit,
    publishHost,
    caBundlePath = '',
    scope = '',
    previewDomain = '',
    agentAccess = 'published',
    storageOpt,
  } = limits;
  // The access mode joins the hash only when it is not the default: existing containers keep theirs.
  const canonical = JSON.stringify([
    image,
    memoryBytes,
    cpus,
    pidsLimit,
    publishHost,
    caBundlePath,
    scope,
    previewDomain,
    NETWORK_LAYOUT,
    ...(agentAccess === 'network' ? [agentAccess] : []),
    ...(storageOpt ? [storageOpt] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The agent's secret as created, read back so any process can adopt a running workspace. */
export function secretOf(info: ContainerInspectInfo): string | undefined {
  const entry = info.Config.Env?.find((item) => item.startsWith(`${SECRET_ENV}=`));
  return entry?.slice(SECRET_ENV.length + 1);
}

/** Where the agent answers; undefined unless the container runs with its port published. */
export function agentEndpointOf(info: ContainerInspectInfo): AgentEndpoint | undefined {
  const secret = secretOf(info);
  const binding = info.NetworkSettings.Ports?.[AGENT_CONTAINER_PORT]?.[0];
  if (!info.State.Running || !secret || !binding?.HostPort) return undefined;
  const host = !binding.HostIp || binding.HostIp === '0.0.0.0' ? '127.0.0.1' : binding.HostIp;
  const address = Object.values(info.NetworkSettings.Networks ?? {}).find((network) => network.IPAddress)?.IPAddress;
  const directUrl = address ? `http://${address}:${AGENT_CONTAINER_PORT.split('/')[0]}` : undefined;
  return { url: `http://${host}:${binding.HostPort}`, secret, ...(directUrl ? { directUrl } : {}) };
}
