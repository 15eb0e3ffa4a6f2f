// Deployments survive a Berth restart (issue 14): a new server on the same data and scope adopts
// the serving container (same deployment, still live, still answering) and marks a deployment
// that was building when the last server died as failed. Real Docker, real PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeploymentDto, DeploymentSummaryDto, ProjectDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { rawGet } from '../preview/test-helpers';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';

let first: TestServer;
let second: TestServer | undefined;
let alice: TestUser;
let project: ProjectDto;

const server = () => second ?? first;
const api = (method: string, route: string, body?: unknown) =>
  call(server().baseUrl, method, `/api/v1/projects/${project.id}${route}`, { cookie: alice.cookie }, body);

async function live(id: string): Promise<DeploymentDto> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const dto = (await (await api('GET', `/environments/production/deployments/${id}`)).json()) as DeploymentDto;
    if (!['queued', 'building', 'starting'].includes(dto.status)) return dto;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${dto.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  first = await startTestServer();
  alice = await createSignedInUser(first.baseUrl);
  project = (await (
    await call(
      first.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Restarts', template: 'express-api' },
    )
  ).json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  const scope = first?.scope;
  // The last server standing owns the workspaces and the data: it removes them.
  await server()?.stop();
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

it('keeps a deployment serving across a Berth restart; one cut off mid-build is failed', async () => {
  const accepted = await api('POST', '/environments/production/deployments', {});
  expect(accepted.status).toBe(202);
  const { id } = (await accepted.json()) as { id: string };
  const deployed = await live(id);
  expect(deployed.status, deployed.error ?? deployed.buildLog).toBe('live');
  const target = await first.server.deploys.deploymentTarget(`d-${project.id}-production`);
  expect(target?.deploymentId).toBe(id);

  // As if the last server died mid-build: a row left building.
  const environment = await first.server.database.prisma.deployEnvironment.findFirstOrThrow({
    where: { projectId: project.id, name: 'production' },
  });
  const cutOff = await first.server.database.prisma.deployment.create({
    data: { environmentId: environment.id, snapshotId: deployed.snapshotId, createdById: alice.id, status: 'building' },
  });

  await first.stop({ restart: true });
  second = await startTestServer({}, undefined, { reuse: { dataDir: first.dataDir, scope: first.scope } });
  // Reconciliation runs in the background after start-up; the first requests wait for it: the
  // deployment's host serves at once, and the history below already shows the cut-off build failed.
  const onHost = await rawGet(second.baseUrl, '/', {
    Host: `d-${project.id}-production.localhost:${new URL(second.baseUrl).port}`,
  });
  expect(onHost.status).toBe(200);
  expect(JSON.parse(onHost.body)).toMatchObject({ message: 'Hello from Express' });

  const history = (await (await api('GET', '/environments/production/deployments')).json()) as DeploymentSummaryDto[];
  expect(history.map((item) => [item.id, item.status])).toEqual([
    [cutOff.id, 'failed'],
    [id, 'live'],
  ]);
  const adopted = await second.server.deploys.deploymentTarget(`d-${project.id}-production`);
  expect(adopted?.deploymentId).toBe(id);
  const response = await fetch(adopted!.endpoint.url);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ message: 'Hello from Express' });
  // The deployment container is no workspace: the runtime lists the project's workspace once at most.
  const workspaces = await second.server.runtime.list();
  expect(workspaces.filter((workspace) => workspace.projectId === project.id).length).toBeLessThanOrEqual(1);
}, 180_000);
