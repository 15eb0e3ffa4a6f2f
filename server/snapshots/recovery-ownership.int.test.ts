// Restore after recovery (real workspace, real engine, embedded PostgreSQL): a workspace whose
// volume is lost comes back from its latest snapshot with every folder owned by the workspace
// user (uid 1000), so the user can create files in them and another snapshot can be restored.
// (Folders used to be created by the engine's extraction as root: EACCES, 502 on restore.)
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDto, WorkspaceStatusDto } from '../contracts';
import { containerName, volumeName } from '../runtime/docker/names';
import { run } from '../runtime/runtime-test-helpers';
import { call, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let t: TestServer, alice: TestUser, project: ProjectDto, tab: TestSocket;

beforeAll(async () => {
  ({
    t,
    user: alice,
    project,
    tab,
  } = await openProjectFixture({ name: 'Recovery', env: { SNAPSHOT_DEBOUNCE_SECONDS: '3600' }, running: true }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab });
});

const sh = async (script: string) => {
  const result = await run(t.server.runtime, project.id, ['sh', '-c', script]);
  return { code: result.code, output: result.output };
};
const snapshot = async (label: string) => {
  const response = await call(
    t.baseUrl,
    'POST',
    `/api/v1/projects/${project.id}/snapshots`,
    { cookie: alice.cookie },
    { label },
  );
  expect(response.status).toBe(201);
  return (await response.json()) as SnapshotDto;
};

describe('a workspace recovered from its snapshot', () => {
  it('belongs to the workspace user: new files in restored folders, and another snapshot restores', async () => {
    await sh('mkdir -p src/lib/deep docs && printf one > src/lib/deep/a.txt && printf doc > docs/readme.md');
    const first = await snapshot('first');
    await sh('printf two > src/lib/deep/b.txt && printf changed > docs/readme.md');
    await snapshot('second');

    expect((await tab.ok<WorkspaceStatusDto>('workspace:stop', { projectId: project.id })).state).toBe('stopped');
    const docker = new Dockerode();
    await docker.getContainer(containerName(project.id)).remove({ force: true });
    await docker.getVolume(volumeName(project.id)).remove();
    const status = await openRunningWorkspace(tab, project.id);
    expect(status.restoredFrom).toBeDefined();

    expect(await sh('id -u; stat -c "%n %u" src src/lib src/lib/deep docs src/lib/deep/b.txt')).toEqual({
      code: 0,
      output: '1000\nsrc 1000\nsrc/lib 1000\nsrc/lib/deep 1000\ndocs 1000\nsrc/lib/deep/b.txt 1000\n',
    });
    expect(await sh('printf mine > src/lib/deep/new.txt && mkdir docs/more && cat src/lib/deep/new.txt')).toEqual({
      code: 0,
      output: 'mine',
    });

    const restored = await call(
      t.baseUrl,
      'POST',
      `/api/v1/projects/${project.id}/snapshots/${first.id}/restore`,
      { cookie: alice.cookie },
      {},
    );
    const body = (await restored.json()) as unknown;
    expect(restored.status, JSON.stringify(body)).toBe(200);
    expect((await sh('cat docs/readme.md; test -e src/lib/deep/b.txt || echo " b-gone"')).output).toBe('doc b-gone\n');
  });
});
