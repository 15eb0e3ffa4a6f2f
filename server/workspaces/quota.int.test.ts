// WORKSPACE_MAX_RUNNING_PER_USER on a real server and the real Docker engine: a start past
// the limit is refused with quota_exceeded (429 over REST, the status over Socket.IO), the
// running workspace keeps running, and the refused one starts once the other has stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, WorkspaceStatusDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await startTestServer({ WORKSPACE_MAX_RUNNING_PER_USER: '1' });
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
}, 120_000);
afterAll(async () => t?.stop());

const newProject = async (user: TestUser, name: string) =>
  (await (
    await call(t.baseUrl, 'POST', '/api/v1/projects', { cookie: user.cookie }, { name, template: 'static-html' })
  ).json()) as ProjectDto;

describe('running workspaces per user', () => {
  it('refuses a second start with quota_exceeded; the first keeps running', async () => {
    const first = await newProject(alice, 'First app');
    const second = await newProject(alice, 'Second app');
    const client = await connectAs(t, alice);
    try {
      await openRunningWorkspace(client, first.id);

      const refused = client.waitFor<WorkspaceStatusDto>(
        'workspace:status',
        (status) => status.projectId === second.id && status.state === 'error',
      );
      await client.ok('workspace:open', { projectId: second.id });
      const status = await refused;
      expect(status.error).toEqual({
        code: 'quota_exceeded',
        message: 'You already have a workspace running (First app). Stop one to start this one.',
      });

      const rest = await call(t.baseUrl, 'POST', `/api/v1/projects/${second.id}/start`, { cookie: alice.cookie });
      expect(rest.status).toBe(429);
      expect(await rest.json()).toMatchObject({ error: 'quota_exceeded' });
      // Any path that needs the workspace running is refused the same way (files here).
      expect(
        (await call(t.baseUrl, 'GET', `/api/v1/projects/${second.id}/files`, { cookie: alice.cookie })).status,
      ).toBe(429);

      const firstStatus = (await (
        await call(t.baseUrl, 'GET', `/api/v1/projects/${first.id}/workspace`, { cookie: alice.cookie })
      ).json()) as WorkspaceStatusDto;
      expect(firstStatus.state).toBe('running');

      // Another user has a limit of their own.
      const bobs = await newProject(bob, 'Bob app');
      expect((await call(t.baseUrl, 'POST', `/api/v1/projects/${bobs.id}/start`, { cookie: bob.cookie })).status).toBe(
        200,
      );

      await client.ok('workspace:stop', { projectId: first.id });
      expect(
        (await call(t.baseUrl, 'POST', `/api/v1/projects/${second.id}/start`, { cookie: alice.cookie })).status,
      ).toBe(200);
    } finally {
      client.close();
    }
  });

  it('lets only one of two racing starts through', async () => {
    const racer = await createSignedInUser(t.baseUrl);
    const [a, b] = await Promise.all([newProject(racer, 'Race A'), newProject(racer, 'Race B')]);
    const results = await Promise.all(
      [a, b].map((project) =>
        call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, { cookie: racer.cookie }),
      ),
    );
    expect(results.map((response) => response.status).sort()).toEqual([200, 429]);
  });
});
