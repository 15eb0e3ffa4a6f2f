// Cancelling a deployment while its container starts (real Docker, real PostgreSQL): Berth's
// shutdown (DeployService.dispose) leaves the deployment before it serving and removes only the
// new container; a stop then returns at once instead of after the readiness wait. The new app
// never answers: NODE_OPTIONS=--inspect-brk (an environment variable) holds node before any code.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeploymentDto, ProjectDto } from '../contracts';
import { testDocker } from '../runtime/docker/docker-test-support';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';

let t: TestServer;
let alice: TestUser;
let project: ProjectDto;

const api = (method: string, route: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/v1/projects/${project.id}${route}`, { cookie: alice.cookie }, body);

/** Starts a deployment of production and polls it until `until` says so. */
async function deployUntil(until: (dto: DeploymentDto) => boolean): Promise<DeploymentDto> {
  const accepted = await api('POST', '/environments/production/deployments', {});
  expect(accepted.status).toBe(202);
  const { id } = (await accepted.json()) as { id: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const dto = (await (await api('GET', `/environments/production/deployments/${id}`)).json()) as DeploymentDto;
    if (until(dto)) return dto;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${dto.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const statusOf = async (id: string) =>
  ((await (await api('GET', `/environments/production/deployments/${id}`)).json()) as DeploymentDto).status;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Shutdown', template: 'express-api' },
    )
  ).json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  const scope = t?.scope;
  await t?.stop();
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

it('a shutdown while the next deployment starts keeps the old one serving; a stop then is prompt', async () => {
  const first = await deployUntil((dto) => !['queued', 'building', 'starting'].includes(dto.status));
  expect(first.status, first.error ?? first.buildLog).toBe('live');

  const variables = { variables: [{ name: 'NODE_OPTIONS', value: '--inspect-brk' }] };
  expect((await api('PUT', '/environments/production/variables', variables)).status).toBe(200);
  const hanging = await deployUntil((dto) => dto.status === 'starting');
  const started = Date.now();
  await t.server.deploys.dispose();
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await statusOf(hanging.id)).toBe('failed');
  expect(await statusOf(first.id)).toBe('live');
  const target = await t.server.deploys.deploymentTarget(`d-${project.id}-production`);
  expect(target?.deploymentId).toBe(first.id);
  expect((await fetch(target!.endpoint.url)).status).toBe(200);
  // Its container goes at the cancel, and again once the engine's start of it settles (the start
  // may have created it meanwhile; it settles at the readiness timeout at the latest).
  const leftover = () =>
    testDocker().listContainers({
      all: true,
      filters: { label: [`berth.scope=${t.scope}`, `berth.deployment=${hanging.id}`] },
    });
  const deadline = Date.now() + 45_000;
  while ((await leftover()).length > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await leftover()).toEqual([]);

  const next = await deployUntil((dto) => dto.status === 'starting');
  const stopping = Date.now();
  expect((await api('POST', '/environments/production/stop')).status).toBe(204);
  expect(Date.now() - stopping).toBeLessThan(10_000);
  expect(await statusOf(next.id)).toBe('failed');
  expect(await statusOf(first.id)).toBe('stopped');
}, 240_000);
