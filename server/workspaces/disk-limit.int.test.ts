// WORKSPACE_DISK_GB on a real server, the real engine and PostgreSQL (ADR 0006), with a small
// limit (0.05 GB): fallocate/dd in /workspace cannot pass it, GET /api/v1/projects/:id/workspace
// reports `disk: {usedBytes, limitBytes, enforcement}`, a save into the full disk is refused
// with the old content kept, and filling the writable layer (/tmp) past the limit stops the
// workspace with disk_full; the next start clears that layer and keeps /workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminWorkspaceDto, ProjectDto, WorkspaceStatusDto } from '../contracts';
import { run } from '../runtime/runtime-test-helpers';
import { call, signIn, signUp, startTestServer, uniqueEmail, type TestServer } from '../test-support/api-test-server';

const LIMIT = Math.round(0.05 * 1024 ** 3);
const MiB = 1024 * 1024;

let t: TestServer;
let user: { cookie: string };
let project: ProjectDto;

beforeAll(async () => {
  const email = uniqueEmail();
  // The user is an admin too, to read the admin page's disk figure.
  t = await startTestServer({
    WORKSPACE_DISK_GB: '0.05',
    WORKSPACE_DISK_CHECK_SECONDS: '1',
    BERTH_ADMIN_EMAILS: email,
  });
  const { body } = await signUp(t.baseUrl, { email });
  user = { cookie: (await signIn(t.baseUrl, email, body.password)).cookie! };
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: user.cookie },
      { name: 'Disk app', template: 'static-html' },
    )
  ).json()) as ProjectDto;
  expect((await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, { cookie: user.cookie })).status).toBe(
    200,
  );
}, 120_000);
afterAll(async () => t?.stop());

const sh = (script: string) => run(t.server.runtime, project.id, ['sh', '-c', script]);
const workspace = async () =>
  (await (
    await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/workspace`, { cookie: user.cookie })
  ).json()) as WorkspaceStatusDto;
const fileUrl = (file: string) =>
  `${t.baseUrl}/api/v1/projects/${project.id}/files/content?path=${encodeURIComponent(file)}`;
const save = (file: string, body: string) =>
  fetch(fileUrl(file), { method: 'PUT', headers: { Cookie: user.cookie, Origin: t.origin }, body });
const read = async (file: string) => (await fetch(fileUrl(file), { headers: { Cookie: user.cookie } })).text();

async function waitForStatus(
  check: (status: WorkspaceStatusDto) => boolean,
  timeoutMs = 20_000,
): Promise<WorkspaceStatusDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await workspace();
    if (check(status)) return status;
    if (Date.now() > deadline) throw new Error(`workspace status never matched; last ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('workspace disk limit', () => {
  it('reports disk usage on the REST workspace endpoint', async () => {
    const status = await waitForStatus((s) => s.disk !== undefined);
    expect(status.disk).toEqual({ usedBytes: expect.any(Number), limitBytes: LIMIT, enforcement: 'filesystem' });
    expect(status.disk!.usedBytes).toBeLessThan(5 * MiB);
  });

  it('keeps fallocate and dd in /workspace under the limit, and says so', async () => {
    expect((await save('notes.txt', 'old content')).status).toBe(200);
    const filled = await sh(
      'fallocate -l 200M /workspace/big; dd if=/dev/zero of=/workspace/fill bs=1M count=200 2>&1; echo "total=$(du -sb /workspace | cut -f1)"',
    );
    expect(filled.output).toMatch(/No space left on device/);
    const total = Number(/total=(\d+)/.exec(filled.output)?.[1]);
    expect(total).toBeGreaterThan(30 * MiB);
    expect(total).toBeLessThanOrEqual(LIMIT);
    const status = await waitForStatus((s) => (s.disk?.usedBytes ?? 0) > 30 * MiB);
    expect(status.state).toBe('running');
    expect(status.disk!.usedBytes).toBeLessThanOrEqual(LIMIT);
    // The admin page shows the same figure.
    const rows = (await (
      await call(t.baseUrl, 'GET', '/api/v1/admin/workspaces', { cookie: user.cookie })
    ).json()) as AdminWorkspaceDto[];
    expect(rows.find((row) => row.projectId === project.id)?.disk).toMatchObject({
      limitBytes: LIMIT,
      enforcement: 'filesystem',
      usedBytes: expect.any(Number),
    });
  });

  it('refuses a save into the full disk and keeps the old content', async () => {
    const refused = await save('notes.txt', 'new content that has nowhere to go '.repeat(2000));
    expect(refused.status).toBe(507);
    expect(await refused.json()).toEqual({
      error: 'disk_full',
      message: 'Disk full: no space left in the workspace to write notes.txt',
    });
    expect(await read('notes.txt')).toBe('old content');
  });

  it('stops the workspace with disk_full when the writable layer takes it past the limit', async () => {
    await sh('rm -f /workspace/big /workspace/fill');
    await sh(`head -c ${LIMIT + MiB} /dev/zero > /tmp/fill`);
    const stopped = await waitForStatus((s) => s.state === 'stopped');
    expect(stopped.error?.code).toBe('disk_full');
    expect(stopped.error?.message).toMatch(/disk limit of 51 MB exceeded .* outside \/workspace/);

    // Starting again clears that layer (scratch space) and keeps the project's files.
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, { cookie: user.cookie })).status,
    ).toBe(200);
    expect((await sh('ls /tmp/fill 2>&1; cat /workspace/notes.txt')).output).toMatch(/No such file[\s\S]*old content$/);
    const running = await workspace();
    expect(running.state).toBe('running');
    expect(running.error).toBeUndefined();
  }, 60_000);
});
