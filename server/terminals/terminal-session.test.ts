// Backpressure in the session itself, with a stand-in shell: behind tmux a flood rarely
// reaches high water, so the integration test cannot count on seeing the pause.
import { describe, expect, it } from 'vitest';
import type { ExecSession } from '../runtime';
import { TerminalSession, type TerminalLimits } from './terminal-session';

const limits: TerminalLimits = { scrollbackChars: 1000, batchDelayMs: 1, maxBatchChars: 100, highWaterChars: 200, lowWaterChars: 50, stallTimeoutMs: 60_000 };

function fakeShell() {
  let emit: (chunk: Buffer) => void = () => undefined;
  const state = { paused: false };
  const exec: ExecSession = {
    write: () => undefined,
    onData: (listener) => ((emit = listener), () => undefined),
    onExit: () => () => undefined,
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
    output: (text: string) => emit(Buffer.from(text)),
  };
}

describe('TerminalSession', () => {
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

  it('replays an adopted terminal’s earlier screen ahead of new output', () => {
    const shell = fakeShell();
    const session = new TerminalSession('p', 'T', { onActivity: () => undefined, onExit: () => undefined }, limits, { id: 'id-1', createdAt: new Date(0), scrollback: 'before\r\n' });
    session.bind(shell.exec);
    shell.output('x'.repeat(100));
    const attached = session.attach({ id: 's', send: () => undefined, dropped: () => undefined });
    expect(attached.id).toBe('id-1');
    expect(attached.createdAt).toBe(new Date(0).toISOString());
    expect(attached.scrollback).toBe(`before\r\n${'x'.repeat(100)}`);
    session.dispose();
  });
});
