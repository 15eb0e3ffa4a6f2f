// A workspace's volume and its own bridge network: created with labels, removed with it.
// One network per workspace so containers of different projects cannot reach each other.
import type Dockerode from 'dockerode';
import type { Container, ContainerInspectInfo } from 'dockerode';
import { engineError, onEngine, orMissing, statusOf } from './docker-errors';
import { networkName, projectFilter, volumeName } from './names';

/** Creates the volume if missing; true when this call made it (so it still needs seeding). */
export async function ensureVolume(docker: Dockerode, projectId: string, labels: Record<string, string>): Promise<boolean> {
  const name = volumeName(projectId);
  if (await orMissing(() => docker.getVolume(name).inspect())) return false;
  // Volume create is idempotent for a name: a racing process simply gets the same volume.
  await onEngine(() => docker.createVolume({ Name: name, Labels: labels }));
  return true;
}

/**
 * The id of the project's network, made if missing. Network names are not unique and
 * CheckDuplicate is best-effort, so two racing processes can make two: every caller then
 * picks the same one (the oldest) and pruneNetworks drops the rest once the container exists.
 */
export async function ensureNetwork(docker: Dockerode, projectId: string, labels: Record<string, string>): Promise<string> {
  const existing = await projectNetworks(docker, projectId);
  if (existing.length > 0) return oldest(existing);
  try {
    await docker.createNetwork({ Name: networkName(projectId), Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  } catch (error) {
    // 409: another process made it first.
    if (statusOf(error) !== 409) throw engineError(error);
  }
  const made = await projectNetworks(docker, projectId);
  if (made.length === 0) throw new Error(`Network ${networkName(projectId)} vanished right after it was created`);
  return oldest(made);
}

/** Removes the project's networks its container does not use (losers of a creation race). */
export async function pruneNetworks(docker: Dockerode, projectId: string, keepIds: string[]): Promise<void> {
  const extra = (await projectNetworks(docker, projectId)).filter((network) => !keepIds.includes(network.Id));
  // In use (403/409) means someone still needs it; leave it for remove().
  await Promise.all(extra.map((network) => docker.getNetwork(network.Id).remove().catch(() => undefined)));
}

async function projectNetworks(docker: Dockerode, projectId: string): Promise<Dockerode.NetworkInspectInfo[]> {
  const name = networkName(projectId);
  const found = await onEngine(() => docker.listNetworks({ filters: { name: [name], label: [projectFilter(projectId)] } }));
  // The engine's name filter matches substrings.
  return found.filter((network) => network.Name === name);
}

const oldest = (networks: Dockerode.NetworkInspectInfo[]): string =>
  [...networks].sort((a, b) => Date.parse(a.Created) - Date.parse(b.Created) || a.Id.localeCompare(b.Id))[0]!.Id;

const GONE_TIMEOUT_MS = 10_000;
const RETRY_MS = 50;
const pause = () => new Promise((resolve) => setTimeout(resolve, RETRY_MS));

/** Force-removes the container; waits out a removal another process already started (409). */
export async function removeContainer(container: Container): Promise<void> {
  try {
    await container.remove({ force: true, v: false });
    return;
  } catch (error) {
    if (statusOf(error) === 404) return;
    if (statusOf(error) !== 409) throw engineError(error);
  }
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  while (await orMissing(() => container.inspect())) {
    if (Date.now() > deadline) throw new Error(`Container ${container.id} is still being removed after ${GONE_TIMEOUT_MS} ms`);
    await pause();
  }
}

/** Removes the volume; 409 (still in use by a container being removed) is retried briefly. */
export async function removeVolume(docker: Dockerode, projectId: string): Promise<void> {
  const volume = docker.getVolume(volumeName(projectId));
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  for (;;) {
    try {
      await volume.remove();
      return;
    } catch (error) {
      if (statusOf(error) === 404) return;
      if (statusOf(error) !== 409 || Date.now() > deadline) throw engineError(error);
    }
    await pause();
  }
}

/** By label, not name: network names are not unique, so a lost race can leave two. */
export async function removeNetworks(docker: Dockerode, projectId: string): Promise<void> {
  const networks = await onEngine(() => docker.listNetworks({ filters: { label: [projectFilter(projectId)] } }));
  await Promise.all(networks.map((network) => orMissing(() => docker.getNetwork(network.Id).remove())));
}

/**
 * Starts the container. The engine resolves its network by name at start, so a duplicate
 * network made by a process that lost the creation race fails it as "ambiguous": prune the
 * unused one and try again (the race is over once the container exists).
 */
export async function startContainer(docker: Dockerode, projectId: string, container: Container, info: ContainerInspectInfo): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await container.start();
      return;
    } catch (error) {
      if (statusOf(error) === 304) return;
      const ambiguous = statusOf(error) === 400 && /ambiguous/i.test((error as Error).message);
      if (!ambiguous || attempt >= 5) throw engineError(error);
      await pruneUnusedNetworks(docker, projectId, info);
    }
  }
}

export async function pruneUnusedNetworks(docker: Dockerode, projectId: string, info: ContainerInspectInfo): Promise<void> {
  // Before the first start NetworkSettings is empty: NetworkMode holds the id chosen at create.
  const networks = Object.values(info.NetworkSettings.Networks ?? {}).map((network) => network.NetworkID);
  await pruneNetworks(docker, projectId, [info.HostConfig.NetworkMode ?? '', ...networks].filter(Boolean));
}
