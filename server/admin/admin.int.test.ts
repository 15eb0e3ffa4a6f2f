// The admin API on a real server and the real Docker engine: hidden from everyone but
// BERTH_ADMIN_EMAILS, lists users and running workspaces, stops and removes any workspace.
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminUserDto, AdminWorkspaceDto, ProjectDto, WorkspaceStatusDto } from '../contracts';
import {
  call,
  createSignedInUser,
  signIn,
  signUp,
  startTestServer,
  uniqueEmail,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';

const docker = new Dockerode();
const adminEmail = uniqueEmail();
let t: TestServer;
let admin: TestUser;
let alice: TestUser;

beforeAll(async () => {
  // Upper case in the setting: emails compare without case.
  t = await startTestServer({ BERTH_ADMIN_EMAILS: ` other@example.test, ${adminEmail.toUpperCase()} ` });
  const { body } = await signUp(t.baseUrl, { email: adminEmail, name: 'Ada Admin' });
  const { cookie } = await signIn(t.baseUrl, body.email, body.password);
  admin = { ...body, id: '', cookie: cookie! };
  alice = await createSignedInUser(t.baseUrl);
}, 120_000);
afterAll(async () => t?.stop());

async function runningProject(user: TestUser, name: string): Promise<ProjectDto> {
  const project = (await (
    await call(t.baseUrl, 'POST', '/api/v1/projects', { cookie: user.cookie }, { name, template: 'static-html' })
  ).json()) as ProjectDto;
  const started = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, { cookie: user.cookie });
  expect(started.status).toBe(200);
  return project;
}

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe('admin API', () => {
  it('answers 404, like an unknown route, to normal users and to nobody signed in', async () => {
    const unknown = await json(await call(t.baseUrl, 'GET', '/api/v1/no-such-thing', { cookie: alice.cookie }));
    for (const [method, route] of [
      ['GET', '/api/v1/admin/users'],
      ['GET', '/api/v1/admin/workspaces'],
      ['POST', '/api/v1/admin/workspaces/x/stop'],
      ['POST', '/api/v1/admin/workspaces/x/remove'],
    ] as const) {
      for (const auth of [{ cookie: alice.cookie }, {}]) {
        const response = await call(t.baseUrl, method, route, auth);
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual(unknown);
      }
    }
    expect(
      (await json<{ isAdmin?: boolean }>(await call(t.baseUrl, 'GET', '/api/v1/me', { cookie: alice.cookie }))).isAdmin,
    ).toBeUndefined();
    expect(
      (await json<{ isAdmin: boolean }>(await call(t.baseUrl, 'GET', '/api/v1/me', { cookie: admin.cookie }))).isAdmin,
    ).toBe(true);
  });

  it('lists users and running workspaces with CPU and memory; stops one', async () => {
    const project = await runningProject(alice, 'alice-app');
    const users = await json<AdminUserDto[]>(
      await call(t.baseUrl, 'GET', '/api/v1/admin/users', { cookie: admin.cookie }),
    );
    const row = users.find((user) => user.email === alice.email);
    expect(row).toMatchObject({ name: 'Test User', projectCount: 1, runningWorkspaces: 1, isAdmin: false });
    expect(users.find((user) => user.email === adminEmail)).toMatchObject({
      isAdmin: true,
      projectCount: 0,
      runningWorkspaces: 0,
    });

    const workspaces = await json<AdminWorkspaceDto[]>(
      await call(t.baseUrl, 'GET', '/api/v1/admin/workspaces', { cookie: admin.cookie }),
    );
    const listed = workspaces.find((workspace) => workspace.projectId === project.id);
    expect(listed).toMatchObject({ projectName: 'alice-app', ownerEmail: alice.email, state: 'running' });
    expect(listed?.stats?.memoryBytes).toBeGreaterThan(0);
    expect(listed?.stats?.memoryLimitBytes).toBeGreaterThan(0);

    const stopped = await call(t.baseUrl, 'POST', `/api/v1/admin/workspaces/${project.id}/stop`, {
      cookie: admin.cookie,
    });
    expect(stopped.status).toBe(200);
    expect((await json<WorkspaceStatusDto>(stopped)).state).toBe('stopped');
    const [container] = await docker.listContainers({ all: true, filters: { label: [`berth.project=${project.id}`] } });
    expect(container?.State).toBe('exited');
    const after = await json<AdminWorkspaceDto[]>(
      await call(t.baseUrl, 'GET', '/api/v1/admin/workspaces', { cookie: admin.cookie }),
    );
    expect(after.some((workspace) => workspace.projectId === project.id)).toBe(false);
  });

  it('removes a workspace (container and volume) but keeps the project; the next start restores the latest snapshot', async () => {
    const project = await runningProject(alice, 'alice-removed');
    const auth = { cookie: alice.cookie };
    const put = await fetch(`${t.baseUrl}/api/v1/projects/${project.id}/files/content?path=kept.txt`, {
      method: 'PUT',
      headers: { Cookie: alice.cookie, Origin: t.origin },
      body: 'still here',
    });
    expect(put.status).toBe(200);

    const removed = await call(t.baseUrl, 'POST', `/api/v1/admin/workspaces/${project.id}/remove`, {
      cookie: admin.cookie,
    });
    expect(removed.status).toBe(200);
    expect((await json<WorkspaceStatusDto>(removed)).state).toBe('stopped');
    expect(await docker.listContainers({ all: true, filters: { label: [`berth.project=${project.id}`] } })).toEqual([]);
    expect(
      await docker
        .listVolumes({ filters: { label: [`berth.project=${project.id}`] } })
        .then((list) => list.Volumes ?? []),
    ).toEqual([]);
    expect((await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}`, auth)).status).toBe(200);

    const restarted = await json<WorkspaceStatusDto>(
      await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, auth),
    );
    expect(restarted.state).toBe('running');
    expect(restarted.restoredFrom).toBeDefined();
    const file = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/files/content?path=kept.txt`, auth);
    expect(await file.text()).toBe('still here');

    expect(
      (await call(t.baseUrl, 'POST', '/api/v1/admin/workspaces/no-such-project/remove', { cookie: admin.cookie }))
        .status,
    ).toBe(404);
  });
});
