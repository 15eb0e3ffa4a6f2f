// Deployments' limits under parallel requests, through the API on the real Docker engine and
// PostgreSQL: DEPLOYMENTS_MAX_PER_USER holds when deploys to several environments arrive at once
// (exactly the ones past it get 429), a stop cancels a build under way, environments per project
// are capped (409 too_many_environments) even when created at once, a name ending with a dash
// (no DNS label) is a 400, and a user follows at most RUNTIME_LOG_STREAMS_PER_USER runtime logs
// at once (429), each ending with `event: end` when the container stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS_MAX_PER_PROJECT, type DeploymentDto } from '../contracts';
import { call } from '../test-support/api-test-server';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../test-support/project-fixture';
import { RUNTIME_LOG_STREAMS_PER_USER } from './runtime-logs';

let fixture: ProjectFixture;
let base: string;

const as = (method: string, route: string, body?: unknown) =>
  call(fixture.t.baseUrl, method, `${base}${route}`, { cookie: fixture.user.cookie }, body);

beforeAll(async () => {
  fixture = await openProjectFixture({
    name: 'Deploy limits',
    template: 'express-api',
    running: true,
    env: { DEPLOYMENTS_MAX_PER_USER: '2' },
  });
  base = `/api/v1/projects/${fixture.project.id}`;
}, 120_000);

afterAll(async () => {
  const scope = fixture?.t.scope;
  await closeProjectFixture(fixture ?? {});
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

describe('deployment limits (real Docker, real PostgreSQL)', () => {
  it('parallel deploys to three environments with a quota of two: exactly one 429', async () => {
    for (const name of ['staging', 'dev']) expect((await as('POST', '/environments', { name })).status).toBe(201);
    const responses = await Promise.all(
      ['production', 'staging', 'dev'].map((name) => as('POST', `/environments/${name}/deployments`, {})),
    );
    const statuses = responses.map((response) => response.status);
    expect([...statuses].sort()).toEqual([202, 202, 429]);
    const refused = responses[statuses.indexOf(429)]!;
    expect(((await refused.json()) as { error: string }).error).toBe('quota_exceeded');

    // Stop cancels the builds under way; each ends failed and counts no more.
    for (const name of ['production', 'staging', 'dev'])
      expect((await as('POST', `/environments/${name}/stop`)).status).toBe(204);
    for (const name of ['production', 'staging', 'dev']) {
      const history = (await (await as('GET', `/environments/${name}/deployments`)).json()) as DeploymentDto[];
      for (const deployment of history) expect(deployment.status, name).toBe('failed');
    }
  }, 180_000);

  it(`caps environments at ${ENVIRONMENTS_MAX_PER_PROJECT} per project, also when created at once`, async () => {
    const listed = (await (await as('GET', '/environments')).json()) as unknown[];
    for (let index = listed.length; index < ENVIRONMENTS_MAX_PER_PROJECT - 1; index += 1)
      expect((await as('POST', '/environments', { name: `env-${index}` })).status).toBe(201);
    const responses = await Promise.all(
      ['last-a', 'last-b', 'last-c'].map((name) => as('POST', '/environments', { name })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409]);
    const refused = responses.find((response) => response.status === 409)!;
    expect(((await refused.json()) as { error: string }).error).toBe('too_many_environments');
    expect(((await (await as('GET', '/environments')).json()) as unknown[]).length).toBe(ENVIRONMENTS_MAX_PER_PROJECT);
  });

  it('refuses a name ending with a dash with 400', async () => {
    expect((await as('POST', '/environments', { name: 'staging-' })).status).toBe(400);
  });

  it(`follows at most ${RUNTIME_LOG_STREAMS_PER_USER} runtime logs per user; each ends with event: end when the container stops`, async () => {
    const accepted = await as('POST', '/environments/production/deployments', {});
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    const deadline = Date.now() + 120_000;
    for (;;) {
      const dto = (await (await as('GET', `/environments/production/deployments/${id}`)).json()) as DeploymentDto;
      if (dto.status === 'live') break;
      expect(['queued', 'building', 'starting'], dto.error ?? dto.buildLog).toContain(dto.status);
      if (Date.now() > deadline) throw new Error(`deployment ${id} still ${dto.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const follow = () =>
      call(fixture.t.baseUrl, 'GET', `${base}/environments/production/logs?tail=0`, { cookie: fixture.user.cookie });
    const open = await Promise.all(Array.from({ length: RUNTIME_LOG_STREAMS_PER_USER }, follow));
    for (const response of open) expect(response.status).toBe(200);
    const refused = await follow();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: string }).error).toBe('too_many_log_streams');

    // One closes: its place is free again once the server saw it go.
    await open[0]!.body!.cancel();
    const freedBy = Date.now() + 10_000;
    let again = await follow();
    while (again.status === 429 && Date.now() < freedBy) {
      await again.text();
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await follow();
    }
    expect(again.status).toBe(200);

    const bodies = [...open.slice(1), again].map((response) => response.text());
    expect((await as('POST', '/environments/production/stop')).status).toBe(204);
    for (const body of await Promise.all(bodies)) {
      expect(body.startsWith('retry: ')).toBe(true);
      expect(body).toContain('event: end\ndata: {"reason":"stopped"}\n\n');
    }
    expect(fixture.t.server.deploys.runtimeLogs.following).toBe(0);
  }, 180_000);
});
