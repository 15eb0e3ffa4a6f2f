// DockerDriver against the real engine: the shared runtime contract, races between two
// driver instances (two Berth processes), and an unreachable engine.
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../core/logger';
import { describeRuntimeContract } from '../runtime-contract';
import { run, waitUntil } from '../runtime-test-helpers';
import { EngineUnavailableError } from '../runtime-driver';
import { DockerDriver } from './docker-driver';
import { makeTestDriver } from './docker-test-support';
import { containerName, legacyNetworkName, sharedNetworkName } from './names';

describeRuntimeContract('DockerDriver', () => makeTestDriver());

describe('DockerDriver across processes', () => {
  let one: Awaited<ReturnType<typeof makeTestDriver>>;
  let two: Awaited<ReturnType<typeof makeTestDriver>>;
  const projectIds = [1, 2, 3].map(() => `test-${randomBytes(5).toString('hex')}`);

  beforeAll(async () => {
    [one, two] = await Promise.all([makeTestDriver(), makeTestDriver()]);
  });
  afterAll(async () => {
    await Promise.all(projectIds.map((projectId) => one?.driver.remove(projectId)));
    await Promise.all([one?.cleanup(), two?.cleanup()]);
  });

  it('two drivers racing for one project end with one workspace on one shared network', async () => {
    await Promise.all(
      projectIds.map(async (projectId) => {
        const [a, b] = await Promise.all([
          one.driver.ensureRunning({ projectId }),
          two.driver.ensureRunning({ projectId }),
        ]);
        expect(a.agent).toEqual(b.agent);
        const filters = { label: [`berth.project=${projectId}`] };
        expect(await one.docker.listContainers({ all: true, filters })).toHaveLength(1);
        // No network of its own; the scope's shared one, by exact name, exists once (names are
        // not unique: a lost creation race may make two, the loser's is pruned).
        expect(await one.docker.listNetworks({ filters })).toEqual([]);
        const shared = await one.docker.listNetworks({ filters: { name: [sharedNetworkName(undefined)] } });
        expect(shared.filter((network) => network.Name === sharedNetworkName(undefined))).toHaveLength(1);
        // The second process adopts what the first made: same secret, read back from the engine.
        expect((await two.driver.inspect(projectId)).agent).toEqual(a.agent);
      }),
    );
  });
});

