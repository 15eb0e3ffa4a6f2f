// Terminals end to end on the server: a real workspace container, real shells, a Socket.IO
// client acting as the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDto, TerminalAttachDto, TerminalDto, WorkspaceStatusDto } from '../contracts';
import { createSignedInUser, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { DEFAULT_TERMINAL_LIMITS } from './terminal-session';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let project: ProjectDto;
let client: TestSocket;
const size = { cols: 100, rows: 30 };

beforeAll(async () => {
  ({ t, user: alice, project, tab: client } = await openProjectFixture({ name: 'Shells', running: true }));
  bob = await createSignedInUser(t.baseUrl);
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t, user: alice, project, tab: client });
});

async function newTerminal(on: TestSocket = client) {
  const terminal = await on.ok<TerminalAttachDto>('terminal:create', { projectId: project.id, ...size });
  return { terminal, out: on.output(terminal.id) };
}

describe('terminals', () => {
  it('runs a login shell in the workspace as uid 1000 with node on the PATH', async () => {
    const { terminal, out } = await newTerminal();
    expect(terminal.state).toBe('running');
    await client.ok('terminal:input', {
      terminalId: terminal.id,
      data: 'echo "uid=$(id -u) node=$(node -v) sum=$((6*7))"\r',
    });
    await out.until(/uid=1000 node=v\d+\.\d+\.\d+ sum=42/);
    // The prompt shows the working directory (tmux may draw the echoed input before it).
    await out.until(/\/workspace \$/);
  });

  it('follows resize', async () => {
    const { terminal, out } = await newTerminal();
    await client.ok('terminal:resize', { terminalId: terminal.id, cols: 123, rows: 45 });
    await client.ok('terminal:input', { terminalId: terminal.id, data: 'stty size\r' });
    await out.until(/45 123/);
  });

  it('keeps several terminals, lists, renames and closes them', async () => {
    const first = await newTerminal();
    const second = await newTerminal();
    const list = await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id });
    expect(list.map((item) => item.id)).toEqual(expect.arrayContaining([first.terminal.id, second.terminal.id]));
    const renamed = await client.ok<TerminalDto>('terminal:rename', {
      terminalId: second.terminal.id,
      title: 'server',
    });
    expect(renamed.title).toBe('server');
    await client.ok('terminal:close', { terminalId: second.terminal.id });
    const after = await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id });
    expect(after.map((item) => item.id)).not.toContain(second.terminal.id);
    expect((await client.call('terminal:input', { terminalId: second.terminal.id, data: 'x' })).ok).toBe(false);
  });

  it('lives on while the browser is away and replays its scrollback on re-attach', async () => {
    const { terminal, out } = await newTerminal();
    await client.ok('terminal:input', {
      terminalId: terminal.id,
      data: 'echo before-$((1+1)); sleep 1; echo while-away-$((2+2))\r',
    });
    await out.until(/before-2/);
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the shell keeps running while nobody is attached
    client = await connectAs(t, alice);
    await openRunningWorkspace(client, project.id);
    const attached = await client.ok<TerminalAttachDto>('terminal:attach', { terminalId: terminal.id });
    expect(attached.scrollback).toMatch(/before-2/);
    expect(attached.scrollback).toMatch(/while-away-4/);
  });

  it('says when the shell exits, and restarts it', async () => {
    const { terminal } = await newTerminal();
    const exited = client.waitFor<TerminalDto>(
      'terminal:updated',
      (dto) => dto.id === terminal.id && dto.state === 'exited',
    );
    await client.ok('terminal:input', { terminalId: terminal.id, data: 'exit 3\r' });
    expect((await exited).exitCode).toBe(3);
    const restarted = await client.ok<TerminalAttachDto>('terminal:restart', { terminalId: terminal.id, ...size });
    expect(restarted.state).toBe('running');
  });

  it("refuses someone else's terminal, closed terminals and malformed messages with an error ack", async () => {
    const { terminal } = await newTerminal();
    const intruder = await connectAs(t, bob);
    try {
      for (const [event, payload] of [
        ['terminal:attach', { terminalId: terminal.id }],
        ['terminal:input', { terminalId: terminal.id, data: 'rm -rf /workspace\r' }],
        ['terminal:resize', { terminalId: terminal.id, cols: 10, rows: 10 }],
        ['terminal:close', { terminalId: terminal.id }],
        ['terminal:list', { projectId: project.id }],
        ['terminal:create', { projectId: project.id, ...size }],
      ] as const) {
        const ack = await intruder.call(event, payload);
        expect(ack, event).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
      }
      for (const payload of [
        null,
        {},
        { terminalId: 5, data: 'x' },
        { terminalId: terminal.id, data: 'x'.repeat(70_000) },
      ]) {
        const ack = await client.call('terminal:input', payload);
        expect(ack.ok).toBe(false);
        if (!ack.ok) expect(ack.error.code).toBe('bad_request');
      }
      expect((await client.call('terminal:resize', { terminalId: 'nope', cols: 80, rows: 24 })).ok).toBe(false);
    } finally {
      intruder.close();
    }
    const list = await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id });
    expect(list.find((item) => item.id === terminal.id)?.state).toBe('running');
  });

  it('applies backpressure: unacked flood output stays bounded, and other terminals stay responsive', async () => {
    const flood = await newTerminal();
    const quiet = await newTerminal();
    flood.out.setAcking(false);
    await client.ok('terminal:input', { terminalId: flood.terminal.id, data: 'yes flood\r' });
    await flood.out.until(/flood\r?\nflood/);
    // tmux coalesces a flood into screen redraws, and Berth pauses the stream at high water:
    // either way a browser that does not ack never gets more than high water and one batch.
    const bound = DEFAULT_TERMINAL_LIMITS.highWaterChars + DEFAULT_TERMINAL_LIMITS.maxBatchChars;
    for (let i = 0; i < 20; i++) {
      expect(flood.out.text().length).toBeLessThanOrEqual(bound);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.ok('terminal:input', { terminalId: quiet.terminal.id, data: 'echo still-here-$((3*3))\r' });
    await quiet.out.until(/still-here-9/);
    const held = flood.out.text().length;
    expect(held).toBeLessThanOrEqual(bound);
    // Acking lets the flood flow again.
    flood.out.setAcking(true);
    flood.out.flushAcks();
    await flood.out.untilLength(held + 50_000);
    await client.ok('terminal:input', { terminalId: flood.terminal.id, data: '\x03' });
    await client.ok('terminal:close', { terminalId: flood.terminal.id });
  });

  it('keeps shell history across a workspace restart', async () => {
    const { terminal, out } = await newTerminal();
    await client.ok('terminal:input', { terminalId: terminal.id, data: 'echo history-marker-$((5*5))\r' });
    await out.until(/history-marker-25/);
    await client.ok<WorkspaceStatusDto>('workspace:stop', { projectId: project.id });
    await openRunningWorkspace(client, project.id);
    const again = await newTerminal();
    await client.ok('terminal:input', {
      terminalId: again.terminal.id,
      data: 'history | grep -c "history-marker-\\$((5\\*5))"\r',
    });
    await again.out.until(/^\s*[1-9]\d*\s*$/m);
  });

  it('ends every session when closed: the live count returns to zero', async () => {
    for (const terminal of await client.ok<TerminalDto[]>('terminal:list', { projectId: project.id })) {
      await client.ok('terminal:close', { terminalId: terminal.id });
    }
    expect(t.server.terminals.size).toBe(0);
  });
});
