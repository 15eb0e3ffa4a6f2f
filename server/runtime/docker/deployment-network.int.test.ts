// Deployments reached over their own control networks (Berth in a container, access 'network'):
// the deploy bridge has inter-container traffic off, so a stand-in for Berth's container (the
// workspace image, on a bridge of its own as Berth on its compose network) joined the way the
// driver joins Berth reaches a deployment's app only over that deployment's internal network;
// another deployment reaches it on neither network; removal takes the network with it.
import { randomBytes } from 'node:crypto';
import type { Container } from 'dockerode';
import tarStreamModule from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cjsDefault } from '../../core/cjs-default';
import { createLogger } from '../../core/logger';
import type { DeploymentContainer } from '../deployment-driver';
import { DockerDeploymentDriver } from './docker-deployment-driver';
import { deploymentControlNetworkName } from './deployment-network';
import { testDocker, workspaceImage } from './docker-test-support';
import { createDemuxer } from './stream-demux';

const tarStream = cjsDefault(tarStreamModule);
const docker = testDocker();
const scope = `depnet-${randomBytes(4).toString('hex')}`;
const projectId = 'proj-deploy-network';
const ids = { built: `dep-${scope}-img`, a: `dep-${scope}-a`, b: `dep-${scope}-b` };
const APP = `require('http').createServer((req, res) => res.end('app of ' + process.env.WHO)).listen(Number(process.env.PORT), '0.0.0.0');\n`;
let driver: DockerDeploymentDriver;
let standIn: Container;
let standInNetwork: string;

function appFiles(): NodeJS.ReadableStream {
  const pack = tarStream.pack();
  pack.entry({ name: 'server.js', mode: 0o644, uid: 1000, gid: 1000 }, APP);
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream;
}

/** Runs a command in a container to its end; its output (stdout and stderr). */
async function exec(container: Container, cmd: string[]): Promise<string> {
  const session = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = (await session.start({ hijack: true, stdin: false })) as unknown as NodeJS.ReadableStream;
  const parts: Buffer[] = [];
  const demux = createDemuxer((payload) => parts.push(Buffer.from(payload)));
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => demux(chunk));
    stream.on('end', resolve);
    stream.on('close', resolve);
  });
  return Buffer.concat(parts).toString('utf8');
}

/** A curl from inside `container`: the body, or "unreachable". */
const probe = (container: Container, url: string) =>
  exec(container, ['sh', '-c', `curl -sS --max-time 3 ${url} || echo unreachable`]);

