// The Docker side of the workspace benches: the engine client and workspace image Berth
// uses, the bare-Docker baseline (a container made with Berth's own hardened create options on
// one shared bridge network with ICC off, as Berth's), waiting for a deleted project's resources
// to be gone, removing a bench server's shared workspace network, and a last sweep that removes
// whatever this bench process made on the engine. Raw `docker exec` ttys: exec-tty.ts; engine events: engine-events.ts.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { ensureWorkspaceImage } from '../../scripts/workspace-image.mjs';
import { checkAgentHealth } from '../../server/runtime/docker/agent-health';
import { agentEndpointOf, buildContainerSpec, type ContainerLimits } from '../../server/runtime/docker/container-spec';
import { createDockerClient } from '../../server/runtime/docker/docker-client';
import { containerName, projectFilter, SCOPE_LABEL, volumeName } from '../../server/runtime/docker/names';
import { ICC_OPTION } from '../../server/runtime/docker/workspace-resources';
import type { AgentEndpoint } from '../../server/runtime';
import type { Defer } from './cleanup';
import { sleep } from './process';

/** What the server passes to its driver by default (server/config.ts, berth-server.ts). */
export const DEFAULT_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
export const WORKSPACE_LIMITS = {
  memoryBytes: 2048 * 1024 * 1024,
  cpus: 1,
  pidsLimit: 512,
  publishHost: '127.0.0.1',
} as const;
/** Labels on everything the baseline makes (never berth.managed: no Berth server may adopt or reap it). */
const BASELINE_LABELS = { 'berth-bench.baseline': 'true', 'berth-bench.pid': String(process.pid) };
/** Projects this process created through Berth: swept at the very end if anything of them is left. */
export const benchProjectIds = new Set<string>();
/** WORKSPACE_SCOPEs of the bench servers this process started: their shared networks are swept too. */
export const benchScopes = new Set<string>();

export function benchDocker(): Dockerode {
  return createDockerClient(process.env.DOCKER_HOST);
}

/**
 * Pings the engine (bounded), builds the workspace image if needed and returns its tag.
 * Registers, first of all, a sweep that runs last: it removes every baseline container, volume
 * and network of this process, whatever is left of the projects it made through Berth and the
 * shared workspace networks of its bench servers' scopes.
 */
