// Backpressure in the session itself, with a stand-in shell: behind tmux a flood rarely
// reaches high water, so the integration test cannot count on seeing the pause.
import { describe, expect, it } from 'vitest';
import type { ExecSession } from '../runtime';
import { TerminalSession, type TerminalLimits } from './terminal-session';

const limits: TerminalLimits = {
  scrollbackChars: 1000,
  batchDelayMs: 1,
  maxBatchChars: 100,
  highWaterChars: 200,
  lowWaterChars: 50,
  maxQueuedChars: 300,
  stallTimeoutMs: 60_000,
};

function fakeShell() {
  let emit: (chunk: Buffer) => void = () => undefined;
  let exit: (code: number | null) => void = () => undefined;
  const state = { paused: false, written: '' };
  const exec: ExecSession = {
    write: (data) => void (state.written += data.toString()),
    onData: (listener) => ((emit = listener), () => undefined),
    onExit: (listener) => ((exit = listener), () => undefined),
    resize: async () => undefined,
    pause: () => void (state.paused = true),
    resume: () => void (state.paused = false),
    close: () => undefined,
  };
  return {
    exec,
    get paused() {
      return state.paused;
    },
    get written() {
      return state.written;
    },
    output: (text: string) => emit(Buffer.from(text)),
    exit: (code: number | null) => exit(code),
  };
}

describe('TerminalSession', () => {
  it('refuses input once the shell has ended, so the browser can say the keys went nowhere', () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits);
    session.bind(shell.exec);
    session.write('ls\r');
    shell.exit(0);
    expect(() => session.write('x')).toThrow(expect.objectContaining({ code: 'terminal_not_running' }));
    expect(shell.written).toBe('ls\r');
  });

  it('sends a keystroke’s echo at once, and what else arrives in the same turn as one batch at its end', async () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits);
    session.bind(shell.exec);
    const sent: string[] = [];
    session.attach({ id: 's', send: (data, ack) => (sent.push(data), ack()), dropped: () => undefined });
    shell.output('a');
    expect(sent).toEqual(['a']); // not a turn of the event loop later
    shell.output('b');
    shell.output('c');
    expect(sent).toEqual(['a']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual(['a', 'bc']);
    shell.output('d'); // a later turn, still small: at once again
    expect(sent).toEqual(['a', 'bc', 'd']);
    session.dispose();
  });

  it('pauses the shell while a browser holds too much unacked output and resumes below low water', () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits);
    session.bind(shell.exec);
    const acks: (() => void)[] = [];
    session.attach({ id: 's', send: (_data, ack) => acks.push(ack), dropped: () => undefined });
    shell.output('x'.repeat(100)); // a full batch goes out at once
    shell.output('x'.repeat(100));
    expect(shell.paused).toBe(true);
    acks.shift()!();
    expect(shell.paused).toBe(true); // 100 unacked: above low water still
    acks.shift()!();
    expect(shell.paused).toBe(false);
    session.dispose();
  });

  it('keeps the shell flowing for other browsers while one stops acking; the stalled one queues, bounded, then is dropped', () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits);
    session.bind(shell.exec);
    let live = '';
    let stalledGot = 0;
    let dropped = 0;
    session.attach({ id: 'live', send: (data, ack) => ((live += data), ack()), dropped: () => undefined });
    session.attach({ id: 'stalled', send: (data) => void (stalledGot += data.length), dropped: () => void dropped++ });
    for (let i = 0; i < 10; i++) {
      shell.output(String(i).repeat(100));
      expect(shell.paused).toBe(false); // never paused for the one that keeps up
    }
    expect(live).toBe([...'0123456789'].map((digit) => digit.repeat(100)).join(''));
    // The stalled browser got high water and no more; its queue passed the bound: dropped.
    expect(stalledGot).toBe(limits.highWaterChars);
    expect(dropped).toBe(1);
    expect(session.attachedCount).toBe(1);
    session.dispose();
  });

  it('sends a lagging browser its queued output, in order, once it acks again', () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits);
    session.bind(shell.exec);
    let slow = '';
    const acks: (() => void)[] = [];
    session.attach({ id: 'fast', send: (_data, ack) => ack(), dropped: () => undefined });
    session.attach({ id: 'slow', send: (data, ack) => ((slow += data), acks.push(ack)), dropped: () => undefined });
    for (const digit of '0123') shell.output(digit.repeat(100));
    expect(slow).toBe('0'.repeat(100) + '1'.repeat(100)); // high water; 2 and 3 wait
    acks.splice(0).forEach((ack) => ack());
    expect(slow).toBe([...'0123'].map((digit) => digit.repeat(100)).join(''));
    expect(shell.paused).toBe(false);
    session.dispose();
  });

  it('replays an adopted terminal’s earlier screen ahead of new output', () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits, {
      id: 'id-1',
      createdAt: new Date(0),
      scrollback: 'before\r\n',
    });
    session.bind(shell.exec);
    shell.output('x'.repeat(100));
    const attached = session.attach({ id: 's', send: () => undefined, dropped: () => undefined });
    expect(attached.id).toBe('id-1');
    expect(attached.createdAt).toBe(new Date(0).toISOString());
    expect(attached.scrollback).toBe(`before\r\n${'x'.repeat(100)}`);
    session.dispose();
  });
});
