// The Next.js template deployed on the real Docker engine: `next build` in the build container,
// `next start` in the deployment container, the production page (no dev overlay, no HMR).
// Apart from deploy-engine.int.test.ts: the longest build (about 15 s here, more on slow machines).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../core/logger';
import { DockerDeploymentDriver } from '../runtime';
import { HOST_CA_BUNDLE, testDocker, workspaceImage } from '../runtime/docker/docker-test-support';
import { detectBuildPlan } from './build-plan';
import { DeployEngine } from './deploy-engine';

const dir = path.resolve(import.meta.dirname, '..', '..', 'docker', 'templates', 'nextjs');
const scope = `deploytest-${randomBytes(4).toString('hex')}`;
const docker = testDocker();
let driver: DockerDeploymentDriver | undefined;

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
}, 60_000);

it('builds the Next.js template and serves it with next start', async () => {
  const log = createLogger('silent');
  driver = new DockerDeploymentDriver(
    {
      docker,
      image: await workspaceImage(docker),
      memoryBytes: 2 * 1024 ** 3,
      cpus: 2,
      pidsLimit: 512,
      publishHost: '127.0.0.1',
      caBundlePath: HOST_CA_BUNDLE,
      scope,
    },
    log,
  );
  const engine = new DeployEngine(driver, { buildTimeoutMs: 150_000, imagesKept: 1 }, log);
  const plan = detectBuildPlan({
    packageJson: readFileSync(path.join(dir, 'package.json'), 'utf8'),
    files: readdirSync(dir),
  });
  expect(plan.framework).toBe('next');
  const ref = { deploymentId: `dep-${scope}-next`, projectId: 'proj-next', environment: 'production' };
  const output: string[] = [];
  const files = async () =>
    spawn('tar', ['-c', '--owner=1000', '--group=1000', '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'inherit'] })
      .stdout as Readable;
  const image = await engine.build({ ...ref, files, plan, onLog: (text) => output.push(text) });
  expect(output.join('')).toMatch(/Compiled successfully|Generating static pages/);
  const container = await engine.run({ ...ref, image: image.image, port: plan.port, env: {} });
  const page = await fetch(container.endpoint!.url);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain('<h1>Next.js</h1>');
  // The production server: no hot-reload client in the page.
  expect(html).not.toMatch(/webpack-hmr|turbopack-hmr|_next\/static\/development/);
  expect(page.headers.get('x-powered-by')).toBe('Next.js');
}, 170_000);
