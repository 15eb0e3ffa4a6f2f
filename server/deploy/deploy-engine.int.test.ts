// The deployment engine on the real Docker engine: the Express and Vite templates built in a
// build container from the workspace image and served by their deployment containers (the built
// app, not a dev server); variables reach the app and no image; a failed or timed-out build
// leaves the serving one untouched; a new deployment replaces the old only once it answers, and
// rollback to a kept image needs no build; adoption after a restart; removal leaves nothing.
// Everything made here carries a scope of its own and is removed afterwards, even on failure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger';
import { DeploymentBuildError, DockerDeploymentDriver, type DeploymentContainer } from '../runtime';
import { HOST_CA_BUNDLE, testDocker, workspaceImage } from '../runtime/docker/docker-test-support';
import { detectBuildPlan, type BuildPlan } from './build-plan';
import { DeployEngine } from './deploy-engine';

const templatesDir = path.resolve(import.meta.dirname, '..', '..', 'docker', 'templates');
const scope = `deploytest-${randomBytes(4).toString('hex')}`;
const docker = testDocker();
const log = createLogger('silent');
const tempDirs: string[] = [];
const projectId = 'proj-deploy-test';
let driver: DockerDeploymentDriver;
let engine: DeployEngine;
let nextId = 0;
const newDeploymentId = () => `dep-${scope}-${++nextId}`;

