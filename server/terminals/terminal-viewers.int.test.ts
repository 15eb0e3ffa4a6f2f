// Several browsers on one terminal: one that stops acking output (a frozen tab, a dead
// network) must not pause the terminal for the others, and what it holds stays bounded.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { DEFAULT_TERMINAL_LIMITS } from './terminal-session';

let t: TestServer;
let alice: TestUser;
let project: ProjectDto;
const clients: TestSocket[] = [];

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  project = (await (
    await call(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: alice.cookie },
      { name: 'Viewers', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
}, 120_000);

afterAll(async () => {
  clients.forEach((client) => client.close());
  if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await t?.stop();
});

it('keeps output flowing to a browser while another one on the same terminal never acks', async () => {
  const live = await connectAs(t, alice);
  const stalled = await connectAs(t, alice);
  clients.push(live, stalled);
  await openRunningWorkspace(live, project.id);
  const terminal = await live.ok<TerminalAttachDto>('terminal:create', {
    projectId: project.id,
    cols: 1000,
    rows: 100,
  });
  const liveOut = live.output(terminal.id);
  const stalledOut = stalled.output(terminal.id);
  stalledOut.setAcking(false);
  await stalled.ok('terminal:attach', { terminalId: terminal.id });

  // About 1 MB of output, several times high water, as full-width lines in bursts (tmux turns
  // a fast scroll into a redraw of the screen, so the volume comes from a wide, tall screen).
  // Before, the stalled browser paused the shell for everyone until it was dropped, 10 s later.
  const started = Date.now();
  const burst = "head -c 99900 /dev/zero | tr '\\0' x | fold -w 999";
  await live.ok('terminal:input', {
    terminalId: terminal.id,
    data: `for i in $(seq 1 10); do ${burst}; sleep 0.1; done; echo done-$((6*7))\r`,
  });
  await liveOut.until(/done-42/, DEFAULT_TERMINAL_LIMITS.stallTimeoutMs - 3000);
  const elapsed = Date.now() - started;
  expect(elapsed).toBeLessThan(DEFAULT_TERMINAL_LIMITS.stallTimeoutMs - 3000);
  // The stalled browser was sent at most high water and one batch.
  expect(stalledOut.text().length).toBeLessThanOrEqual(
    DEFAULT_TERMINAL_LIMITS.highWaterChars + DEFAULT_TERMINAL_LIMITS.maxBatchChars,
  );
}, 60_000);
