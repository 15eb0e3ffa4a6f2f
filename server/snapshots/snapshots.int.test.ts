// Snapshots end to end: a real server, a real workspace container with the real agent, the
// embedded PostgreSQL. Edit, snapshot, compare, restore the project and one file; lose the
// volume (`docker volume rm`) and get the files back on the next start.
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDiffEntry, SnapshotDto, WorkspaceStatusDto } from '../contracts';
import { containerName, volumeName } from '../runtime/docker/names';
import { run } from '../runtime/runtime-test-helpers';
import { call, createSignedInUser, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let project: ProjectDto;
let tab: TestSocket;

beforeAll(async () => {
  ({
    t,
    user: alice,
    project,
    tab,
  } = await openProjectFixture({ name: 'Snapshots', env: { SNAPSHOT_DEBOUNCE_SECONDS: '3600' }, running: true }));
  bob = await createSignedInUser(t.baseUrl);
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab });
});

const route = (suffix = '') => `/api/v1/projects/${project.id}/snapshots${suffix}`;
const sh = async (script: string) => {
  const result = await run(t.server.runtime, project.id, ['sh', '-c', script]);
  if (result.code !== 0) throw new Error(`${script}: ${result.output}`);
  return result.output;
};
async function json<T>(
  method: string,
  path: string,
  body?: unknown,
  user: TestUser = alice,
): Promise<{ status: number; body: T }> {
  const response = await call(t.baseUrl, method, path, { cookie: user.cookie }, body);
  return { status: response.status, body: (await response.json()) as T };
}

describe('snapshots end to end', () => {
  let first: SnapshotDto;

  it('takes a labelled snapshot of the files, without node_modules, .env or the home folder', async () => {
    await sh(
      'mkdir -p src node_modules/lib && printf "one" > src/a.txt && printf "two" > src/b.txt && head -c 3000 /dev/urandom > logo.bin && chmod 755 index.js && ln -s src/a.txt link && echo x > node_modules/lib/x.js && echo SECRET=1 > .env',
    );
    const taken = await json<SnapshotDto>('POST', route(), { label: 'first' });
    expect(taken.status).toBe(201);
    first = taken.body;
    expect(first).toMatchObject({ label: 'first', reason: 'manual' });
    const diff = await json<SnapshotDiffEntry[]>('GET', route(`/${first.id}/diff`));
    expect(diff.body).toEqual([]);
    const paths = await json<SnapshotDiffEntry[]>('GET', route(`/${first.id}/diff`));
    expect(paths.status).toBe(200);
    const file = await call(t.baseUrl, 'GET', route(`/${first.id}/file?path=src%2Fa.txt`), { cookie: alice.cookie });
    expect(await file.text()).toBe('one');
    for (const ignored of ['node_modules/lib/x.js', '.env', '.home/.bash_history']) {
      expect(
        (
          await call(t.baseUrl, 'GET', route(`/${first.id}/file?path=${encodeURIComponent(ignored)}`), {
            cookie: alice.cookie,
          })
        ).status,
      ).toBe(404);
    }
  });

  it('shows what differs from now, and restores the whole project after a safety snapshot', async () => {
    await sh('printf "ONE" > src/a.txt && rm src/b.txt && printf "new" > src/c.txt && chmod 644 index.js');
    const diff = await json<SnapshotDiffEntry[]>('GET', route(`/${first.id}/diff`));
    expect(diff.body).toEqual([
      { path: 'index.js', status: 'modified' },
      { path: 'src/a.txt', status: 'modified' },
      { path: 'src/b.txt', status: 'deleted' },
      { path: 'src/c.txt', status: 'added' },
    ]);
    const restored = await json<{ safetySnapshotId: string; written: number; deleted: number }>(
      'POST',
      route(`/${first.id}/restore`),
      {},
    );
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ written: 3, deleted: 1 });
    expect(
      await sh('cat src/a.txt src/b.txt; test -e src/c.txt || echo " c-gone"; stat -c %a index.js; readlink link'),
    ).toBe('onetwo c-gone\n755\nsrc/a.txt\n');
    const list = await json<SnapshotDto[]>('GET', route());
    expect(list.body.find((snapshot) => snapshot.id === restored.body.safetySnapshotId)).toMatchObject({
      reason: 'safety',
    });
  });

  it('restores one file from the safety snapshot', async () => {
    const safety = (await json<SnapshotDto[]>('GET', route())).body.find((snapshot) => snapshot.reason === 'safety')!;
    const one = await json<unknown>('POST', route(`/${safety.id}/restore`), { path: 'src/c.txt' });
    expect(one.status).toBe(200);
    expect(await sh('cat src/c.txt src/a.txt')).toBe('newone');
    const before = (await json<SnapshotDto[]>('GET', route())).body.length;
    expect((await json<unknown>('POST', route(`/${safety.id}/restore`), { path: 'nope.txt' })).status).toBe(404);
    // A refused restore touches nothing, not even a safety snapshot.
    expect((await json<SnapshotDto[]>('GET', route())).body).toHaveLength(before);
  });

  it('is the owner’s only', async () => {
    expect((await json<unknown>('GET', route(), undefined, bob)).status).toBe(404);
    expect((await json<unknown>('POST', route(`/${first.id}/restore`), {}, bob)).status).toBe(404);
  });

  it('a project whose volume is gone comes back from its latest snapshot, and says so', async () => {
    const stopped = await tab.ok<WorkspaceStatusDto>('workspace:stop', { projectId: project.id });
    expect(stopped.state).toBe('stopped');
    // The stop took a snapshot of what was there (src/c.txt restored above included).
    const all = (await json<SnapshotDto[]>('GET', route())).body;
    const latest = all[0]!;
    expect(latest.reason).toBe('stop');
    const docker = new Dockerode();
    await docker.getContainer(containerName(project.id)).remove({ force: true });
    await docker.getVolume(volumeName(project.id)).remove();
    const status = await openRunningWorkspace(tab, project.id);
    expect(status.restoredFrom).toEqual({ snapshotId: latest.id, createdAt: latest.createdAt });
    expect(
      await sh(
        'cat src/a.txt src/b.txt src/c.txt; stat -c "%a %U" index.js; readlink link; test -e node_modules || echo no-node-modules',
      ),
    ).toBe('onetwonew755 dev\nsrc/a.txt\nno-node-modules\n');
    expect(await sh('cmp logo.bin logo.bin && wc -c < logo.bin')).toBe('3000\n');
  });
});
