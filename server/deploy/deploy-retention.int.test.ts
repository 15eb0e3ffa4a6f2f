// DEPLOY_IMAGES_KEPT through the API (issue 14): past the newest kept images an older
// deployment's image is removed after a deploy, it is no longer offered for rollback
// (imageKept false) and a rollback to it is 409; the serving one stays. Real Docker and PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeploymentDto } from '../contracts';
import { testDocker } from '../runtime/docker/docker-test-support';
import { call } from '../test-support/api-test-server';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../test-support/project-fixture';

const docker = testDocker();
let fixture: ProjectFixture;

const api = (method: string, route: string, body?: unknown) =>
  call(
    fixture.t.baseUrl,
    method,
    `/api/v1/projects/${fixture.project.id}/environments/production${route}`,
    { cookie: fixture.user.cookie },
    body,
  );

const get = async (id: string) => (await (await api('GET', `/deployments/${id}`)).json()) as DeploymentDto;

/** Deploys and waits until the deployment settles. */
async function deploy(): Promise<DeploymentDto> {
  const accepted = await api('POST', '/deployments', {});
  expect(accepted.status).toBe(202);
  const { id } = (await accepted.json()) as { id: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const dto = await get(id);
    if (!['queued', 'building', 'starting'].includes(dto.status)) return dto;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${dto.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  fixture = await openProjectFixture({
    name: 'Retention',
    template: 'express-api',
    running: true,
    env: { DEPLOY_IMAGES_KEPT: '1' },
  });
}, 120_000);

afterAll(async () => {
  const scope = fixture?.t.scope;
  await closeProjectFixture(fixture ?? {});
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

it('removes images past DEPLOY_IMAGES_KEPT; their deployments can no longer be rolled back to', async () => {
  const first = await deploy();
  expect(first.status, first.error ?? first.buildLog).toBe('live');
  const second = await deploy();
  expect(second.status, second.error ?? second.buildLog).toBe('live');

  // Pruned right after the switch: wait for it to be recorded.
  const deadline = Date.now() + 30_000;
  while ((await get(first.id)).imageKept && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await get(first.id)).toMatchObject({ status: 'superseded', imageKept: false });
  // The history says so too (its Rollback buttons read it there).
  const history = (await (await api('GET', '/deployments')).json()) as { id: string; imageKept: boolean }[];
  expect(history.map(({ id, imageKept }) => ({ id, imageKept }))).toEqual([
    { id: second.id, imageKept: true },
    { id: first.id, imageKept: false },
  ]);
  const images = await docker.listImages({
    filters: { label: [`berth.scope=${fixture.t.scope}`, `berth.project=${fixture.project.id}`] },
  });
  expect(images.map((image) => image.Labels['berth.deployment'])).toEqual([second.id]);

  const refused = await api('POST', `/deployments/${first.id}/rollback`);
  expect(refused.status).toBe(409);
  expect(await refused.json()).toMatchObject({ error: 'not_rollbackable' });
  expect((await get(second.id)).status).toBe('live');
}, 240_000);