describe('DockerDriver scopes', () => {
  let plain: Awaited<ReturnType<typeof makeTestDriver>>;
  let scoped: Awaited<ReturnType<typeof makeTestDriver>>;
  const mine = `test-${randomBytes(5).toString('hex')}`;
  const theirs = `test-${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    [plain, scoped] = await Promise.all([
      makeTestDriver(),
      makeTestDriver({ scope: `test-${randomBytes(4).toString('hex')}` }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([scoped?.driver.remove(mine), plain?.driver.remove(theirs)]);
    await Promise.all([plain?.cleanup(), scoped?.cleanup()]);
  });

  it('a scoped driver lists and hears only its own workspaces', async () => {
    const heard: string[] = [];
    const off = scoped.driver.onEvent((event) => heard.push(`${event.type}:${event.projectId}`));
    try {
      await Promise.all([
        scoped.driver.ensureRunning({ projectId: mine }),
        plain.driver.ensureRunning({ projectId: theirs }),
      ]);
      const scopedIds = (await scoped.driver.list()).map((workspace) => workspace.projectId);
      expect(scopedIds).toEqual([mine]);
      const allIds = (await plain.driver.list()).map((workspace) => workspace.projectId);
      expect(allIds).toEqual(expect.arrayContaining([mine, theirs]));
      await waitUntil(() => heard.includes(`started:${mine}`), 10_000);
      expect(heard).not.toContain(`started:${theirs}`);
    } finally {
      off();
    }
  });
});

describe('DockerDriver shared network', () => {
  const scope = `test-${randomBytes(4).toString('hex')}`;
  const projectId = `test-${randomBytes(5).toString('hex')}`;
  let t: Awaited<ReturnType<typeof makeTestDriver>>;

  beforeAll(async () => {
    t = await makeTestDriver({ scope });
  });
  afterAll(async () => {
    await t?.driver.remove(projectId);
    await t?.cleanup();
  });

  it("is the scope's, outlives remove(), which takes only a legacy per-project network", async () => {
    await t.driver.ensureRunning({ projectId });
    const info = await t.docker.getContainer(containerName(projectId)).inspect();
    const name = sharedNetworkName(scope);
    expect(name).toBe(`berth-ws-net-${scope}`);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([name]);
    const network = await t.docker.getNetwork(name).inspect();
    expect(network.Labels).toEqual({ 'berth.managed': 'true', 'berth.scope': scope, 'berth.network': 'shared' });
    expect(network.Options).toMatchObject({ 'com.docker.network.bridge.enable_icc': 'false' });
    // Still in use: teardown leaves it.
    expect(await t.driver.removeSharedNetwork()).toBe(false);
    // A workspace made before the shared network had its own: remove() takes that, not the shared one.
    const legacy = await t.docker.createNetwork({
      Name: legacyNetworkName(projectId),
      Labels: { 'berth.managed': 'true', 'berth.project': projectId, 'berth.scope': scope },
    });
    await t.driver.remove(projectId);
    expect(await t.docker.listNetworks({ filters: { id: [legacy.id] } })).toEqual([]);
    expect((await t.docker.getNetwork(name).inspect()).Id).toBe(network.Id);
    expect(await t.driver.removeSharedNetwork()).toBe(true);
    expect(await t.docker.listNetworks({ filters: { name: [name] } })).toEqual([]);
  });
});

describe('DockerDriver after a settings change', () => {
  const projectId = `test-${randomBytes(5).toString('hex')}`;
  let before: Awaited<ReturnType<typeof makeTestDriver>>;
  let after: Awaited<ReturnType<typeof makeTestDriver>>;

  beforeAll(async () => {
    [before, after] = await Promise.all([makeTestDriver(), makeTestDriver({ pidsLimit: 256 })]);
  });
  afterAll(async () => {
    await before?.driver.remove(projectId);
    await Promise.all([before?.cleanup(), after?.cleanup()]);
  });

  it('remakes a stopped container with the new settings on the same volume', async () => {
    await before.driver.ensureRunning({ projectId });
    await run(before.driver, projectId, ['sh', '-c', 'echo kept > note.txt']);
    // A running workspace keeps its settings: no surprise restarts.
    await after.driver.ensureRunning({ projectId });
    const name = containerName(projectId);
    expect((await after.docker.getContainer(name).inspect()).HostConfig.PidsLimit).toBe(512);
    await after.driver.stop(projectId);
    const restarted = await after.driver.ensureRunning({ projectId });
    expect(restarted.createdVolume).toBe(false);
    expect((await after.docker.getContainer(name).inspect()).HostConfig.PidsLimit).toBe(256);
    expect((await run(after.driver, projectId, ['cat', 'note.txt'])).output).toBe('kept\n');
  });
});

describe('DockerDriver with no engine', () => {
  const noEngine = new Dockerode({ socketPath: '/tmp/berth-no-such-engine.sock', version: 'v1.41' });
  const driver = new DockerDriver(
    {
      docker: noEngine,
      image: 'berth-workspace:latest',
      memoryBytes: 1024 ** 3,
      cpus: 1,
      pidsLimit: 128,
      publishHost: '127.0.0.1',
    },
    createLogger('silent'),
  );
  afterAll(() => driver.dispose());

  it('says the engine is unavailable, from every method', async () => {
    await expect(driver.ping()).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.ensureRunning({ projectId: 'test-none' })).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.inspect('test-none')).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.list()).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.stop('test-none')).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.remove('test-none')).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.exec('test-none', ['true'], { tty: false })).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(driver.stats('test-none')).rejects.toBeInstanceOf(EngineUnavailableError);
  });

  it('keeps retrying its event stream with a growing delay, and stops when the last listener goes', async () => {
    // Only the retry delays are fake; every attempt is a real connection to a missing socket.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const attempts = vi.spyOn(noEngine, 'getEvents');
    try {
      /** Lets the latest attempt fail for real and its catch schedule (or not) the next one. */
      const latestAttemptFailed = async () => {
        await expect(attempts.mock.results.at(-1)?.value).rejects.toThrow(/ENOENT|connect/);
        await new Promise((resolve) => setImmediate(resolve));
      };
      const off = driver.onEvent(() => undefined);
      expect(attempts).toHaveBeenCalledTimes(1);
      for (const [attempt, delayMs] of [
        [2, 250],
        [3, 500],
        [4, 1000],
      ] as const) {
        await latestAttemptFailed();
        await vi.advanceTimersByTimeAsync(delayMs - 1);
        expect(attempts).toHaveBeenCalledTimes(attempt - 1);
        await vi.advanceTimersByTimeAsync(1);
        expect(attempts).toHaveBeenCalledTimes(attempt);
      }
      await latestAttemptFailed();
      expect(vi.getTimerCount()).toBe(1); // the fifth attempt is due
      off();
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(attempts).toHaveBeenCalledTimes(4);
    } finally {
      attempts.mockRestore();
      vi.useRealTimers();
    }
  });
});
