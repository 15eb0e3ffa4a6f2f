// Start-up reconciliation removes what has no row any more (real Docker, real PostgreSQL): a
// deployment whose environment was deleted while its container and image stayed (Berth down, or
// cut off between a removal's steps) is removed, not adopted; another environment's live
// deployment is adopted and still serves.
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
const docker = testDocker();

const api = (method: string, route: string, body?: unknown) =>
  call(t.baseUrl, method, `/api/v1/projects/${project.id}${route}`, { cookie: alice.cookie }, body);

async function deployed(environment: string): Promise<DeploymentDto> {
  const accepted = await api('POST', `/environments/${environment}/deployments`, {});
  expect(accepted.status).toBe(202);
  const { id } = (await accepted.json()) as { id: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const dto = (await (await api('GET', `/environments/${environment}/deployments/${id}`)).json()) as DeploymentDto;
    if (!['queued', 'building', 'starting'].includes(dto.status)) {
      expect(dto.status, dto.error ?? dto.buildLog).toBe('live');
      return dto;
    }
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${dto.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Deployment ids of this scope's containers and images, as the engine's labels say. */
async function labelled(): Promise<{ containers: string[]; images: string[] }> {
  const label = [`berth.scope=${t.scope}`, 'berth.deployment'];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const images = await docker.listImages({ filters: { label } });
  return {
    containers: containers.map((info) => info.Labels['berth.deployment']!).sort(),
    images: images.map((info) => info.Labels?.['berth.deployment'] ?? '').sort(),
  };
}

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Orphans', template: 'express-api' },
    )
  ).json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  const scope = t?.scope;
  await t?.stop();
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

it('removes containers and images whose deployment rows are gone; adopts the rest', async () => {
  expect((await api('POST', '/environments', { name: 'staging' })).status).toBe(201);
  const kept = await deployed('production');
  const orphan = await deployed('staging');
  expect((await labelled()).containers).toEqual([kept.id, orphan.id].sort());

  // The environment's rows go without its container and image, as if Berth stopped in between.
  const prisma = t.server.database.prisma;
  await prisma.deployEnvironment.deleteMany({ where: { projectId: project.id, name: 'staging' } });
  await t.server.deploys.reconcile();

  const after = await labelled();
  expect(after.containers).toEqual([kept.id]);
  expect(after.images).toEqual([kept.id]);
  const target = await t.server.deploys.deploymentTarget(`d-${project.id}-production`);
  expect(target?.deploymentId).toBe(kept.id);
  expect((await fetch(target!.endpoint.url)).status).toBe(200);
}, 240_000);
