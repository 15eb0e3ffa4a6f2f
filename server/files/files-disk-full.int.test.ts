// A save into a full disk, end to end: the project's volume is a real 2 MiB tmpfs (made before
// its first start), filled up from a shell in the container; then a save must fail with a clear
// disk_full — 507 on REST PUT /files/content, an error ack on fs:write — the previous content
// must stay whole and no temp file may be left behind.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWorkspaceImage } from '../../scripts/workspace-image.mjs';
import type { ProjectDto } from '../contracts';
import { testDocker } from '../runtime/docker/docker-test-support';
import { labelsFor, volumeName } from '../runtime/docker/names';
import { run } from '../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let project: ProjectDto;
let tab: TestSocket;

beforeAll(async () => {
  // The server runs the last built image: build it first when the agent changed.
  await ensureWorkspaceImage({ quiet: true });
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Full disk', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
  // The workspace has not started yet: its volume, made here, is the one it will mount.
  await testDocker().createVolume({
    Name: volumeName(project.id),
    Labels: labelsFor(project.id),
    Driver: 'local',
    DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=2m,uid=1000,gid=1000,mode=0755' },
  });
  tab = await connectAs(t, alice);
  await openRunningWorkspace(tab, project.id);
}, 120_000);

afterAll(async () => {
  tab?.close();
  if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await testDocker()
    .getVolume(volumeName(project.id))
    .remove()
    .catch(() => undefined);
  await t?.stop();
});

const content = (path: string) => `/api/v1/projects/${project.id}/files/content?path=${encodeURIComponent(path)}`;
const sh = async (script: string) => (await run(t.server.runtime, project.id, ['sh', '-c', script])).output;
const request = (method: string, path: string, body?: string) =>
  fetch(`${t.baseUrl}${content(path)}`, { method, body, headers: { Cookie: alice.cookie, Origin: t.origin } });

it('answers disk_full (507 over REST, an error ack over the socket) and keeps the previous content whole', async () => {
  const original = 'the previous content\n'.repeat(100);
  const saved = await request('PUT', 'keep.txt', original);
  expect(saved.status).toBe(200);
  const { version } = (await saved.json()) as { version: string };
  // Fill what is left; dd stops at ENOSPC.
  await sh('dd if=/dev/zero of=/workspace/filler bs=64k 2>/dev/null; df -k /workspace | tail -1');
  expect(await sh("df -k /workspace | awk 'NR==2 {print $4}'")).toBe('0\n');

  const rest = await request('PUT', 'keep.txt', 'x'.repeat(512 * 1024));
  expect(rest.status).toBe(507);
  const body = (await rest.json()) as { error: string; message: string };
  expect(body).toMatchObject({ error: 'disk_full' });
  expect(body.message).toMatch(/^Disk full: .*keep\.txt/);

  const ack = await tab.call('fs:write', {
    projectId: project.id,
    path: 'keep.txt',
    content: 'y'.repeat(300 * 1024),
    baseVersion: version,
  });
  expect(ack).toMatchObject({ ok: false, error: { code: 'disk_full' } });
  expect(!ack.ok && ack.error.message).toMatch(/^Disk full: /);

  expect(await (await request('GET', 'keep.txt')).text()).toBe(original);
  expect(await sh("find /workspace -name '.berth-tmp-*'")).toBe('');

  // Space freed: the same save goes through.
  await sh('rm /workspace/filler');
  expect((await request('PUT', 'keep.txt', 'x'.repeat(512 * 1024))).status).toBe(200);
}, 120_000);
