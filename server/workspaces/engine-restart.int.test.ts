// A restart of the Docker engine (dockerd stopped with SIGTERM and started again, the way
// scripts/docker-engine.mjs starts it: with live-restore) leaves the workspace running — same
// container, no restart — and Berth reattaches by itself: the same shell answers through its
// terminal, the dev server still serves through the preview, and file changes reach the browser
// again. Restarting dockerd disturbs everyone on this engine: run it under the heavy lock,
//   flock /tmp/berth-heavy.lock npx vitest run server/workspaces/engine-restart.int.test.ts
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FileChange, PreviewDto, ProjectDto, TerminalAttachDto, WorkspaceStatusDto } from '../contracts';
import { waitUntil } from '../runtime/runtime-test-helpers';
import { containerName } from '../runtime/docker/names';
import { rawGet } from '../preview/test-helpers';
import { call, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { engineLiveRestore, restartDockerd } from '../../scripts/docker-engine.mjs';

const DEV_SERVER =
  "require('http').createServer((q,r)=>r.end('dev-server-up '+process.pid)).listen(3000,()=>console.log('dev-listening'))";

let t: TestServer, alice: TestUser, project: ProjectDto, tab: TestSocket;

beforeAll(async () => {
  ({ t, user: alice, project, tab } = await openProjectFixture({ name: 'Engine restart' }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab });
}, 60_000);

const container = () =>
  JSON.parse(
    execFileSync('docker', ['inspect', '--format', '{{json .}}', containerName(project.id)], { encoding: 'utf8' }),
  ) as { Id: string; RestartCount: number; State: { StartedAt: string; Running: boolean } };

/** Tries `attempt` every `intervalMs` (typing into a terminal each time: not every 20 ms) until it holds. */
async function every(intervalMs: number, timeoutMs: number, attempt: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await attempt());) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function previewOf(port: number): Promise<PreviewDto | undefined> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/previews`, { cookie: alice.cookie });
  return response.status === 200
    ? ((await response.json()) as PreviewDto[]).find((preview) => preview.port === port)
    : undefined;
}

it('keeps the workspace, its shell and dev server across a dockerd restart, and reattaches terminal and watcher', async () => {
  expect(
    await engineLiveRestore(),
    'the engine must run with live-restore (scripts/docker-engine.mjs starts it so)',
  ).toBe(true);
  await openRunningWorkspace(tab, project.id);
  const shell = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 100, rows: 30 });
  const shellOut = tab.output(shell.id);
  await tab.ok('terminal:input', { terminalId: shell.id, data: 'KEPT=kept-$((6*7)); echo set-$((40+2))\r' });
  await shellOut.until(/set-42/);
  const dev = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 100, rows: 30 });
  const devOut = tab.output(dev.id);
  await tab.ok('terminal:input', { terminalId: dev.id, data: `node -e "${DEV_SERVER}"\r` });
  await devOut.until(/dev-listening/);
  await waitUntil(async () => (await previewOf(3000)) !== undefined, 20_000);
  const before = container();
  const pageBefore = await rawGet(t.baseUrl, '/', { Host: new URL((await previewOf(3000))!.url).host });
  expect(pageBefore.body).toMatch(/^dev-server-up \d+$/);
  const statuses: WorkspaceStatusDto[] = [];
  tab.socket.on(
    'workspace:status',
    (status: WorkspaceStatusDto) => status.projectId === project.id && statuses.push(status),
  );

  await restartDockerd();

  // The same container, never restarted.
  const after = container();
  expect(after).toMatchObject({
    Id: before.Id,
    RestartCount: 0,
    State: { StartedAt: before.State.StartedAt, Running: true },
  });

  // The same shell answers through Berth's terminal, once Berth has reattached by itself.
  await every(500, 20_000, async () => {
    // Refused (terminal_not_running) until Berth has reattached: keys sent before go nowhere.
    const sent = await tab.call('terminal:input', { terminalId: shell.id, data: 'echo "answer=$KEPT"\r' });
    return sent.ok && /answer=kept-42/.test(shellOut.text().replace(/\x1b\[[0-9;?]*[A-Za-z]|\r/g, ''));
  });

  // The dev server still serves (the same process), through the agent's port again.
  await every(500, 20_000, async () => {
    const preview = await previewOf(3000);
    return (
      preview !== undefined &&
      (await rawGet(t.baseUrl, '/', { Host: new URL(preview.url).host }).catch(() => undefined))?.body ===
        pageBefore.body
    );
  });

  // A file changed after the restart reaches the browser.
  const changed = tab.waitFor<{ projectId: string; changes: FileChange[] }>(
    'fs:changed',
    (payload) => payload.changes.some((change) => change.path === 'after-restart.txt'),
    20_000,
  );
  await tab.ok('terminal:input', { terminalId: shell.id, data: 'touch after-restart.txt\r' });
  await changed;

  const terminals = await tab.ok<{ id: string; state: string }[]>('terminal:list', { projectId: project.id });
  expect(terminals.map((terminal) => terminal.state)).toEqual(['running', 'running']);
  // Running throughout: a blip through starting would make the tabs rebuild their terminals.
  expect(statuses.filter((status) => status.state !== 'running')).toEqual([]);
  // How long the echo takes to come back is a figure of bench/reliability-engine.bench.ts.
}, 180_000);
