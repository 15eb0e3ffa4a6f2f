// The set-up most workspace integration tests share: a real test server, a signed-in user, a
// project of theirs and a tab (socket) on it — its workspace running when asked — and the
// matching clean-up.
import type { ProjectDto } from '../contracts';
import { call, createSignedInUser, startTestServer, type TestServer, type TestUser } from './api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from './socket-client';

export interface ProjectFixture {
  t: TestServer;
  user: TestUser;
  project: ProjectDto;
  tab: TestSocket;
}

export interface ProjectFixtureOptions {
  name: string;
  template?: string;
  /** Settings of the test server. */
  env?: Record<string, string>;
  /** Open the workspace and wait until it runs. */
  running?: boolean;
}

export async function openProjectFixture({
  name,
  template = 'blank-node',
  env = {},
  running = false,
}: ProjectFixtureOptions): Promise<ProjectFixture> {
  const t = await startTestServer(env);
  const user = await createSignedInUser(t.baseUrl);
  const response = await call(t.baseUrl, 'POST', '/api/v1/projects', { cookie: user.cookie }, { name, template });
  if (response.status !== 201) throw new Error(`creating the project failed: ${response.status}`);
  const project = (await response.json()) as ProjectDto;
  const tab = await connectAs(t, user);
  if (running) await openRunningWorkspace(tab, project.id);
  return { t, user, project, tab };
}

/** Undoes openProjectFixture; any part may be missing (a set-up that failed half way). */
export async function closeProjectFixture({ t, user, project, tab }: Partial<ProjectFixture>): Promise<void> {
  tab?.close();
  if (t && user && project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: user.cookie });
  await t?.stop();
}
