// Terminals survive a Berth restart: the shell runs in tmux inside the workspace, so a new
// server on the same data and scope adopts the running workspace and its terminal — same id
// and title, the scrollback replayed, and the same shell (its variables) answering input.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto, TerminalDto, WorkspaceStatusDto } from '../contracts';
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
let client: TestSocket | undefined;

beforeAll(async () => {
  first = await startTestServer();
  alice = await createSignedInUser(first.baseUrl);
  project = (await (
    await call(
      first.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Restarts', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  client?.close();
  // The last server standing owns the workspaces and the data: it removes them.
  await (second ?? first)?.stop();
});

it('keeps a terminal, its scrollback and its shell across a Berth restart', async () => {
  client = await connectAs(first, alice);
  const before = await openRunningWorkspace(client, project.id);
  const terminal = await client.ok<TerminalAttachDto>('terminal:create', {
    projectId: project.id,
    cols: 100,
    rows: 30,
  });
  const out = client.output(terminal.id);
  await client.ok('terminal:rename', { terminalId: terminal.id, title: 'dev; server' });
  await client.ok('terminal:input', { terminalId: terminal.id, data: 'KEPT=still-$((7*6)); echo marker-$((6*7))\r' });
  await out.until(/marker-42/);
  client.close();

  // A normal shutdown: the workspace container keeps running for the next server.
  await first.stop({ restart: true });
  second = await startTestServer({}, undefined, { reuse: { dataDir: first.dataDir, scope: first.scope } });
  client = await connectAs(second, alice);
  // Like an open tab reconnecting: it opens the workspace and attaches at once. The workspace
  // is running from the first answer on (not stopped, then starting: the tab would tear down
  // its terminals and build them again, losing what was typed meanwhile).
  const reopened = await client.ok<WorkspaceStatusDto>('workspace:open', { projectId: project.id });
  expect(reopened).toMatchObject({ state: 'running', startedAt: before.startedAt });
  const replay = client.output(terminal.id);
  const attached = await client.ok<TerminalAttachDto>('terminal:attach', { terminalId: terminal.id });
  expect(attached.scrollback).toMatch(/marker-42/);
  const after = await openRunningWorkspace(client, project.id);
  expect(after.startedAt).toBe(before.startedAt); // adopted, not restarted
  const list = await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id });
  expect(list).toEqual([
    expect.objectContaining({ id: terminal.id, title: 'dev; server', state: 'running', createdAt: terminal.createdAt }),
  ]);

  // The same shell: a variable set before the restart is still set.
  await client.ok('terminal:input', { terminalId: terminal.id, data: 'echo "kept=$KEPT"\r' });
  await replay.until(/kept=still-42/);
  // New terminals go on numbering after the adopted one.
  const next = await client.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 80, rows: 24 });
  expect(next.title).toMatch(/^Terminal \d+$/);
}, 120_000);
