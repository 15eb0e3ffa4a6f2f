// A workspace's volume (created with labels, removed with it) and the scope's one shared
// bridge network: shared because Docker's default address pools allow only ~30 networks per
// engine, with inter-container communication (ICC) disabled so workspaces cannot reach each
// other. The shared network outlives every workspace; only legacy per-project ones go with it.
import type Dockerode from 'dockerode';
import type { Container, ContainerInspectInfo } from 'dockerode';
import { engineError, onEngine, orMissing, statusOf } from './docker-errors';
import {
  NETWORK_LABEL,
  projectFilter,
  SHARED_NETWORK_FILTER,
  sharedNetworkLabels,
  sharedNetworkName,
  volumeName,
} from './names';

/**
 * Creates the volume if missing; true when this call made it (so it still needs seeding).
 * driverOptions: asked for only when the volume is made (e.g. to bind its own size-limited filesystem).
 */
export async function ensureVolume(
  docker: Dockerode,
  projectId: string,
  labels: Record<string, string>,
  driverOptions?: () => Promise<Record<string, string> | undefined>,
): Promise<boolean> {
  const name = volumeName(projectId);
  if (await orMissing(() => docker.getVolume(name).inspect())) return false;
  const options = await driverOptions?.();
  // Volume create is idempotent for a name: a racing process simply gets the same volume.
  await onEngine(() =>
    docker.createVolume({ Name: name, Labels: labels, ...(options ? { Driver: 'local', DriverOpts: options } : {}) }),
  );
  return true;
}

/** Docker's option for a bridge without inter-container traffic (an iptables DROP rule). */
export const ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/**
 * The id of the scope's shared workspace network, made if missing. Network names are not
 * unique and CheckDuplicate is best-effort, so two racing processes can make two: every
 * caller then picks the same one (the oldest) and pruneNetworks drops the unused rest.
 */
export async function ensureSharedNetwork(docker: Dockerode, scope: string | undefined): Promise<string> {
  const existing = await sharedNetworks(docker, scope);
  if (existing.length > 0) return oldest(existing);
  const name = sharedNetworkName(scope);
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      // The workspaces share the bridge but must not reach each other.
      Options: { [ICC_OPTION]: 'false' },
      Labels: sharedNetworkLabels(scope),
    });
  } catch (error) {
    // 409: another process made it first.
    if (statusOf(error) !== 409) throw engineError(error);
  }
  const made = await sharedNetworks(docker, scope);
  if (made.length === 0) throw new Error(`Network ${name} vanished right after it was created`);
  return oldest(made);
}

/** Removes the scope's shared networks not in keepIds (losers of a creation race) unless in use. */
export async function pruneNetworks(docker: Dockerode, scope: string | undefined, keepIds: string[]): Promise<void> {
  const extra = (await sharedNetworks(docker, scope)).filter((network) => !keepIds.includes(network.Id));
  // In use (403/409) means some workspace still needs it; leave it.
  await Promise.all(
    extra.map((network) =>
      docker
        .getNetwork(network.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
}

/**
 * Removes the scope's shared network if no container uses it any more (tests and teardown;
 * the driver itself never does: workspaces come and go, the network stays). True if gone.
 */
export async function removeSharedNetworkIfUnused(docker: Dockerode, scope: string | undefined): Promise<boolean> {
  const networks = await sharedNetworks(docker, scope);
  const results = await Promise.all(
    networks.map((network) =>
      orMissing(() => docker.getNetwork(network.Id).remove()).then(
        () => true,
        () => false,
      ),
    ),
  );
  return results.every(Boolean);
}

async function sharedNetworks(docker: Dockerode, scope: string | undefined): Promise<Dockerode.NetworkInspectInfo[]> {
  const name = sharedNetworkName(scope);
  const found = await onEngine(() =>
    docker.listNetworks({ filters: { name: [name], label: [SHARED_NETWORK_FILTER] } }),
  );
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
    if (Date.now() > deadline)
      throw new Error(`Container ${container.id} is still being removed after ${GONE_TIMEOUT_MS} ms`);
    await pause();
  }
}

/**
 * Inspects a container another process is creating: its name is reserved (our create got 409)
 * before the engine can inspect it, so 404 is retried briefly.
 */
export async function inspectCreated(container: Container): Promise<ContainerInspectInfo> {
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  for (;;) {
    const info = await orMissing(() => container.inspect());
    if (info) return info;
    if (Date.now() > deadline)
      throw new Error(`Container ${container.id} was not created within ${GONE_TIMEOUT_MS} ms`);
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

/**
 * Removes the project's own networks, which workspaces had before the shared network (label
 * berth.project=<id>; by label, not name, as a lost race could leave two). Never the shared one.
 */
export async function removeLegacyNetworks(docker: Dockerode, projectId: string): Promise<void> {
  const networks = await onEngine(() => docker.listNetworks({ filters: { label: [projectFilter(projectId)] } }));
  // The project's control network (Berth in a container) is not legacy: it stays.
  const legacy = networks.filter((network) => network.Labels?.[NETWORK_LABEL] !== 'control');
  await Promise.all(legacy.map((network) => orMissing(() => docker.getNetwork(network.Id).remove())));
}

/**
 * Starts the container. The engine resolves its network by name at start, so a duplicate
 * network made by a process that lost the creation race fails it as "ambiguous": prune the
 * unused one and try again (the race is over once the container exists).
 */
export async function startContainer(
  docker: Dockerode,
  scope: string | undefined,
  container: Container,
  info: ContainerInspectInfo,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await container.start();
      return;
    } catch (error) {
      if (statusOf(error) === 304) return;
      const ambiguous = statusOf(error) === 400 && /ambiguous/i.test((error as Error).message);
      if (!ambiguous || attempt >= 5) throw engineError(error);
      await pruneUnusedNetworks(docker, scope, info);
    }
  }
}

export async function pruneUnusedNetworks(
  docker: Dockerode,
  scope: string | undefined,
  info: ContainerInspectInfo,
): Promise<void> {
  // Before the first start NetworkSettings is empty: NetworkMode holds the id chosen at create.
  const networks = Object.values(info.NetworkSettings.Networks ?? {}).map((network) => network.NetworkID);
  await pruneNetworks(docker, scope, [info.HostConfig.NetworkMode ?? '', ...networks].filter(Boolean));
}