export async function prepareDocker(defer: Defer): Promise<{ docker: Dockerode; image: string }> {
  const docker = benchDocker();
  defer("sweep this bench's containers, volumes and networks", () => sweep(docker));
  try {
    await Promise.race([docker.ping(), sleep(5_000).then(() => Promise.reject(new Error('no answer within 5 s')))]);
  } catch (error) {
    throw new Error(
      `This bench needs a Docker engine (run "node scripts/docker-engine.mjs"): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const image = await ensureWorkspaceImage({ quiet: true });
  return { docker, image };
}

export const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
};

/** Runs `fn`; a 404 (already gone) or 409 (removal in progress) counts as done. */
async function ignoreGone(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
  }
}

async function exists(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/** True while the project's container or volume (or a legacy own network of it) exists. */
export async function projectResourcesExist(docker: Dockerode, projectId: string): Promise<boolean> {
  if (await exists(() => docker.getContainer(containerName(projectId)).inspect())) return true;
  if (await exists(() => docker.getVolume(volumeName(projectId)).inspect())) return true;
  const networks = await docker.listNetworks({ filters: { label: [projectFilter(projectId)] } });
  return networks.length > 0;
}

async function sweep(docker: Dockerode): Promise<void> {
  const label = [`berth-bench.pid=${process.pid}`];
  for (const projectId of benchProjectIds) await removeProjectResources(docker, projectId);
  const containers = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(containers.map((c) => ignoreGone(() => docker.getContainer(c.Id).remove({ force: true }))));
  const { Volumes: volumes } = await docker.listVolumes({ filters: { label } });
  await Promise.all((volumes ?? []).map((v) => ignoreGone(() => docker.getVolume(v.Name).remove())));
  const networks = await docker.listNetworks({ filters: { label } });
  await Promise.all(networks.map((n) => ignoreGone(() => docker.getNetwork(n.Id).remove())));
  for (const scope of benchScopes) await removeScopeNetworks(docker, scope);
}

/**
 * Removes the networks of a bench server's scope (its shared `berth-ws-net-<scope>`): the
 * driver keeps that network for the next workspace, so after the bench's projects are deleted
 * it is left empty. Call it only for a scope this process made (`bench-<random>`); retries
 * for a moment while the engine still detaches a just-removed container.
 */
export async function removeScopeNetworks(docker: Dockerode, scope: string): Promise<void> {
  const networks = await docker.listNetworks({ filters: { label: [`${SCOPE_LABEL}=${scope}`] } });
  await Promise.all(
    networks.map(async (network) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await ignoreGone(() => docker.getNetwork(network.Id).remove());
          return;
        } catch (error) {
          if (attempt === 49) throw new Error(`network ${network.Name}: ${(error as Error).message}`, { cause: error });
          await sleep(100); // still has an endpoint of a container being removed
        }
      }
    }),
  );
  benchScopes.delete(scope);
}

/** Force-removes a project's container, volume and networks (the bench's own projects only). */
export async function removeProjectResources(docker: Dockerode, projectId: string): Promise<void> {
  await ignoreGone(() => docker.getContainer(containerName(projectId)).remove({ force: true }));
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await ignoreGone(() => docker.getVolume(volumeName(projectId)).remove());
      break;
    } catch (error) {
      if (attempt === 49) throw error;
      await sleep(100); // still in use by the container being removed
    }
  }
  const networks = await docker.listNetworks({ filters: { label: [projectFilter(projectId)] } });
  await Promise.all(networks.map((network) => ignoreGone(() => docker.getNetwork(network.Id).remove())));
}

/** Waits (bounded) until Berth has removed what DELETE asked for; removes leftovers itself then. */
export async function waitProjectGone(docker: Dockerode, projectId: string, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (!(await projectResourcesExist(docker, projectId))) return performance.now() - started;
    await sleep(50);
  }
  console.error(
    `[bench] ${containerName(projectId)} or its volume/network still exists ${timeoutMs} ms after DELETE; removing them`,
  );
  await removeProjectResources(docker, projectId);
  return performance.now() - started;
}

// ── The bare-Docker baseline ────────────────────────────────────────────────────────────

export interface BaselineWorkspace {
  name: string;
  container: Dockerode.Container;
  agent: AgentEndpoint;
  /** Milliseconds of each step, in order. */
  phases: { volume: number; create: number; start: number; healthy: number };
  remove(): Promise<void>;
}

/** The same limits the server's driver gets by default (berth-server.ts createRuntime). */
export function serverLimits(image: string): ContainerLimits {
  return { image, ...WORKSPACE_LIMITS, ...(existsSync(DEFAULT_CA_BUNDLE) ? { caBundlePath: DEFAULT_CA_BUNDLE } : {}) };
}

/**
 * The baseline's counterpart of Berth's per-scope network: ONE bridge network for the whole
 * bench run with inter-container communication off (the driver's ensureSharedNetwork), made
 * once, before the measured runs, as Berth makes its own on the first start (the warm-up).
 * Labelled like everything of the baseline, so the sweep removes it at the end.
 */
export async function createBaselineNetwork(docker: Dockerode, defer: Defer): Promise<{ id: string; name: string }> {
  const name = `berth-bench-base-net-${process.pid}-${randomBytes(3).toString('hex')}`;
  const network = await docker.createNetwork({
    Name: name,
    Driver: 'bridge',
    CheckDuplicate: true,
    Options: { [ICC_OPTION]: 'false' },
    Labels: BASELINE_LABELS,
  });
  defer(`remove baseline network ${name}`, () => ignoreGone(() => docker.getNetwork(network.id).remove()));
  return { id: network.id, name };
}

/**
 * A fresh named volume, then createContainer + start on the bench run's shared baseline network
 * (createBaselineNetwork) with exactly the create options Berth's driver uses
 * (buildContainerSpec: non-root, no capabilities, no-new-privileges, pids/memory/CPU limits,
 * agent port on loopback), then GET /health polled every 20 ms as the driver does. Only the
 * name and labels differ. No Berth code path runs: no database, no agent WebSocket, no
 * template seeding.
 */
export async function startBaselineWorkspace(
  docker: Dockerode,
  image: string,
  networkId: string,
  defer: Defer,
  timeoutMs = 30_000,
): Promise<BaselineWorkspace> {
  const id = `benchbase${randomBytes(6).toString('hex')}`;
  const labels = BASELINE_LABELS;
  const container = docker.getContainer(containerName(id));
  let removed = false;
  const remove = async () => {
    removed = true;
    await ignoreGone(() => container.remove({ force: true }));
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await ignoreGone(() => docker.getVolume(volumeName(id)).remove());
        break;
      } catch (error) {
        if (attempt === 49) throw error;
        await sleep(100);
      }
    }
  };
  defer(`remove baseline ${containerName(id)}`, remove);

  let mark = performance.now();
  // Removed meanwhile (Ctrl-C while a step was under way)? Then stop here; the sweep removes the rest.
  const lap = () => {
    if (removed) throw new Error(`baseline ${containerName(id)} was removed while it started`);
    const now = performance.now();
    const took = now - mark;
    mark = now;
    return took;
  };
  await docker.createVolume({ Name: volumeName(id), Labels: labels });
  const volume = lap();
  const spec = buildContainerSpec(id, randomBytes(32).toString('hex'), networkId, serverLimits(image));
  await docker.createContainer({ ...spec, Labels: labels });
  const create = lap();
  await container.start();
  const info = await container.inspect();
  const start = lap();
  const agent = agentEndpointOf(info);
  if (!agent) throw new Error(`baseline container ${containerName(id)} did not start (state ${info.State.Status})`);
  const deadline = performance.now() + timeoutMs;
  while (!(await checkAgentHealth(agent))) {
    if (performance.now() > deadline)
      throw new Error(`baseline agent at ${agent.url} not healthy within ${timeoutMs} ms`);
    await sleep(20);
  }
  const healthy = lap();
  return { name: containerName(id), container, agent, phases: { volume, create, start, healthy }, remove };
}
