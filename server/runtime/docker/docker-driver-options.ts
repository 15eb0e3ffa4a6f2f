// The Docker driver's settings, built by the composition root from Berth's configuration, and
// the container limits they amount to.
import { existsSync } from 'node:fs';
import type Dockerode from 'dockerode';
import type { ContainerLimits } from './container-spec';

export interface DockerDriverOptions {
  /** A ready client; else one is made for dockerHost (default: /var/run/docker.sock, API 1.41). */
  docker?: Dockerode;
  dockerHost?: string;
  image: string;
  memoryBytes: number;
  cpus: number;
  pidsLimit: number;
  /** Host file with extra CA certificates, bound read-only into every workspace if it exists. */
  caBundlePath?: string;
  publishHost: '127.0.0.1';
  /** How long a started workspace may take to answer /health (default 20 s). */
  readyTimeoutMs?: number;
  /**
   * Labels everything berth.scope=<scope> and makes list() and onEvent see only that scope,
   * so installations (or test servers) sharing one engine never adopt or reap each other's.
   */
  scope?: string;
  /** Host name (no port) previews are served under, given to workspaces as BERTH_PREVIEW_DOMAIN. */
  previewDomain?: string;
  /** 'published': a port on the host's loopback (Berth on the host); 'network': control networks. */
  agentAccess?: 'published' | 'network';
  /** IPv4 pool the control networks' /29 subnets come from (network access). */
  controlSubnets?: string;
  /** Berth's own container (id or name), joined to each control network; unset on the host. */
  selfContainer?: string;
  /** WORKSPACE_DISK_GB in bytes, for the volume and the writable layer (ADR 0006); unset = no limit. */
  diskLimitBytes?: number;
  /** Absolute host folder for the workspaces' filesystem images (with diskLimitBytes). */
  disksDir?: string;
  /** false: never a filesystem per volume, only the watch (as on hosts that cannot loop-mount). */
  diskFilesystem?: boolean;
}

/** The limits every workspace container is made with (their hash labels the container). */
export function containerLimitsOf(options: DockerDriverOptions): ContainerLimits {
  const { image, memoryBytes, cpus, pidsLimit, publishHost, caBundlePath, scope, previewDomain, agentAccess } = options;
  // A missing bundle is not an error: most machines need none.
  const bundle = caBundlePath && existsSync(caBundlePath) ? caBundlePath : undefined;
  return {
    image,
    memoryBytes,
    cpus,
    pidsLimit,
    publishHost,
    ...(bundle ? { caBundlePath: bundle } : {}),
    ...(scope ? { scope } : {}),
    ...(previewDomain ? { previewDomain } : {}),
    ...(agentAccess === 'network' ? { agentAccess } : {}),
  };
}
