// Part of the composition root (berth-server.ts): the runtime driver Berth's settings ask for —
// the Docker driver, with the workspace image last built, how agents are reached, and the disk limit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import type { Logger } from './core/logger';
import {
  detectSelfContainer,
  DockerDeploymentDriver,
  DockerDriver,
  type DeploymentDriver,
  type RuntimeDriver,
} from './runtime';

/** The content-hash tag scripts/workspace-image.mjs last built, so a rebuilt image is picked up. */
function builtWorkspaceImage(appDir: string): string {
  try {
    return readFileSync(path.join(appDir, '.data', 'workspace-image'), 'utf8').trim() || 'berth-workspace:latest';
  } catch {
    return 'berth-workspace:latest';
  }
}

/** Inside a container of the engine it drives, loopback-published ports are out of Berth's reach: agents go over networks. */
async function agentAccess(
  config: Config,
  log: Logger,
): Promise<{ agentAccess: 'published' | 'network'; selfContainer?: string }> {
  const self = config.BERTH_CONTAINER ?? (await detectSelfContainer(config.DOCKER_HOST));
  const mode =
    config.WORKSPACE_AGENT_ACCESS === 'auto' ? (self ? 'network' : 'published') : config.WORKSPACE_AGENT_ACCESS;
  if (mode === 'network') log.info({ selfContainer: self ?? null }, 'reaching workspace agents over control networks');
  return mode === 'network' && self ? { agentAccess: mode, selfContainer: self } : { agentAccess: mode };
}

export async function createRuntime(config: Config, log: Logger): Promise<RuntimeDriver> {
  const driver = new DockerDriver(
    {
      dockerHost: config.DOCKER_HOST,
      image: config.WORKSPACE_IMAGE ?? builtWorkspaceImage(config.appDir),
      memoryBytes: config.WORKSPACE_MEMORY_MB * 1024 * 1024,
      cpus: config.WORKSPACE_CPUS,
      pidsLimit: config.WORKSPACE_PIDS_LIMIT,
      caBundlePath: config.WORKSPACE_CA_BUNDLE || undefined,
      publishHost: '127.0.0.1',
      scope: config.WORKSPACE_SCOPE,
      // Without the port: dev servers' host checks (Next.js allowedDevOrigins) match names.
      previewDomain: config.PREVIEW_DOMAIN.replace(/:\d+$/, ''),
      ...(await agentAccess(config, log)),
      controlSubnets: config.WORKSPACE_CONTROL_SUBNETS,
      // WORKSPACE_DISK_GB (docs/adr-0006-workspace-disk-limit.md): filesystem images under DATA_DIR/disks.
      ...(config.WORKSPACE_DISK_GB > 0
        ? {
            diskLimitBytes: Math.round(config.WORKSPACE_DISK_GB * 1024 ** 3),
            disksDir: path.join(config.DATA_DIR, 'disks'),
          }
        : {}),
    },
    log.child({ module: 'runtime' }),
  );
  // Probes and logs which mechanism holds WORKSPACE_DISK_GB on this host.
  if (!(await driver.diskMechanisms())) log.info('workspace disk: no limit (WORKSPACE_DISK_GB=0)');
  return driver;
}

/**
 * The deployment driver (issue 14): builds from the same workspace image with the same CA set-up
 * and limits as workspaces, and is reached the way agents are (loopback port or network).
 */
export async function createDeploymentDriver(config: Config, log: Logger): Promise<DeploymentDriver> {
  const access = await agentAccess(config, log);
  return new DockerDeploymentDriver(
    {
      dockerHost: config.DOCKER_HOST,
      image: config.WORKSPACE_IMAGE ?? builtWorkspaceImage(config.appDir),
      memoryBytes: config.WORKSPACE_MEMORY_MB * 1024 * 1024,
      cpus: config.WORKSPACE_CPUS,
      pidsLimit: config.WORKSPACE_PIDS_LIMIT,
      caBundlePath: config.WORKSPACE_CA_BUNDLE || undefined,
      scope: config.WORKSPACE_SCOPE,
      publishHost: '127.0.0.1',
      access: access.agentAccess,
      ...(access.selfContainer ? { selfContainer: access.selfContainer } : {}),
      // Network access: each deployment's control network comes from the workspaces' pool.
      controlSubnets: config.WORKSPACE_CONTROL_SUBNETS,
    },
    log.child({ module: 'deploy' }),
  );
}
