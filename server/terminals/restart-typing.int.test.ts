// Keys typed the moment a tab is back after a Berth restart reach the shell. The tab reconnects
// while the new server is still adopting the running workspace (here held there: its agent is
// stopped, so the adoption waits on it). The tab must see the workspace running throughout: a
// status pushed meanwhile that says otherwise (`starting`, `stopped`) makes the workbench tear
// down its terminal views and build them again, and the keys it held for the terminal's attach
// went with the old view (issue 12, the image e2e's lost keys).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto, WorkspaceStatusDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let first: TestServer;
let second: TestServer | undefined;
let alice: TestUser;
let project: ProjectDto;
let tab: TestSocket | undefined;
let container = '';

/** Stops or resumes the workspace agent: the adoption of a running workspace waits on it. */
const signalAgent = (signal: 'STOP' | 'CONT') =>
  execFileSync('docker', ['exec', container, 'pkill', `-${signal}`, '-f', '^node /opt/berth/agent.cjs']);

beforeAll(async () => {
  first = await startTestServer();
  alice = await createSignedInUser(first.baseUrl);
  const response = await call(
    first.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name: 'Typing after a restart', template: 'blank-node' },
  );
  project = (await response.json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  tab?.close();
  if (container) signalAgent('CONT');
  await (second ?? first)?.stop();
});

it('a tab back while Berth adopts its workspace sees it running throughout, and its first keys reach the shell', async () => {
  tab = await connectAs(first, alice);
  await openRunningWorkspace(tab, project.id);
  const terminal = await tab.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 100, rows: 30 });
  const out = tab.output(terminal.id);
  await tab.ok('terminal:input', { terminalId: terminal.id, data: 'KEPT=still-$((6*7)); echo before-$((40+2))\r' });
  await out.until(/before-42/);
  tab.close();
  await first.stop({ restart: true });
  container = execFileSync('docker', ['ps', '-q', '--filter', `label=berth.project=${project.id}`], {
    encoding: 'utf8',
  }).trim();
  expect(container).not.toBe('');
  signalAgent('STOP');

  second = await startTestServer({}, undefined, { reuse: { dataDir: first.dataDir, scope: first.scope } });
  tab = await connectAs(second, alice);
  const pushed: string[] = [];
  tab.socket.on('workspace:status', (status: WorkspaceStatusDto) => pushed.push(status.state));
  // As the workbench does on a reconnect: open the workspace, attach the terminal, and send the
  // keys held meanwhile as soon as the attach answers.
  const opened = tab.ok<WorkspaceStatusDto>('workspace:open', { projectId: project.id });
  const again = tab.output(terminal.id);
  await tab.ok<TerminalAttachDto>('terminal:attach', { terminalId: terminal.id });
  await tab.ok('terminal:input', { terminalId: terminal.id, data: 'echo after-$KEPT\r' });
  await again.until(/after-still-42/);
  expect(pushed).toEqual([]); // the adoption is still waiting on the agent: nothing to say yet

  signalAgent('CONT');
  expect(await opened).toMatchObject({ state: 'running' });
  expect(pushed.filter((state) => state !== 'running')).toEqual([]);
}, 120_000);