/** A copy of a template (optionally changed) and its plan. */
function project(template: string, changes: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-deploy-'));
  tempDirs.push(dir);
  chmodSync(dir, 0o755);
  cpSync(path.join(templatesDir, template), dir, { recursive: true });
  for (const [file, content] of Object.entries(changes)) writeFileSync(path.join(dir, file), content);
  const files = async (): Promise<NodeJS.ReadableStream> => {
    // As snapshots give them: a tar whose entries belong to the workspace user.
    const tar = spawn('tar', ['-c', '--owner=1000', '--group=1000', '-C', dir, '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return tar.stdout as Readable;
  };
  return { dir, files };
}

function planOf(dir: string): BuildPlan {
  return detectBuildPlan({
    packageJson: readFileSync(path.join(dir, 'package.json'), 'utf8'),
    files: readdirSync(dir),
  });
}

async function deploy(
  environment: string,
  template: string,
  changes: Record<string, string> = {},
  env: Record<string, string> = {},
  planChanges: Partial<BuildPlan> = {},
) {
  const { dir, files } = project(template, changes);
  const deploymentId = newDeploymentId();
  const output: string[] = [];
  const plan = { ...planOf(dir), ...planChanges };
  const image = await engine.build({
    deploymentId,
    projectId,
    environment,
    files,
    plan,
    variables: env,
    onLog: (text) => output.push(text),
  });
  const container = await engine.run({
    deploymentId,
    projectId,
    environment,
    image: image.image,
    port: plan.port,
    env,
  });
  return { deploymentId, image, container, log: output.join('') };
}

async function get(container: DeploymentContainer, pathname = '/') {
  const response = await fetch(new URL(pathname, container.endpoint!.url));
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** Everything this file made: containers, images (by the scope label), the network. */
async function removeEverything() {
  const label = [`berth.scope=${scope}`];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    containers.map((info) =>
      docker
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const images = await docker.listImages({ filters: { label } });
  for (const info of images)
    await docker
      .getImage(info.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await driver?.removeNetwork();
}

beforeAll(async () => {
  await docker.ping();
  driver = new DockerDeploymentDriver(
    {
      docker,
      image: await workspaceImage(docker),
      memoryBytes: 1024 ** 3,
      cpus: 1,
      pidsLimit: 256,
      publishHost: '127.0.0.1',
      caBundlePath: HOST_CA_BUNDLE,
      scope,
    },
    log,
  );
  engine = new DeployEngine(driver, { buildTimeoutMs: 100_000, imagesKept: 1 }, log);
}, 120_000);

afterAll(async () => {
  await removeEverything();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('deploy engine (real Docker)', () => {
  let express: Awaited<ReturnType<typeof deploy>>;

  it('builds and serves the Express template, hardened, with its variables but none in the image', async () => {
    express = await deploy('production', 'express-api', {}, { SECRET_TOKEN: 'token-1234' });
    expect(express.log).toContain('Build finished');
    const page = await get(express.container);
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body)).toMatchObject({ message: 'Hello from Express' });

    const info = await docker.getContainer(express.container.containerId).inspect();
    expect(info.Config.User).toBe('1000:1000');
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(info.HostConfig.PidsLimit).toBe(256);
    expect(info.HostConfig.Memory).toBe(1024 ** 3);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(
      Object.values((info.HostConfig.PortBindings ?? {}) as Record<string, { HostIp: string }[]>)
        .flat()
        .map((binding) => binding.HostIp),
    ).toEqual(['127.0.0.1']);
    expect(info.Config.Labels).toMatchObject({
      'berth.deployment': express.deploymentId,
      'berth.project': projectId,
      'berth.env': 'production',
      'berth.scope': scope,
    });
    expect(info.Config.Env).toContain('SECRET_TOKEN=token-1234');
    expect(info.Config.Healthcheck?.Test).toEqual(expect.arrayContaining(['curl', 'http://127.0.0.1:3000/']));
    const image = await docker.getImage(express.image.image).inspect();
    expect(JSON.stringify(image.Config)).not.toContain('token-1234');
    expect(image.Config.Env).toContain('NODE_ENV=production');
    // No build container is left.
    expect(
      await docker.listContainers({ all: true, filters: { label: [`berth.scope=${scope}`, 'berth.role=build'] } }),
    ).toEqual([]);
  }, 120_000);

  it('installs from the npm registry when the project is no template (CA bundle in the build container)', async () => {
    const manifest = {
      name: 'uses-registry',
      private: true,
      type: 'module',
      scripts: { start: 'node index.js' },
      dependencies: { 'is-number': '7.0.0' },
    };
    const server = `import isNumber from 'is-number';
import { createServer } from 'node:http';
createServer((req, res) => res.end(String(isNumber(42)))).listen(Number(process.env.PORT));
`;
    const app = await deploy('registry', 'blank-node', {
      'package.json': JSON.stringify(manifest),
      'index.js': server,
    });
    expect(app.log).toContain('npm install');
    expect(app.log).not.toContain('prepared in the image');
    expect((await get(app.container)).body).toBe('true');
  }, 120_000);

  it('a crashed app is restarted by the engine', async () => {
    const server = `import { createServer } from 'node:http';
const started = Date.now();
createServer((req, res) => { if (req.url === '/crash') process.exit(1); res.end(String(started)); }).listen(Number(process.env.PORT));
`;
    const app = await deploy('crashy', 'blank-node', { 'index.js': server });
    const first = (await get(app.container)).body;
    await fetch(new URL('/crash', app.container.endpoint!.url)).catch(() => undefined);
    // Back with a new process. The engine publishes it on another random port after a restart:
    // the endpoint is read again (as the proxy must).
    let body = first;
    const deadline = Date.now() + 20_000;
    while (body === first && Date.now() < deadline) {
      const now = await driver.inspect(app.deploymentId);
      body = now?.endpoint
        ? await get(now).then(
            (page) => page.body,
            () => first,
          )
        : first;
      if (body === first) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).not.toBe(first);
    expect((await docker.getContainer(app.container.containerId).inspect()).RestartCount).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('runtime logs stream live until the reader stops', async () => {
    const server = `import { createServer } from 'node:http';
createServer((req, res) => { console.log('request for ' + req.url); res.end('ok'); }).listen(Number(process.env.PORT));
`;
    const app = await deploy('logs', 'blank-node', { 'index.js': server });
    const controller = new AbortController();
    let seen = '';
    let onRequestLogged = () => {};
    const requestLogged = new Promise<void>((resolve) => (onRequestLogged = resolve));
    const following = engine.followLogs(
      app.deploymentId,
      (text) => {
        seen += text;
        if (seen.includes('request for /hello-logs')) onRequestLogged();
      },
      { signal: controller.signal },
    );
    await get(app.container, '/hello-logs');
    await requestLogged;
    // Stopping the reader ends the follow (the app runs on).
    controller.abort();
    await following;
    expect(seen).toContain('request for /hello-logs');
    expect(await engine.logs(app.deploymentId)).toContain('request for /hello-logs');
  }, 120_000);

  it('variables reach the app at start', async () => {
    const server = `import { createServer } from 'node:http';
createServer((req, res) => res.end(JSON.stringify({ greeting: process.env.GREETING, mode: process.env.NODE_ENV }))).listen(Number(process.env.PORT));
`;
    const app = await deploy(
      'vars',
      'blank-node',
      { 'index.js': server },
      { GREETING: 'hello from the environment', PORT: '1' },
    );
    expect(JSON.parse((await get(app.container)).body)).toEqual({
      greeting: 'hello from the environment',
      mode: 'production',
    });
  }, 120_000);

  it('a failing build fails clearly and leaves the serving deployment untouched', async () => {
    const before = await engine.current({ projectId, environment: 'production' });
    const broken = project('express-api');
    const plan = { ...planOf(broken.dir), buildCommand: 'echo "about to fail"; exit 3' };
    const output: string[] = [];
    const failed = engine.build({
      deploymentId: newDeploymentId(),
      projectId,
      environment: 'production',
      files: broken.files,
      plan,
      onLog: (text) => output.push(text),
    });
    await expect(failed).rejects.toBeInstanceOf(DeploymentBuildError);
    await expect(failed).rejects.toMatchObject({ reason: 'failed', exitCode: 3 });
    expect(output.join('')).toContain('about to fail');
    const after = await engine.current({ projectId, environment: 'production' });
    expect(after?.containerId).toBe(before?.containerId);
    expect((await get(express.container)).status).toBe(200);
    expect(
      await docker.listContainers({ all: true, filters: { label: [`berth.scope=${scope}`, 'berth.role=build'] } }),
    ).toEqual([]);
  }, 120_000);

  it('an aborted build stops at once', async () => {
    const slow = project('blank-node');
    const controller = new AbortController();
    const build = engine.build({
      deploymentId: newDeploymentId(),
      projectId,
      environment: 'production',
      files: slow.files,
      plan: { ...planOf(slow.dir), buildCommand: 'echo started; sleep 60' },
      onLog: (text) => text.includes('started') && controller.abort(),
      signal: controller.signal,
    });
    await expect(build).rejects.toMatchObject({ reason: 'aborted' });
  }, 60_000);

  it('a build past its time limit is killed', async () => {
    const quick = new DeployEngine(driver, { buildTimeoutMs: 2_000, imagesKept: 1 }, log);
    const slow = project('blank-node');
    const plan = { ...planOf(slow.dir), buildCommand: 'sleep 60' };
    const started = Date.now();
    await expect(
      quick.build({ deploymentId: newDeploymentId(), projectId, environment: 'production', files: slow.files, plan }),
    ).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('a new deployment replaces the old once it answers; rollback runs the kept image; old images are pruned', async () => {
    const hello = (text: string) => `import { createServer } from 'node:http';
createServer((req, res) => res.end('${text}')).listen(Number(process.env.PORT));
`;
    const v1 = await deploy('staging', 'blank-node', { 'index.js': hello('version one') });
    const v2 = await deploy('staging', 'blank-node', { 'index.js': hello('version two') });
    expect((await get(v2.container)).body).toBe('version two');
    const containers = await driver.listContainers({ projectId, environment: 'staging' });
    expect(containers.map((item) => item.deploymentId)).toEqual([v2.deploymentId]);

    // A start that fails leaves v2 serving.
    const crashing = project('blank-node', { 'index.js': 'process.exit(1)\n' });
    const crashId = newDeploymentId();
    const crashImage = await engine.build({
      deploymentId: crashId,
      projectId,
      environment: 'staging',
      files: crashing.files,
      plan: planOf(crashing.dir),
    });
    await expect(
      engine.run({
        deploymentId: crashId,
        projectId,
        environment: 'staging',
        image: crashImage.image,
        port: 3000,
        env: {},
      }),
    ).rejects.toMatchObject({ code: 'deployment_start_failed' });
    expect((await get((await engine.current({ projectId, environment: 'staging' }))!)).body).toBe('version two');

    const started = Date.now();
    const back = await engine.run({
      deploymentId: v1.deploymentId,
      projectId,
      environment: 'staging',
      image: v1.image.image,
      port: 3000,
      env: {},
    });
    const rollbackMs = Date.now() - started;
    expect((await get(back)).body).toBe('version one');
    expect(rollbackMs).toBeLessThan(15_000);

    // Keep 1: the newest image (the crashed one's) stays, v1 runs, and v2 is protected (the
    // caller knows outcomes and spares what it offers for rollback): nothing goes.
    expect(await engine.pruneImages({ projectId, environment: 'staging' }, [v2.deploymentId])).toEqual([]);
    // The caller drops the failed deployment's image (the image of a container is refused).
    await expect(driver.removeImage(v1.deploymentId)).rejects.toMatchObject({ code: 'image_in_use' });
    await driver.removeImage(crashId);
    const third = await deploy('staging', 'blank-node', { 'index.js': hello('version three') });
    expect((await get(third.container)).body).toBe('version three');
    // Now only the newest (running) stays.
    expect(await engine.pruneImages({ projectId, environment: 'staging' })).toEqual([v2.deploymentId, v1.deploymentId]);
    const kept = (await driver.listImages({ projectId, environment: 'staging' })).map((item) => item.deploymentId);
    expect(kept).toEqual([third.deploymentId]);
  }, 120_000);

  it('builds the Vite template and serves the built app, not the dev server; build-time values reach the bundle, not the image', async () => {
    const probe = `vite-probe-${randomBytes(6).toString('hex')}`;
    const app = readFileSync(path.join(templatesDir, 'vite-react', 'src', 'App.jsx'), 'utf8').replace(
      '<h1>Vite + React</h1>',
      '<h1>Vite + React</h1><p id="probe">{import.meta.env.VITE_BERTH_PROBE}</p>',
    );
    const vite = await deploy('preview', 'vite-react', { 'src/App.jsx': app }, { VITE_BERTH_PROBE: probe });
    // Neither the image's config nor the legacy ContainerConfig (the build container's, kept by
    // the commit on Docker ≤ 25) holds the value: not in Cmd, Env, Entrypoint or Labels.
    const image = (await docker.getImage(vite.image.image).inspect()) as Awaited<
      ReturnType<ReturnType<typeof docker.getImage>['inspect']>
    > & { ContainerConfig?: unknown };
    expect(JSON.stringify(image.Config)).not.toContain(probe);
    expect(JSON.stringify(image.ContainerConfig ?? {})).not.toContain(probe);
    expect(JSON.stringify(image)).not.toContain(probe);
    const page = await get(vite.container);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('/@vite/client');
    const script = /<script type="module" crossorigin src="(\/assets\/index-[\w-]+\.js)"><\/script>/.exec(
      page.body,
    )?.[1];
    expect(script, page.body).toBeTruthy();
    const asset = await get(vite.container, script!);
    expect(asset.status).toBe(200);
    expect(asset.type).toContain('javascript');
    expect(asset.body).toContain(probe);
    // Client-side routes get the app.
    expect((await get(vite.container, '/some/route')).body).toBe(page.body);
  }, 120_000);

  it('a restarted Berth adopts what runs (one per environment) and stop keeps it stopped', async () => {
    const fresh = new DeployEngine(
      new DockerDeploymentDriver(
        { docker, image: 'unused', memoryBytes: 1024 ** 3, cpus: 1, pidsLimit: 256, publishHost: '127.0.0.1', scope },
        log,
      ),
      { buildTimeoutMs: 1000, imagesKept: 1 },
      log,
    );
    const adopted = await fresh.adopt();
    const production = adopted.find((item) => item.environment === 'production');
    expect(production?.deploymentId).toBe(express.deploymentId);
    expect(production?.state).toBe('running');
    expect((await get(production!)).status).toBe(200);
    expect(new Set(adopted.map((item) => item.environment))).toEqual(
      new Set(['production', 'vars', 'staging', 'preview', 'registry', 'crashy', 'logs']),
    );

    await fresh.stop({ projectId, environment: 'production' });
    expect((await fresh.current({ projectId, environment: 'production' }))?.state).toBe('exited');
  }, 60_000);

  it('removing an environment deletes its containers and images', async () => {
    await engine.remove({ projectId, environment: 'staging' });
    const label = [`berth.scope=${scope}`, 'berth.env=staging'];
    expect(await docker.listContainers({ all: true, filters: { label } })).toEqual([]);
    expect(await docker.listImages({ filters: { label } })).toEqual([]);
    // Other environments are untouched.
    expect(await engine.current({ projectId, environment: 'preview' })).not.toBeNull();
  }, 60_000);
});
