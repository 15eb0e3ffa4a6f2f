// Out of memory on the real engine: a process in a small workspace (WORKSPACE_MEMORY_MB=128)
// allocates until the kernel kills it. Berth says so when it happens — a line in the terminal
// and lastOom in the workspace status — while the workspace and its shell run on; and the
// engine's OOMKilled flag, which stays set, does not label a later, unrelated exit.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto, WorkspaceStatusDto } from '../contracts';
import { containerName } from '../runtime/docker/names';
import { type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

const HOG = "node -e 'a=[];for(;;)a.push(Buffer.alloc(1e6,1))'";

let t: TestServer, alice: TestUser, project: ProjectDto, tab: TestSocket;

beforeAll(async () => {
  ({
    t,
    user: alice,
    project,
    tab,
  } = await openProjectFixture({ name: 'Memory hog', env: { WORKSPACE_MEMORY_MB: '128' } }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab });
}, 60_000);

const mine = (state: WorkspaceStatusDto['state']) => (status: WorkspaceStatusDto) =>
  status.projectId === project.id && status.state === state;

it('reports a process killed for memory in the terminal and the status, and not on a later exit', async () => {
  await openRunningWorkspace(tab, project.id);
  const terminal = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 120, rows: 30 });
  const out = tab.output(terminal.id);
  const reported = tab.waitFor<WorkspaceStatusDto>(
    'workspace:status',
    (status) => mine('running')(status) && status.lastOom !== undefined,
    60_000,
  );
  await tab.ok('terminal:input', { terminalId: terminal.id, data: `${HOG}\r` });

  await out.until(/\[Berth\] A process was killed: the workspace ran out of memory \(limit 128 MB\)/, 60_000);
  expect((await reported).lastOom).toMatchObject({ memoryLimitMb: 128 });
  // The workspace and the shell run on.
  await tab.ok('terminal:input', { terminalId: terminal.id, data: 'echo alive-$((2+3))\r' });
  await out.until(/alive-5/);
  expect(await tab.ok<WorkspaceStatusDto>('workspace:open', { projectId: project.id })).toMatchObject({
    state: 'running',
    lastOom: { memoryLimitMb: 128 },
  });

  // A new start clears it, though the engine's flag may stay set.
  await tab.ok('workspace:stop', { projectId: project.id });
  const restarted = await openRunningWorkspace(tab, project.id);
  expect(restarted.lastOom).toBeUndefined();
  const flag = execFileSync('docker', ['inspect', '--format', '{{.State.OOMKilled}}', containerName(project.id)], {
    encoding: 'utf8',
  }).trim();
  console.log(`engine's State.OOMKilled after the restart: ${flag}`);

  // Killed from outside: not an out-of-memory exit.
  const stopped = tab.waitFor<WorkspaceStatusDto>('workspace:status', mine('stopped'), 30_000);
  execFileSync('docker', ['kill', containerName(project.id)]);
  expect((await stopped).lastExit).toMatchObject({ exitCode: 137, oomKilled: false });
}, 180_000);
