import { describe, expect, it } from 'vitest';
import {
  captureToReplay,
  newSessionCommand,
  parseExitStatus,
  parseSessionList,
  setTitleCommand,
} from './tmux-commands';

const ID = '0b7c2a55-6a0e-4d39-9d0e-4f1f6f1b2a3c';

describe('tmux commands', () => {
  it('stores titles so that no argument ends a tmux command and list output stays one line', () => {
    const command = setTitleCommand(ID, 'a; b\tc;');
    const title = command.at(-1)!;
    expect(title.endsWith(';')).toBe(false);
    expect(title).not.toMatch(/[\t\n]/);
    const created = newSessionCommand(ID, 'x;', new Date('2026-01-02T03:04:05.000Z'), { cols: 90, rows: 20 });
    expect(created.filter((arg) => arg !== ';' && arg.endsWith(';'))).toEqual([]);
    expect(created).toEqual(expect.arrayContaining(['-x', '90', '-y', '20', `berth-${ID}`]));
  });

  it('reads Berth sessions back, oldest first, and ignores sessions it did not make', () => {
    const output = [
      `berth-${ID}\t${encodeURIComponent('dev; server')}\t2026-01-02T03:04:05.000Z\t100\t30`,
      'berth-not-a-uuid\tx\t2026-01-01T00:00:00.000Z\t80\t24',
      'mine\tx\t2026-01-01T00:00:00.000Z\t80\t24',
      `berth-${ID.replace('0b', '1b')}\tTerminal%202\t2026-01-01T00:00:00.000Z\t80\t24`,
      '',
    ].join('\n');
    expect(parseSessionList(output)).toEqual([
      {
        terminalId: ID.replace('0b', '1b'),
        title: 'Terminal 2',
        createdAt: new Date('2026-01-01T00:00:00.000Z'),
        cols: 80,
        rows: 24,
      },
      { terminalId: ID, title: 'dev; server', createdAt: new Date('2026-01-02T03:04:05.000Z'), cols: 100, rows: 30 },
    ]);
  });

  it('gives the shell a prompt hook that resets the terminal without a single quote to break it', () => {
    const created = newSessionCommand(ID, 'x', new Date(), { cols: 80, rows: 24 });
    const hook = created.find((arg) => arg.startsWith('PROMPT_COMMAND='))!;
    expect(hook).toMatch(/^PROMPT_COMMAND=printf '[^']+'$/);
    expect(hook).toContain('\\030'); // CAN ends an escape string that would swallow the prompt
  });

  it('tells a live session from an exit code and from nothing known', () => {
    expect(parseExitStatus('alive\n')).toBe('alive');
    expect(parseExitStatus('3\n')).toBe(3);
    expect(parseExitStatus('')).toBeNull();
  });

  it('turns captured lines into terminal lines', () => {
    expect(captureToReplay('a\nb\n')).toBe('a\r\nb\r\n');
  });
});
