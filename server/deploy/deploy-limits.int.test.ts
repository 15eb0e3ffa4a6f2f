// Deployments' limits under parallel requests, through the API on the real Docker engine and
// PostgreSQL: DEPLOYMENTS_MAX_PER_USER holds when deploys to several environments arrive at once
// (exactly the ones past it get 429), a stop cancels a build under way, environments per project
// are capped (409 too_many_environments) even when created at once, and a name ending with a dash
// (no DNS label) is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS_MAX_PER_PROJECT, type DeploymentDto } from '../contracts';
import { call } from '../test-support/api-test-server';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../test-support/project-fixture';

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
});
