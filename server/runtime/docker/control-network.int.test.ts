// Agents reached over control networks (how Berth in a container reaches them): nothing is
// published on the host, the agent answers on the workspace's own internal network, a
// workspace cannot reach another's agent, and removal takes the network with it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../runtime-test-helpers';
import { controlNetworkName, subnetsOf } from './control-network';
import { makeTestDriver } from './docker-test-support';
import { containerName } from './names';

let harness: Awaited<ReturnType<typeof makeTestDriver>>;
const scope = `ctl-${randomBytes(4).toString('hex')}`;
const a = `ctl-a-${randomBytes(4).toString('hex')}`;
const b = `ctl-b-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  harness = await makeTestDriver({ scope, agentAccess: 'network', controlSubnets: '10.213.0.0/16' });
}, 120_000);

afterAll(async () => {
  for (const id of [a, b]) await harness?.driver.remove(id).catch(() => undefined);
  await harness?.cleanup();
});

describe('agents over control networks', () => {
  it('answers on the control network, with nothing published on the host', async () => {
    const workspace = await harness.driver.ensureRunning({ projectId: a });
    expect(workspace.agent?.url).toMatch(/^http:\/\/10\.213\.\d+\.\d+:7777$/);
    const health = await fetch(new URL('/health', workspace.agent!.url), {
      headers: { Authorization: `Bearer ${workspace.agent!.secret}` },
    });
    expect(health.status).toBe(200);
    const info = await harness.docker.getContainer(containerName(a)).inspect();
    expect(
      Object.values(info.NetworkSettings.Ports ?? {})
        .flat()
        .filter(Boolean),
    ).toEqual([]);
    const network = await harness.docker.getNetwork(controlNetworkName(a)).inspect();
    expect(network.Internal).toBe(true);
  }, 120_000);

  it("keeps workspaces away from each other's agents", async () => {
    const other = await harness.driver.ensureRunning({ projectId: b });
    const probe = `require('http').get('${other.agent!.url}/health',r=>{console.log('reached',r.statusCode);process.exit(0)}).on('error',e=>{console.log('refused',e.code);process.exit(0)}).setTimeout(3000,function(){console.log('timeout');process.exit(0)})`;
    const result = await run(harness.driver, a, ['node', '-e', probe]);
    expect(result.output).not.toMatch(/reached/);
  }, 120_000);

  it('survives a second ensureRunning and removes the network with the workspace', async () => {
    const again = await harness.driver.ensureRunning({ projectId: a });
    expect(again.agent?.url).toMatch(/^http:\/\/10\.213\./);
    await harness.driver.remove(a);
    await expect(harness.docker.getNetwork(controlNetworkName(a)).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 120_000);
});

describe('subnetsOf', () => {
  it('splits a pool into /29s', () => {
    const pool = subnetsOf('10.213.0.0/16');
    expect(pool.count).toBe(8192);
    expect([pool.at(0), pool.at(1), pool.at(8191)]).toEqual(['10.213.0.0/29', '10.213.0.8/29', '10.213.255.248/29']);
    expect(subnetsOf('192.168.100.0/24').at(3)).toBe('192.168.100.24/29');
    expect(() => subnetsOf('10.0.0.0/30')).toThrow(/smaller than one/);
  });
});
