// GET /api/v1/projects/:id/export.zip?check=1 (real workspace, real agent, embedded PostgreSQL):
// the answer a ZIP download would start with, without its bytes — 204 when the ZIP can be made,
// the same 422 unexportable_name once a file name has a backslash — and the dashboard's check
// (components/dashboard/zip-export-check.ts) reads it as "ok" / "refused" with the server's message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkZipExport } from '../../components/dashboard/zip-export-check';
import type { ProjectDto } from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
import { call, createSignedInUser, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import type { TestSocket } from '../test-support/socket-client';

let t: TestServer, alice: TestUser, bob: TestUser, project: ProjectDto, tab: TestSocket;

beforeAll(async () => {
  ({
    t,
    user: alice,
    project,
    tab,
  } = await openProjectFixture({
    name: 'Export check',
    template: 'static-html',
    env: { SNAPSHOT_DEBOUNCE_SECONDS: '3600' },
    running: true,
  }));
  bob = await createSignedInUser(t.baseUrl);
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab });
});

/** The dashboard's own fetch, sent to the test server with Alice's cookie. */
const asAlice: typeof fetch = (input, init) =>
  fetch(new URL(String(input), t.baseUrl), { ...init, headers: { cookie: alice.cookie } });

describe('export.zip?check=1', () => {
  it('answers 204 with no body when the ZIP can be made, and the dashboard goes on to download', async () => {
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/export.zip?check=1`, {
      cookie: alice.cookie,
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(await response.text()).toBe('');
    expect(await checkZipExport(project.id, asAlice)).toEqual({ status: 'ok' });
  });

  it('is 404 for anyone but the owner', async () => {
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/export.zip?check=1`, { cookie: bob.cookie }))
        .status,
    ).toBe(404);
  });

  it('answers the 422 unexportable_name once a name has a backslash; the dashboard shows its message', async () => {
    const made = await run(t.server.runtime, project.id, ['sh', '-c', `printf one > 'a\\b.txt'`]);
    expect(made.code).toBe(0);
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/export.zip?check=1`, {
      cookie: alice.cookie,
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; message: string; path: string; count: number };
    expect(body).toMatchObject({ error: 'unexportable_name', path: 'a\\b.txt', count: 1 });
    const check = await checkZipExport(project.id, asAlice);
    expect(check).toEqual({ status: 'refused', message: body.message, path: 'a\\b.txt' });
    // The download itself answers the same.
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/export.zip`, { cookie: alice.cookie })).status,
    ).toBe(422);
  });
});
