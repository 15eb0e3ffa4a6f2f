// The deployments API on a real server, real PostgreSQL and the real Docker engine (issue 14):
// the Express template deployed through the API goes live and serves the built app with its
// variables (reached through the engine's endpoint: the d- host router is not built yet); a
// second deploy replaces it, a failing build leaves it serving, a rollback brings the first back
// without a build; one build per environment (409), the per-user quota (429), another user's
// project is 404 on every route, 400 and 401; deleting the environment removes its containers
// and images. Everything in the server's scope is removed afterwards, even on failure.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentDto, DeploymentSummaryDto, DeploymentVariableDto, EnvironmentDto } from '../contracts';
import { MASKED_VALUE } from '../contracts';
import { testDocker } from '../runtime/docker/docker-test-support';
import { call, createSignedInUser, type TestUser } from '../test-support/api-test-server';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../test-support/project-fixture';

const docker = testDocker();
const templatesDir = path.resolve(import.meta.dirname, '..', '..', 'docker', 'templates');
let fixture: ProjectFixture;
let bob: TestUser;
let base: string;

const appSource = (version: string) => `import express from 'express';
const app = express();
app.get('/', (req, res) => res.json({ version: '${version}', greeting: process.env.GREETING ?? null, token: process.env.TOKEN ?? null }));
app.listen(Number(process.env.PORT) || 3000, '0.0.0.0');
`;

async function writeFile(path: string, content: string) {
  const { t, user, project } = fixture;
  const response = await fetch(
    `${t.baseUrl}/api/v1/projects/${project.id}/files/content?path=${encodeURIComponent(path)}`,
    { method: 'PUT', headers: { Cookie: user.cookie, Origin: t.origin }, body: content },
  );
  expect(response.status).toBe(200);
}

