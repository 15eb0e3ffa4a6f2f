// Terminals recover from binary output: random bytes (`cat /dev/urandom`, a binary file printed
// by mistake) leave tmux's pane in odd states — inside an escape string that swallows all
// output, DEC line-drawing charset, hidden text, insert mode, a scroll region. The next prompt
// must come back readable, live and after a browser reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto } from '../contracts';
import { type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { connectAs, openRunningWorkspace, type TestSocket, plainText } from '../test-support/socket-client';

let t: TestServer, alice: TestUser, project: ProjectDto, client: TestSocket;
const size = { cols: 100, rows: 30 };

beforeAll(async () => {
  ({ t, user: alice, project, tab: client } = await openProjectFixture({ name: 'Binary', running: true }));
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab: client });
});

/** Resolves once the output has not grown for `quietMs` (the binary dump is over). */
async function quiet(out: { text(): string }, quietMs = 1000, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const length = out.text().length;
    if (length === last) return;
    last = length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
  throw new Error('output never went quiet');
}

async function expectRecovered(terminalId: string, out: ReturnType<TestSocket['output']>, marker: string) {
  const before = out.text().length;
  // Within a second, not after tmux's own 5 s timeout for unterminated escape strings.
  await client.ok('terminal:input', { terminalId, data: `echo ${marker}-$((6*7))\r` });
  await waitFor(() => out.text().slice(before), new RegExp(`${marker}-42`), 3000);
  // A reloaded browser sees it too, in the replay and live.
  client.close();
  client = await connectAs(t, alice);
  await openRunningWorkspace(client, project.id);
  const again = client.output(terminalId);
  const attached = await client.ok<TerminalAttachDto>('terminal:attach', { terminalId });
  expect(plain(attached.scrollback)).toContain(`${marker}-42`);
  await client.ok('terminal:input', { terminalId, data: `echo again-$((6*7))\r` });
  await again.until(/again-42/, 3000);
  return again;
}

describe('binary output', () => {
  it('recovers from escape strings, line-drawing charset, hidden text and scroll regions', async () => {
    const terminal = await client.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, ...size });
    const out = client.output(terminal.id);
    // An unterminated DCS string, DEC graphics in G0 and G1 (shifted to), concealed text,
    // insert mode and a two-line scroll region: what random bytes hit sooner or later.
    await client.ok('terminal:input', {
      terminalId: terminal.id,
      data: "printf '\\033[3;4r\\033[4h\\033[8m\\033(0\\033)0\\016\\033P'\r",
    });
    await quiet(out);
    await expectRecovered(terminal.id, out, 'ok');
  });

  it('recovers after `head -c 200000 /dev/urandom` and Ctrl+C', async () => {
    const terminal = await client.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, ...size });
    const out = client.output(terminal.id);
    await client.ok('terminal:input', { terminalId: terminal.id, data: 'head -c 200000 /dev/urandom\r' });
    await quiet(out);
    // As a person would: Ctrl+C for a clean command line, and type once the prompt is back
    // (tmux answers the terminal queries hidden in the bytes; the answers arrive as typed input).
    const before = out.text().length;
    await client.ok('terminal:input', { terminalId: terminal.id, data: '\x03' });
    await waitFor(() => out.text().slice(before), /\/workspace \$ *$/, 3000);
    await expectRecovered(terminal.id, out, 'ok');
  });
});

// The visible text: escapes and carriage returns removed.
const plain = plainText;

async function waitFor(read: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(plain(read()))) {
    if (Date.now() > deadline) throw new Error(`never matched ${pattern}; got ${JSON.stringify(read().slice(-300))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
