// Creating a workspace container (and seeding a brand-new volume) — the one step of bringing a
// workspace up that two processes can race on: the fixed name makes the loser get a 409.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { Container } from 'dockerode';
import type { Logger } from '../../core/logger';
import { buildContainerSpec, WORKSPACE_DIR, type ContainerLimits } from './container-spec';
import { engineError, statusOf } from './docker-errors';
import { seedWorkspace } from './seed-volume';
import { removeContainer, removeVolume } from './workspace-resources';

export interface CreateContainerInput {
  projectId: string;
  container: Container;
  networkId: string;
  limits: ContainerLimits;
  /** Seed the volume from this folder (only when this call made both volume and container). */
  seedFrom?: string;
  /** Or from this tar (preferred when both are given). */
  seedArchive?: () => Promise<NodeJS.ReadableStream>;
  createdVolume: boolean;
}

/** true when this call created the container; false when another process won the race (409). */
export async function createWorkspaceContainer(
  docker: Dockerode,
  input: CreateContainerInput,
  log: Logger,
): Promise<boolean> {
  const { projectId, container, networkId, limits, seedFrom, seedArchive, createdVolume } = input;
  const secret = randomBytes(32).toString('hex');
  try {
    await docker.createContainer(buildContainerSpec(projectId, secret, networkId, limits));
    log.info({ projectId }, 'workspace container created');
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw engineError(error);
  }
  if (createdVolume && (seedArchive || seedFrom)) {
    try {
      if (seedArchive) {
        await container.putArchive(await seedArchive(), { path: WORKSPACE_DIR });
        log.info({ projectId }, 'workspace volume seeded from an archive');
      } else {
        const count = await seedWorkspace(container, seedFrom!);
        log.info({ projectId, entries: count }, 'workspace volume seeded');
      }
    } catch (error) {
      // Leave nothing half-seeded behind: the next attempt starts from scratch.
      await removeContainer(container).catch(() => undefined);
      await removeVolume(docker, projectId).catch(() => undefined);
      throw engineError(error);
    }
  }
  return true;
}
