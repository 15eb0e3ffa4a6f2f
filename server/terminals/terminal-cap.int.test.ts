// The per-project terminal cap counts terminals of the running container: the ones whose shells
// ended when the workspace stopped no longer block new terminals after it starts again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto, TerminalDto, WorkspaceStatusDto } from '../contracts';
import type { TestServer, TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { MAX_TERMINALS_PER_PROJECT } from './terminal-service';

let t: TestServer, alice: TestUser, project: ProjectDto, client: TestSocket;
const size = { cols: 80, rows: 24 };

beforeAll(async () => {
  ({ t, user: alice, project, tab: client } = await openProjectFixture({ name: 'Cap', running: true }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab: client });
});

it('lets exited terminals from before a workspace restart make room for new ones', async () => {
  const created: TerminalAttachDto[] = [];
  for (let i = 0; i < MAX_TERMINALS_PER_PROJECT; i++)
    created.push(await client.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, ...size }));
  const refused = await client.call('terminal:create', { projectId: project.id, ...size });
  expect(refused).toMatchObject({ ok: false, error: { code: 'too_many_terminals' } });

  // The container restarts: every shell ends with it.
  const ended = new Set<string>();
  const allEnded = new Promise<void>((resolve) => {
    client.socket.on('terminal:updated', (terminal: TerminalDto) => {
      if (terminal.state === 'exited') ended.add(terminal.id);
      if (created.every((item) => ended.has(item.id))) resolve();
    });
  });
  await client.ok<WorkspaceStatusDto>('workspace:stop', { projectId: project.id });
  await allEnded;
  await openRunningWorkspace(client, project.id);

  const fresh = await client.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, ...size });
  const out = client.output(fresh.id);
  await client.ok('terminal:input', { terminalId: fresh.id, data: 'echo fresh-$((6*7))\r' });
  await out.until(/fresh-42/);
  // The oldest stale terminal made room: the list stays within the cap.
  const list = await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id });
  expect(list).toHaveLength(MAX_TERMINALS_PER_PROJECT);
  expect(list.map((terminal) => terminal.id)).not.toContain(created[0]!.id);
  expect(list.filter((terminal) => terminal.state === 'running').map((terminal) => terminal.id)).toEqual([fresh.id]);
  // A stale terminal may still be restarted while there is room.
  const restarted = await client.ok<TerminalAttachDto>('terminal:restart', { terminalId: created[1]!.id, ...size });
  expect(restarted.state).toBe('running');
}, 120_000);
