import type { ContainerInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { buildDeploymentSpec, deploymentOfListed } from './deployment-container';
import { deploymentFilters, deploymentLabels, refOfLabels } from './deployment-names';

const ref = { deploymentId: 'd1', projectId: 'p1', environment: 'staging' };
const settings = {
  image: 'berth-workspace:test',
  memoryBytes: 512 * 1024 ** 2,
  cpus: 0.5,
  pidsLimit: 128,
  caBundlePath: '/etc/ssl/certs/ca-certificates.crt',
  scope: 'test',
  publishHost: '127.0.0.1',
};

describe('deployment container spec', () => {
  const spec = buildDeploymentSpec({ ...settings, access: 'published' }, 'net-1', {
    ...ref,
    image: 'berth-deploy:d1',
    port: 3000,
    env: { API_KEY: 'k', PORT: '80', HOST: '1.2.3.4' },
  });

  it('is hardened, limited, restarted unless stopped, and published on loopback only', () => {
    expect(spec.name).toBe('berth-dep-d1');
    expect(spec.User).toBe('1000:1000');
    expect(spec.HostConfig).toMatchObject({
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 128,
      Memory: 512 * 1024 ** 2,
      MemorySwap: 512 * 1024 ** 2,
      NanoCpus: 5e8,
      NetworkMode: 'net-1',
      RestartPolicy: { Name: 'unless-stopped' },
      PortBindings: { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
    });
    expect(spec.HostConfig?.Mounts).toEqual([expect.objectContaining({ Type: 'bind', ReadOnly: true })]);
    expect(spec.Labels).toMatchObject({ 'berth.role': 'deployment', 'berth.deployment': 'd1', 'berth.env': 'staging' });
  });

  it("sets the user's variables but never lets them replace PORT and HOST", () => {
    expect(spec.Env).toContain('API_KEY=k');
    expect(spec.Env).toContain('PORT=3000');
    expect(spec.Env).toContain('HOST=0.0.0.0');
    expect(spec.Env).not.toContain('PORT=80');
    expect(spec.Env).not.toContain('HOST=1.2.3.4');
  });

  it('publishes nothing with network access', () => {
    const networked = buildDeploymentSpec({ ...settings, access: 'network' }, 'net-1', {
      ...ref,
      image: 'x',
      port: 3000,
      env: {},
    });
    expect(networked.HostConfig?.PortBindings).toEqual({});
  });
});

describe('deployment labels', () => {
  it('round-trip, and filters narrow by role, scope, project and environment', () => {
    expect(refOfLabels(deploymentLabels(ref, 'test', 3000))).toEqual({ ...ref, port: 3000 });
    expect(refOfLabels({ 'berth.project': 'p1' })).toBeNull();
    expect(deploymentFilters('test', { projectId: 'p1', environment: 'staging' }, 'build')).toEqual([
      'berth.managed=true',
      'berth.role=build',
      'berth.scope=test',
      'berth.project=p1',
      'berth.env=staging',
    ]);
  });

  it('a listed container gives its state, health and loopback endpoint', () => {
    const listed = {
      Id: 'c1',
      Image: 'berth-deploy:d1',
      Created: 1_800_000_000,
      State: 'running',
      Status: 'Up 3 minutes (healthy)',
      Labels: deploymentLabels(ref, 'test', 3000),
      Ports: [{ IP: '127.0.0.1', PrivatePort: 3000, PublicPort: 49200, Type: 'tcp' }],
      NetworkSettings: { Networks: { deploy: { IPAddress: '172.20.0.5' } } },
    } as unknown as ContainerInfo;
    expect(deploymentOfListed(listed, 'published')).toMatchObject({
      ...ref,
      state: 'running',
      health: 'healthy',
      endpoint: { url: 'http://127.0.0.1:49200', directUrl: 'http://172.20.0.5:3000' },
    });
    const exited = { ...listed, State: 'exited', Status: 'Exited (1) 2 seconds ago' } as ContainerInfo;
    expect(deploymentOfListed(exited, 'published')).toMatchObject({ state: 'exited', health: 'none' });
    expect(deploymentOfListed(exited, 'published')?.endpoint).toBeUndefined();
  });

  it("with network access, the endpoint is the container's address on its own control network, never the deploy bridge's", () => {
    const listed = {
      Id: 'c1',
      Image: 'berth-deploy:d1',
      Created: 1_800_000_000,
      State: 'running',
      Status: 'Up 3 minutes',
      Labels: deploymentLabels(ref, 'test', 3000),
      Ports: [],
      NetworkSettings: {
        Networks: {
          'berth-deploy-net-test': { IPAddress: '172.20.0.5' },
          'berth-depctl-d1': { IPAddress: '10.213.4.2' },
        },
      },
    } as unknown as ContainerInfo;
    expect(deploymentOfListed(listed, 'network')?.endpoint).toEqual({
      url: 'http://10.213.4.2:3000',
      directUrl: 'http://10.213.4.2:3000',
    });
    // Not (yet) on its control network: no endpoint rather than one Berth cannot reach.
    const bridgeOnly = {
      ...listed,
      NetworkSettings: { Networks: { 'berth-deploy-net-test': { IPAddress: '172.20.0.5' } } },
    } as unknown as ContainerInfo;
    expect(deploymentOfListed(bridgeOnly, 'network')?.endpoint).toBeUndefined();
  });
});