beforeAll(async () => {
  await docker.ping();
  const image = await workspaceImage(docker);
  // Berth's stand-in: on a bridge of its own (as Berth on its compose network), none of the deploy ones.
  standInNetwork = (
    await docker.createNetwork({ Name: `berth-${scope}-standin`, Driver: 'bridge', Labels: { 'berth.scope': scope } })
  ).id;
  standIn = await docker.createContainer({
    name: `berth-${scope}-standin`,
    Image: image,
    Entrypoint: ['/usr/bin/tini', '--'],
    Cmd: ['sleep', 'infinity'],
    User: '1000:1000',
    Labels: { 'berth.scope': scope },
    HostConfig: { NetworkMode: standInNetwork },
  });
  await standIn.start();
  driver = new DockerDeploymentDriver(
    {
      docker,
      image,
      memoryBytes: 512 * 1024 ** 2,
      cpus: 1,
      pidsLimit: 256,
      publishHost: '127.0.0.1',
      access: 'network',
      selfContainer: standIn.id,
      controlSubnets: '10.213.0.0/16',
      scope,
    },
    createLogger('silent'),
  );
  await driver.build({
    deploymentId: ids.built,
    projectId,
    environment: 'production',
    files: async () => appFiles(),
    script: 'test -f server.js\n',
    startCommand: ['node', 'server.js'],
    port: 3000,
    timeoutMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  const label = [`berth.scope=${scope}`];
  for (const info of await docker.listContainers({ all: true, filters: { label } }))
    await docker
      .getContainer(info.Id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const info of await docker.listImages({ filters: { label } }))
    await docker
      .getImage(info.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await driver?.removeNetwork();
  await docker
    .getNetwork(`berth-${scope}-standin`)
    .remove()
    .catch(() => undefined);
}, 60_000);

describe('deployments over control networks (Berth in a container)', () => {
  let a: DeploymentContainer;
  let b: DeploymentContainer;

  it("reaches the app over the deployment's own internal network, shared only with Berth's container", async () => {
    const run = (deploymentId: string, who: string) =>
      driver.run({
        deploymentId,
        projectId,
        environment: deploymentId === ids.a ? 'production' : 'staging',
        image: `berth-deploy:${ids.built}`,
        port: 3000,
        env: { WHO: who },
      });
    [a, b] = [await run(ids.a, 'a'), await run(ids.b, 'b')];
    expect(a.endpoint?.url).toMatch(/^http:\/\/10\.213\.\d+\.\d+:3000$/);
    expect(await probe(standIn, a.endpoint!.url)).toBe('app of a');
    expect(await probe(standIn, b.endpoint!.url)).toBe('app of b');

    const network = await docker.getNetwork(deploymentControlNetworkName(ids.a)).inspect();
    expect(network.Internal).toBe(true);
    const members = Object.keys((network as { Containers?: Record<string, unknown> }).Containers ?? {}).sort();
    expect(members).toEqual([a.containerId, standIn.id].sort());
    // Nothing published; the deploy bridge stays its way out.
    const info = await docker.getContainer(a.containerId).inspect();
    expect(Object.keys(info.NetworkSettings.Networks).sort()).toEqual(
      [`berth-deploy-net-${scope}`, deploymentControlNetworkName(ids.a)].sort(),
    );
    expect(
      Object.values(info.NetworkSettings.Ports ?? {})
        .flat()
        .filter(Boolean),
    ).toEqual([]);
  }, 120_000);

  it('another deployment reaches it on neither network', async () => {
    const other = docker.getContainer(b.containerId);
    const info = await docker.getContainer(a.containerId).inspect();
    const bridgeAddress = info.NetworkSettings.Networks[`berth-deploy-net-${scope}`]!.IPAddress;
    expect(await probe(other, a.endpoint!.url)).toMatch(/unreachable/);
    expect(await probe(other, `http://${bridgeAddress}:3000`)).toMatch(/unreachable/);
    // The stand-in (Berth) is not on the ICC-off bridge: it reaches deployments only over their own networks.
    const standInInfo = await standIn.inspect();
    expect(Object.keys(standInInfo.NetworkSettings.Networks)).not.toContain(`berth-deploy-net-${scope}`);
  }, 60_000);

  it("a restarted Berth (a new driver) finds it and rejoins; removal takes the deployment's network, a leftover one is swept", async () => {
    // Berth's container left the network (as a recreated Berth container is on none of them).
    await docker.getNetwork(deploymentControlNetworkName(ids.a)).disconnect({ Container: standIn.id, Force: true });
    expect(await probe(standIn, a.endpoint!.url)).toMatch(/unreachable/);
    const restarted = new DockerDeploymentDriver(
      {
        docker,
        image: 'unused',
        memoryBytes: 512 * 1024 ** 2,
        cpus: 1,
        pidsLimit: 256,
        publishHost: '127.0.0.1',
        access: 'network',
        selfContainer: standIn.id,
        scope,
      },
      createLogger('silent'),
    );
    const adopted = await restarted.listContainers({ projectId });
    expect(adopted.map((item) => item.endpoint?.url).sort()).toEqual([a.endpoint!.url, b.endpoint!.url].sort());
    expect(await probe(standIn, a.endpoint!.url)).toBe('app of a');

    await restarted.removeContainer(ids.a);
    await expect(docker.getNetwork(deploymentControlNetworkName(ids.a)).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await probe(standIn, b.endpoint!.url)).toBe('app of b');
    // A container gone without its network (a crash between the two): swept at start-up.
    await docker.getContainer(b.containerId).remove({ force: true });
    await restarted.removeLeftoverBuilds();
    await expect(docker.getNetwork(deploymentControlNetworkName(ids.b)).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  }, 120_000);
});
