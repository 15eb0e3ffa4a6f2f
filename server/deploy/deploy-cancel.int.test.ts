// A switch cancelled while the new container starts (Berth shutting down, the environment stopped
// or deleted) on the real Docker engine: the new container goes at once, the old one keeps
// serving, and the run ends promptly rather than after the readiness wait. Everything made here
// carries a scope of its own and is removed afterwards, even on failure.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger';
import { DockerDeploymentDriver } from '../runtime';
import { HOST_CA_BUNDLE, testDocker, workspaceImage } from '../runtime/docker/docker-test-support';
import { detectBuildPlan } from './build-plan';
import { DeployEngine, DeploymentCancelledError } from './deploy-engine';

const template = path.resolve(import.meta.dirname, '..', '..', 'docker', 'templates', 'express-api');
const scope = `deploycancel-${randomBytes(4).toString('hex')}`;
const docker = testDocker();
const log = createLogger('silent');
const projectId = 'proj-deploy-cancel';
const environment = 'production';
let driver: DockerDeploymentDriver;
let engine: DeployEngine;

const files = async (): Promise<NodeJS.ReadableStream> =>
  spawn('tar', ['-c', '--owner=1000', '--group=1000', '-C', template, '.'], { stdio: ['ignore', 'pipe', 'inherit'] })
    .stdout as Readable;

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
  // A long readiness wait: a cancel that had to sit it out would show in the run's duration.
  engine = new DeployEngine(driver, { buildTimeoutMs: 100_000, imagesKept: 5, readyTimeoutMs: 60_000 }, log);
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
}, 60_000);

describe('deploy engine: a cancelled switch (real Docker)', () => {
  it('removes only the new container; the old one keeps serving', async () => {
    const plan = detectBuildPlan({
      packageJson: readFileSync(path.join(template, 'package.json'), 'utf8'),
      files: readdirSync(template),
    });
    const old = { deploymentId: `dep-${scope}-1`, projectId, environment };
    const built = await engine.build({ ...old, files, plan });
    await engine.run({ ...old, image: built.image, port: plan.port, env: {} });

    // The next one (a rollback-like run of the same image) never answers: node waits for a debugger.
    const next = { deploymentId: `dep-${scope}-2`, projectId, environment };
    const controller = new AbortController();
    const started = Date.now();
    const running = engine.run({
      ...next,
      image: built.image,
      port: plan.port,
      env: { NODE_OPTIONS: '--inspect-brk' },
      signal: controller.signal,
    });
    // Cancelled once its container exists, i.e. while the engine waits for it to answer.
    while ((await driver.inspect(next.deploymentId)) === null) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(DeploymentCancelledError);
    expect(Date.now() - started).toBeLessThan(20_000);

    expect(await driver.inspect(next.deploymentId)).toBeNull();
    const serving = await engine.current({ projectId, environment });
    expect(serving?.deploymentId).toBe(old.deploymentId);
    const endpoint = await engine.endpoint(old.deploymentId);
    expect((await fetch(endpoint!.url)).status).toBeLessThan(500);
  }, 240_000);

  it('a signal aborted before the run starts nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const ref = { deploymentId: `dep-${scope}-3`, projectId, environment };
    await expect(
      engine.run({ ...ref, image: 'unused', port: 3000, env: {}, signal: controller.signal }),
    ).rejects.toThrow();
    expect(await driver.inspect(ref.deploymentId)).toBeNull();
  });
});
