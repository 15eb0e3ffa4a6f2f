import { describe, expect, it } from 'vitest';
import { plainText, tailOf } from './terminal-text';

describe('plainText', () => {
  it('drops colours, titles and mode switches, and reads CRLF as a line break', () => {
    expect(plainText('\x1b[36m\x1b[1m/workspace\x1b(B\x1b[m $ \x1b[?2004hls\r\n\x1b]0;title\x07a.txt\r\n')).toBe(
      '/workspace $ ls\na.txt\n',
    );
  });

  it('reads a cursor move to another line (how tmux skips blank lines) as a line break', () => {
    expect(plainText('^\x1b[9;1HReferenceError\r\nat x\x1b[17;1H\x1b[39mNode.js v20')).toBe(
      '^\nReferenceError\nat x\nNode.js v20',
    );
  });

  it('keeps what a progress line was last rewritten to, and spells out a repeated character', () => {
    expect(plainText('10%\r50%\r100%\r\ndone')).toBe('100%\ndone');
    expect(plainText('a\x1b[4bz')).toBe('aaaaaz');
  });
});

describe('tailOf', () => {
  it('keeps the last lines and characters and says how many lines were left out', () => {
    const text = Array.from({ length: 10 }, (_, index) => `line ${index + 1}`).join('\n');
    expect(tailOf(`\n\n${text}\n\n`, 3, 1000)).toEqual({ text: 'line 8\nline 9\nline 10', omittedLines: 7 });
    expect(tailOf(text, 100, 14)).toEqual({ text: 'line 9\nline 10', omittedLines: 8 });
    expect(tailOf('x'.repeat(50), 10, 5)).toEqual({ text: 'xxxxx', omittedLines: 0 });
    expect(tailOf('\n\n', 10, 10)).toEqual({ text: '', omittedLines: 0 });
  });
});