const as = (user: TestUser | null, method: string, route: string, body?: unknown) =>
  call(fixture.t.baseUrl, method, `${base}${route}`, user ? { cookie: user.cookie } : {}, body);

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Polls the deployment until it is no longer queued, building or starting. */
async function settled(environment: string, id: string, timeoutMs = 120_000): Promise<DeploymentDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dto = await json<DeploymentDto>(
      await as(fixture.user, 'GET', `/environments/${environment}/deployments/${id}`),
      200,
    );
    if (!['queued', 'building', 'starting'].includes(dto.status)) return dto;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${dto.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function deploy(environment = 'production'): Promise<DeploymentDto> {
  const { id } = await json<{ id: string }>(
    await as(fixture.user, 'POST', `/environments/${environment}/deployments`, {}),
    202,
  );
  return settled(environment, id);
}

/** What the environment serves now, through the lookup the host router will use. */
async function served(environment = 'production') {
  const target = await fixture.t.server.deploys.deploymentTarget(`d-${fixture.project.id}-${environment}`);
  expect(target).not.toBeNull();
  expect(target).toMatchObject({ ownerId: fixture.user.id, private: false });
  const response = await fetch(target!.endpoint.url);
  expect(response.status).toBe(200);
  return { deploymentId: target!.deploymentId, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  fixture = await openProjectFixture({
    name: 'Deployed API',
    template: 'express-api',
    running: true,
    env: { DEPLOYMENTS_MAX_PER_USER: '1', DEPLOY_IMAGES_KEPT: '5' },
  });
  bob = await createSignedInUser(fixture.t.baseUrl);
  base = `/api/v1/projects/${fixture.project.id}`;
}, 120_000);

afterAll(async () => {
  const scope = fixture?.t.scope;
  await closeProjectFixture(fixture ?? {});
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

describe('deployments API (real Docker, real PostgreSQL)', () => {
  let first: DeploymentDto;
  let second: DeploymentDto;

  it('refuses signed-out callers, other users and malformed bodies', async () => {
    expect((await as(null, 'GET', '/environments')).status).toBe(401);
    expect((await as(null, 'POST', '/environments/production/deployments', {})).status).toBe(401);
    const routes: [string, string, unknown?][] = [
      ['GET', '/environments'],
      ['POST', '/environments', { name: 'staging' }],
      ['GET', '/environments/production/variables'],
      ['PUT', '/environments/production/variables', { variables: [] }],
      ['POST', '/environments/production/deployments', {}],
      ['GET', '/environments/production/deployments'],
      ['GET', '/environments/production/deployments/nope'],
      ['POST', '/environments/production/deployments/nope/rollback'],
      ['POST', '/environments/production/stop'],
      ['DELETE', '/environments/production'],
    ];
    for (const [method, route, body] of routes)
      expect((await as(bob, method, route, body)).status, `${method} ${route}`).toBe(404);

    const badName = await json<{ fields?: Record<string, unknown> }>(
      await as(fixture.user, 'POST', '/environments', { name: 'Bad Name' }),
      400,
    );
    expect(JSON.stringify(badName)).toContain('name');
    await json(
      await as(fixture.user, 'PUT', '/environments/production/variables', { variables: [{ name: '1X', value: 'v' }] }),
      400,
    );
    await json(await as(fixture.user, 'GET', '/environments/nowhere/deployments'), 404);
  });

  it('has production by default; variables are stored, secrets answered masked', async () => {
    // A dialog's first requests come at once: each makes production if it is missing, none fails.
    const [environments, variables] = await Promise.all([
      as(fixture.user, 'GET', '/environments').then((response) => json<EnvironmentDto[]>(response, 200)),
      as(fixture.user, 'GET', '/environments/production/variables').then((response) => json(response, 200)),
    ]);
    expect(variables).toEqual({ variables: [] });
    expect(environments).toEqual([expect.objectContaining({ name: 'production', private: false, current: null })]);
    const put = await json<{ variables: DeploymentVariableDto[] }>(
      await as(fixture.user, 'PUT', '/environments/production/variables', {
        variables: [
          { name: 'GREETING', value: 'hello from the environment' },
          { name: 'TOKEN', value: 'token-1234', secret: true },
        ],
      }),
      200,
    );
    expect(put.variables).toEqual([
      { name: 'GREETING', value: 'hello from the environment', secret: false },
      { name: 'TOKEN', value: MASKED_VALUE, secret: true },
    ]);
    // Sent back masked, the secret keeps its value (checked in the app below).
    await json(await as(fixture.user, 'PUT', '/environments/production/variables', { variables: put.variables }), 200);
  });

  it('deploys the Express template: live, serving the built app with its variables; one build at a time', async () => {
    await writeFile('index.js', appSource('one'));
    const { id } = await json<{ id: string }>(
      await as(fixture.user, 'POST', '/environments/production/deployments', {}),
      202,
    );
    await json(await as(fixture.user, 'POST', '/environments/production/deployments', {}), 409);
    first = await settled('production', id);
    expect(first.status, first.error ?? first.buildLog).toBe('live');
    expect(first.buildLog).toContain('Build finished');
    expect(first.buildLog).not.toContain('token-1234');
    expect(first.plan).toMatchObject({ framework: 'node' });
    expect(first.imageKept).toBe(true);
    expect(await served()).toEqual({
      deploymentId: first.id,
      body: { version: 'one', greeting: 'hello from the environment', token: 'token-1234' },
    });
  }, 150_000);

  it('refuses a deploy of another environment over DEPLOYMENTS_MAX_PER_USER with 429', async () => {
    await json(await as(fixture.user, 'POST', '/environments', { name: 'staging', private: true }), 201);
    await json(await as(fixture.user, 'POST', '/environments', { name: 'staging' }), 409);
    const refused = await json<{ error: string }>(
      await as(fixture.user, 'POST', '/environments/staging/deployments', {}),
      429,
    );
    expect(refused.error).toBe('quota_exceeded');
    await json(await as(fixture.user, 'DELETE', '/environments/staging'), 204);
  });

  it('a second deploy replaces the first; a failing build keeps it serving', async () => {
    await writeFile('index.js', appSource('two'));
    second = await deploy();
    expect(second.status, second.error ?? second.buildLog).toBe('live');
    expect((await served()).body).toMatchObject({ version: 'two' });

    const manifest = JSON.parse(
      await (
        await call(fixture.t.baseUrl, 'GET', `${base}/files/content?path=package.json`, { cookie: fixture.user.cookie })
      ).text(),
    ) as { scripts: Record<string, string> };
    await writeFile(
      'package.json',
      JSON.stringify({ ...manifest, scripts: { ...manifest.scripts, build: 'echo about to fail; exit 3' } }),
    );
    const failed = await deploy();
    expect(failed.status).toBe('failed');
    expect(failed.buildLog).toContain('about to fail');
    expect(failed.imageKept).toBe(false);
    expect(failed.error).toBeTruthy();
    expect(await served()).toMatchObject({ deploymentId: second.id, body: { version: 'two' } });

    const history = await json<DeploymentSummaryDto[]>(
      await as(fixture.user, 'GET', '/environments/production/deployments'),
      200,
    );
    expect(history.map((item) => [item.id, item.status])).toEqual([
      [failed.id, 'failed'],
      [second.id, 'live'],
      [first.id, 'superseded'],
    ]);
    // Only a deployment that went live can be rolled back to.
    await json(await as(fixture.user, 'POST', `/environments/production/deployments/${failed.id}/rollback`), 409);
  }, 240_000);

  it('rolls back to the first without a build', async () => {
    const { id } = await json<{ id: string }>(
      await as(fixture.user, 'POST', `/environments/production/deployments/${first.id}/rollback`),
      202,
    );
    const rolledBack = await settled('production', id, 30_000);
    expect(rolledBack).toMatchObject({ status: 'live', rollbackOf: first.id });
    expect(rolledBack.buildLog).not.toContain('Build finished');
    expect(await served()).toEqual({
      deploymentId: id,
      body: { version: 'one', greeting: 'hello from the environment', token: 'token-1234' },
    });
  }, 60_000);

  it('stop, then delete: containers and images gone', async () => {
    await json(await as(fixture.user, 'POST', '/environments/production/stop'), 204);
    expect(await fixture.t.server.deploys.deploymentTarget(`d-${fixture.project.id}-production`)).toBeNull();
    await json(await as(fixture.user, 'DELETE', '/environments/production'), 204);
    const label = [`berth.scope=${fixture.t.scope}`, `berth.project=${fixture.project.id}`, 'berth.deployment'];
    expect(await docker.listContainers({ all: true, filters: { label } })).toEqual([]);
    expect(await docker.listImages({ filters: { label } })).toEqual([]);
    // production comes back, empty, on first use.
    const environments = await json<EnvironmentDto[]>(await as(fixture.user, 'GET', '/environments'), 200);
    expect(environments).toEqual([expect.objectContaining({ name: 'production', current: null })]);
  }, 60_000);
  it('deleting the project removes its deployments', async () => {
    // The template's own package.json again (the test above broke its build).
    await writeFile('package.json', readFileSync(path.join(templatesDir, 'express-api', 'package.json'), 'utf8'));
    const again = await deploy();
    expect(again.status, again.error ?? again.buildLog).toBe('live');
    const label = [`berth.scope=${fixture.t.scope}`, `berth.project=${fixture.project.id}`, 'berth.deployment'];
    expect(await docker.listContainers({ all: true, filters: { label } })).toHaveLength(1);
    await json(await call(fixture.t.baseUrl, 'DELETE', base, { cookie: fixture.user.cookie }), 204);
    // Removed after the project's rows (the deletion's event): wait for the engine to say so.
    const left = async () =>
      [
        ...(await docker.listContainers({ all: true, filters: { label } })),
        ...(await docker.listImages({ filters: { label } })),
      ].length;
    const deadline = Date.now() + 30_000;
    while ((await left()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await docker.listContainers({ all: true, filters: { label } })).toEqual([]);
    expect(await docker.listImages({ filters: { label } })).toEqual([]);
  }, 90_000);
});
