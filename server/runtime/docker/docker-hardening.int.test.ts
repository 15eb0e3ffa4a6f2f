// The hardening of workspace containers, read back from the engine and proven from inside:
// non-root, no capabilities, no-new-privileges, limits, loopback-only port, no Docker socket,
// the CA bundle read-only, the shared network with inter-container communication off, and no
// route from one project's workspace to another's; outbound traffic (npm registry) still works.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentGet, run } from '../runtime-test-helpers';
import type { RuntimeWorkspace } from '../runtime-driver';
import { CA_BUNDLE_TARGET } from './container-spec';
import { HOST_CA_BUNDLE, makeTestDriver } from './docker-test-support';
import { containerName, sharedNetworkName, volumeName } from './names';
import { ICC_OPTION } from './workspace-resources';

const GiB = 1024 ** 3;
// makeTestDriver() sets no scope: its workspaces share the default scope's network.
const net = sharedNetworkName(undefined);

describe('DockerDriver hardening', () => {
  let t: Awaited<ReturnType<typeof makeTestDriver>>;
  const a = `test-${randomBytes(5).toString('hex')}`;
  const b = `test-${randomBytes(5).toString('hex')}`;
  let wsA: RuntimeWorkspace;
  let wsB: RuntimeWorkspace;
  const sh = async (projectId: string, script: string) => run(t.driver, projectId, ['sh', '-c', script]);

  beforeAll(async () => {
    t = await makeTestDriver();
    [wsA, wsB] = await Promise.all([
      t.driver.ensureRunning({ projectId: a }),
      t.driver.ensureRunning({ projectId: b }),
    ]);
  });
  afterAll(async () => {
    if (!t) return;
    await Promise.all([t.driver.remove(a), t.driver.remove(b)]);
    await t.cleanup();
  });

  it('creates the container with the hardened settings', async () => {
    const info = await t.docker.getContainer(containerName(a)).inspect();
    const host = info.HostConfig;
    expect(info.Config.User).toBe('1000:1000');
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.Privileged).toBe(false);
    expect(host.SecurityOpt).toEqual(['no-new-privileges']);
    expect(host.PidsLimit).toBe(512);
    expect(host.Memory).toBe(2 * GiB);
    expect(host.MemorySwap).toBe(2 * GiB);
    expect(host.NanoCpus).toBe(1e9);
    expect(host.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
    expect(net).toBe('berth-ws-net-default');
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([net]);
    expect(host.NetworkMode).toBe(info.NetworkSettings.Networks[net]!.NetworkID);
    expect(info.Config.Labels).toMatchObject({ 'berth.project': a, 'berth.managed': 'true' });
    expect(info.Config.Entrypoint).toEqual(['/usr/bin/tini', '--']);
    // The agent's port, published on loopback only, nothing else published.
    expect(host.PortBindings).toEqual({ '7777/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    const published = Object.values(info.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const binding of published) expect(binding.HostIp).toBe('127.0.0.1');
    // Its own volume at /workspace, the CA bundle read-only, and no Docker socket.
    const mounts = info.Mounts.map((mount) => ({
      type: mount.Type,
      source: mount.Name ?? mount.Source,
      target: mount.Destination,
      rw: mount.RW,
    }));
    expect(mounts).toContainEqual({ type: 'volume', source: volumeName(a), target: '/workspace', rw: true });
    expect(mounts).toContainEqual({ type: 'bind', source: HOST_CA_BUNDLE, target: CA_BUNDLE_TARGET, rw: false });
    expect(mounts).toHaveLength(2);
    expect(JSON.stringify(info.Mounts)).not.toContain('docker.sock');
    // One shared network, no inter-container traffic, and no project's label on it.
    const network = await t.docker.getNetwork(host.NetworkMode!).inspect();
    expect(network.Name).toBe(net);
    expect(network.Driver).toBe('bridge');
    expect(network.Options).toMatchObject({ [ICC_OPTION]: 'false' });
    expect(network.Labels).toMatchObject({ 'berth.managed': 'true', 'berth.network': 'shared' });
    expect(network.Labels).not.toHaveProperty('berth.project');
    expect(Object.keys(network.Containers ?? {})).toEqual(expect.arrayContaining([info.Id]));
    expect(await t.docker.listNetworks({ filters: { label: [`berth.project=${a}`] } })).toEqual([]);
    const volume = await t.docker.getVolume(volumeName(a)).inspect();
    expect(volume.Labels).toMatchObject({ 'berth.project': a, 'berth.managed': 'true' });
  });

  it('runs as uid 1000 with no capabilities and no way to gain privileges', async () => {
    expect(await sh(a, 'id -u; id -g')).toEqual({ output: '1000\n1000\n', code: 0 });
    const status = (await sh(a, 'cat /proc/1/status')).output;
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^CapPrm:\s+0000000000000000$/m);
    expect(status).toMatch(/^CapBnd:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    // Default seccomp profile still on (mode 2 = filter).
    expect(status).toMatch(/^Seccomp:\s+2$/m);
    const mount = await sh(a, 'mount -t tmpfs none /mnt 2>&1');
    expect(mount.code).not.toBe(0);
    const touch = await sh(a, 'touch /etc/x 2>&1');
    expect(touch.code).not.toBe(0);
    expect(touch.output).toMatch(/Permission denied/);
    expect((await sh(a, 'test -e /var/run/docker.sock || test -e /run/docker.sock; echo $?')).output).toBe('1\n');
  });

  it('mounts the CA bundle read-only and points the tools at it', async () => {
    const env = (
      await sh(a, 'echo "$NODE_EXTRA_CA_CERTS|$SSL_CERT_FILE|$GIT_SSL_CAINFO|$npm_config_cafile"')
    ).output.trim();
    expect(env).toBe(Array(4).fill(CA_BUNDLE_TARGET).join('|'));
    expect((await sh(a, `grep -c 'BEGIN CERTIFICATE' ${CA_BUNDLE_TARGET}`)).output.trim()).not.toBe('0');
    expect((await sh(a, `grep ' ${CA_BUNDLE_TARGET} ' /proc/mounts`)).output).toMatch(/\sro[,\s]/);
    expect((await sh(a, `echo x >> ${CA_BUNDLE_TARGET}`)).code).not.toBe(0);
  });

  it('keeps the agent secret out of exec sessions', async () => {
    expect((await sh(a, 'echo "[$BERTH_AGENT_SECRET]"')).output).toBe('[]\n');
  });

  it('stops a fork bomb at the pids limit and stays usable', async () => {
    // Node rather than bash: bash retries a failed fork for seconds, Node reports EAGAIN at once.
    const bomb = [
      "const { spawn } = require('child_process');",
      'const kids = []; let failure = "";',
      "for (let i = 0; i < 2000; i++) { const c = spawn('sleep', ['60'], { stdio: 'ignore' }); c.on('error', (e) => { failure = failure || e.code; }); kids.push(c); }",
      "setImmediate(() => { const alive = kids.filter((k) => k.pid).length; for (const k of kids) if (k.pid) k.kill('SIGKILL'); console.log(alive, failure); });",
    ].join('\n');
    const result = await run(t.driver, a, ['node', '-e', bomb]);
    const [alive, failure] = result.output.trim().split(' ');
    expect(failure).toBe('EAGAIN'); // "Resource temporarily unavailable"
    expect(Number(alive)).toBeLessThan(512);
    expect((await agentGet(wsA.agent!.url, '/health', wsA.agent!.secret)).status).toBe(200);
    expect(await run(t.driver, a, ['echo', 'still here'])).toEqual({ output: 'still here\n', code: 0 });
    expect((await t.driver.stats(a))!.pids).toBeLessThan(50);
  });

  it('shares one network between workspaces that still cannot reach each other', async () => {
    const infoA = await t.docker.getContainer(containerName(a)).inspect();
    const infoB = await t.docker.getContainer(containerName(b)).inspect();
    expect(Object.keys(infoA.NetworkSettings.Networks)).toEqual([net]);
    expect(Object.keys(infoB.NetworkSettings.Networks)).toEqual([net]);
    expect(infoA.NetworkSettings.Networks[net]!.NetworkID).toBe(infoB.NetworkSettings.Networks[net]!.NetworkID);
    const ipB = infoB.NetworkSettings.Networks[net]!.IPAddress;
    const gatewayA = infoA.NetworkSettings.Networks[net]!.Gateway;
    const portB = new URL(wsB.agent!.url).port;
    // Controls: curl works inside A, and B's agent does answer at that address from the host.
    expect((await sh(a, "curl -s -m 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:7777/health")).output).toBe(
      '401',
    );
    expect((await agentGet(`http://${ipB}:7777`, '/health')).status).toBe(401);
    // From A: neither B's address on the shared bridge (ICC off) nor B's port published on the
    // host's loopback (reached via the gateway).
    const direct = await sh(a, `curl -s -m 2 -o /dev/null http://${ipB}:7777/health`);
    expect(direct.code).not.toBe(0);
    const viaHost = await sh(a, `curl -s -m 2 -o /dev/null http://${gatewayA}:${portB}/health`);
    expect(viaHost.code).not.toBe(0);
  });

  it('still reaches the npm registry from a workspace (outbound NAT, CA bundle)', async () => {
    const view = await sh(a, 'npm view is-number version 2>&1');
    expect(view.code).toBe(0);
    expect(view.output.trim()).toMatch(/^\d+\.\d+\.\d+$/m);
  });

  it('leaves out the CA bundle when the configured file does not exist', async () => {
    const other = await makeTestDriver({ caBundlePath: '/nonexistent/ca.crt' });
    const projectId = `test-${randomBytes(5).toString('hex')}`;
    try {
      await other.driver.ensureRunning({ projectId });
      const env = await run(other.driver, projectId, [
        'sh',
        '-c',
        'echo "[$NODE_EXTRA_CA_CERTS]"; test -e ' + CA_BUNDLE_TARGET + '; echo $?',
      ]);
      expect(env.output).toBe('[]\n1\n');
    } finally {
      await other.driver.remove(projectId);
      await other.cleanup();
    }
  });
});
