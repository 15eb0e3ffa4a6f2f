// The attachment's own logic (input held until tmux draws) over a scripted ExecSession; the
// tmux behaviour itself is covered against a real workspace in terminals.int.test.ts.
import { describe, expect, it } from 'vitest';
import type { ExecSession } from '../runtime';
import { TmuxAttachment } from './tmux-attachment';

function scriptedExec() {
  const written: string[] = [];
  let emit: (chunk: Buffer) => void = () => undefined;
  const exec: ExecSession = {
    write: (data) => void written.push(String(data)),
    onData: (listener) => {
      emit = listener;
      return () => undefined;
    },
    onExit: () => () => undefined,
    resize: async () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    close: () => undefined,
  };
  return { exec, written, draw: (text: string) => emit(Buffer.from(text)) };
}

describe('TmuxAttachment', () => {
  it('holds input until tmux has drawn, then sends it in order', async () => {
    const { exec, written, draw } = scriptedExec();
    const attachment = new TmuxAttachment(exec, {
      resolveExit: async () => 'alive',
      settleSize: async () => undefined,
      size: { cols: 80, rows: 24 },
    });
    const output: string[] = [];
    attachment.onData((chunk) => output.push(chunk.toString()));
    attachment.write('echo ');
    attachment.write('hi\r');
    expect(written).toEqual([]);
    draw('\x1b[?1049h');
    await Promise.resolve();
    attachment.write('ls\r');
    expect(written).toEqual(['echo ', 'hi\r', 'ls\r']);
    expect(output).toEqual(['\x1b[?1049h']);
  });
});
