// Test-only: the real engine, the workspace image and a DockerDriver configured like
// production (2 GiB, 1 CPU, 512 pids, this machine's CA bundle). Fails, never skips, when
// Docker is missing: integration tests run on the real engine (DESIGN.md, house rule 5).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { ensureWorkspaceImage } from '../../../scripts/workspace-image.mjs';
import { createLogger } from '../../core/logger';
import { DockerDriver } from './docker-driver';
import type { DockerDriverOptions } from './docker-driver-options';
import { createDockerClient } from './docker-client';
import { WORKSPACE_DIR } from './container-spec';
import { containerName } from './names';

export const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const root = path.resolve(import.meta.dirname, '..', '..', '..');

export function testDocker(): Dockerode {
  return createDockerClient(process.env.DOCKER_HOST);
}

/** The tag in .data/workspace-image when that image exists, else a fresh build. */
export async function workspaceImage(docker: Dockerode): Promise<string> {
  const file = path.join(root, '.data', 'workspace-image');
  const tag = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (tag) {
    try {
      await docker.getImage(tag).inspect();
      return tag;
    } catch {
      // fall through to a build
    }
  }
  return ensureWorkspaceImage({ quiet: true });
}

export async function makeTestDriver(overrides: Partial<DockerDriverOptions> = {}) {
  const docker = testDocker();
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(
      `These integration tests need a Docker engine (run "node scripts/docker-engine.mjs"): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const image = await workspaceImage(docker);
  const driver = new DockerDriver(
    {
      docker,
      image,
      memoryBytes: 2 * 1024 ** 3,
      cpus: 1,
      pidsLimit: 512,
      publishHost: '127.0.0.1',
      caBundlePath: HOST_CA_BUNDLE,
      ...overrides,
    },
    createLogger('silent'),
  );
  return {
    docker,
    driver,
    killFromOutside: async (projectId: string) => {
      await docker.getContainer(containerName(projectId)).kill();
    },
    workspaceDir: () => WORKSPACE_DIR,
    workspaceOwner: '1000:1000',
    // A test scope is unique to its driver: its shared network goes too once its workspaces are
    // gone (left if one is still in use). The default scope's is shared with other tests.
    cleanup: async () => {
      await driver.dispose();
      if (overrides.scope) await driver.removeSharedNetwork();
    },
  };
}
