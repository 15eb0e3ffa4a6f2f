// SIGTERM's close: every running workspace is snapshotted, its container keeps running, and the
// next Berth on the same data finds both — the snapshot with the last change, the same container.
import Dockerode from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDto } from '../contracts';
import { containerName } from '../runtime/docker/names';
import { run } from '../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace } from '../test-support/socket-client';

let first: TestServer;
let second: TestServer | undefined;
let alice: TestUser;
let project: ProjectDto;

beforeAll(async () => {
  first = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  alice = await createSignedInUser(first.baseUrl);
  project = (await (
    await call(
      first.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Graceful', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  await (second ?? first)?.stop();
});

it('snapshots running workspaces and leaves them running', async () => {
  const tab = await connectAs(first, alice);
  await openRunningWorkspace(tab, project.id);
  await run(first.server.runtime, project.id, ['sh', '-c', 'echo last-words > shutdown.txt']);
  const startedAt = (await new Dockerode().getContainer(containerName(project.id)).inspect()).State.StartedAt;
  tab.close();

  await first.server.close({ graceful: true });
  await first.stop({ restart: true });
  second = await startTestServer({}, undefined, { reuse: { dataDir: first.dataDir, scope: first.scope } });
  const [latest] = (await (
    await call(second.baseUrl, 'GET', `/api/v1/projects/${project.id}/snapshots`, { cookie: alice.cookie })
  ).json()) as SnapshotDto[];
  expect(latest?.reason).toBe('stop');
  const file = await call(
    second.baseUrl,
    'GET',
    `/api/v1/projects/${project.id}/snapshots/${latest!.id}/file?path=shutdown.txt`,
    { cookie: alice.cookie },
  );
  expect(await file.text()).toBe('last-words\n');
  const info = await new Dockerode().getContainer(containerName(project.id)).inspect();
  expect([info.State.Running, info.State.StartedAt]).toEqual([true, startedAt]);
}, 120_000);
