// A terminal that cannot start (the workspace is at its process limit) answers with an error
// that says so, and the same terminal can be created once processes are freed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto, TerminalDto } from '../contracts';
import type { TestServer, TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { type TestSocket } from '../test-support/socket-client';

// cgroup v2 has the counters at the top, v1 under pids/; the filler's sh may have died of its
// failed fork, hence max - 1.
const WAIT_FOR_PROCESS_LIMIT =
  'd=/sys/fs/cgroup; [ -r $d/pids.max ] || d=$d/pids; read max < $d/pids.max; until read n < $d/pids.current && [ $n -ge $((max - 1)) ]; do :; done';

let t: TestServer, alice: TestUser, project: ProjectDto, client: TestSocket;

beforeAll(async () => {
  ({
    t,
    user: alice,
    project,
    tab: client,
  } = await openProjectFixture({ name: 'Pids', env: { WORKSPACE_PIDS_LIMIT: '48' }, running: true }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab: client });
});

it('says why a terminal could not start when the workspace is at its process limit', async () => {
  const first = await client.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, cols: 80, rows: 24 });
  const out = client.output(first.id);
  // A job that forks until the limit is reached, in its own process group (killed as one below).
  await client.ok('terminal:input', {
    terminalId: first.id,
    data: "sh -c 'while sleep 600 & do :; done' 2>/dev/null & FILLER=$!\r",
  });
  // Wait, with builtins only, until the cgroup's process count is at its limit.
  await client.ok('terminal:input', {
    terminalId: first.id,
    data: `${WAIT_FOR_PROCESS_LIMIT}; echo filled-$((6*7))\r`,
  });
  await out.until(/filled-42/, 20_000);
  const refused = await client.call<TerminalAttachDto>('terminal:create', {
    projectId: project.id,
    cols: 80,
    rows: 24,
  });
  expect(refused).toEqual({
    ok: false,
    error: { code: 'terminal_start_failed', message: expect.stringMatching(/process limit/) },
  });
  // No half-made terminal is left behind in the list.
  expect(
    (await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id })).map((terminal) => terminal.id),
  ).toEqual([first.id]);

  // Free the processes (a builtin: nothing to fork) and retry, as the panel's Retry does.
  await client.ok('terminal:input', { terminalId: first.id, data: 'kill -- -$FILLER\r' });
  const retried = await waitForStart();
  const again = client.output(retried.id);
  await client.ok('terminal:input', { terminalId: retried.id, data: 'echo retried-$((6*7))\r' });
  await again.until(/retried-42/);
}, 60_000);

/** The processes end a moment after the signal: retry like a person clicking Retry. */
async function waitForStart(): Promise<TerminalAttachDto> {
  for (let attempt = 0; ; attempt++) {
    const answer = await client.call<TerminalAttachDto>('terminal:create', {
      projectId: project.id,
      cols: 80,
      rows: 24,
    });
    if (answer.ok) return answer.data;
    if (attempt >= 20) throw new Error(`terminal never started: ${answer.error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
