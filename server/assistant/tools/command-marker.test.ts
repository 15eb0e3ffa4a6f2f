import { describe, expect, it } from 'vitest';
import { markCommand, newNonce } from './command-marker';

describe('markCommand', () => {
  it('types the command as a group between two printed markers; their echoes never count', () => {
    const marked = markCommand('npm test # run the tests', 'abc23');
    expect(marked.keystrokes).toBe(
      "printf '%s-%s.\\n' BERTH-RUN abc23; { npm test # run the tests\r}; printf '\\n%s-%s-%s.\\n' BERTH-DONE abc23 $?\r",
    );
    const echo =
      "$ printf '%s-%s.\\n' BERTH-RUN abc23; { npm test # run the tests\n> }; printf '\\n%s-%s-%s.\\n' BERTH-DONE abc23 $?\n";
    expect(marked.exitCode(echo)).toBeNull();
    // The tty's echo of early keys may come after readline's: only the printed start counts.
    const screen = `${echo}BERTH-RUN-abc23.\nok\n\nBERTH-DONE-abc23-3.\n$ `;
    expect(marked.exitCode(screen)).toBe(3);
    expect(screen.slice(marked.outputStart(screen))).toBe('ok\n\nBERTH-DONE-abc23-3.\n$ ');
    expect(marked.exitCode(screen.replace('abc23-3', 'abc24-3'))).toBeNull();
    expect(marked.outputOf(screen)).toBe('ok\n\n');
  });

  it('reads the output on a screen repainted after the command ended (a tab resized the terminal)', () => {
    const marked = markCommand('echo ran', 'abc23');
    const first = 'BERTH-RUN-abc23.\nran\n\nBERTH-DONE-abc23-0.\n$ ';
    const repaint = `$ printf … BERTH-RUN abc23; { echo ran\n> }; printf … BERTH-DONE abc23 $?\n${first}`;
    expect(marked.outputOf(first + '\n' + repaint)).toBe('ran\n\n');
    expect(marked.exitCode(first + repaint)).toBe(0);
    // Repainted while it still runs: the output so far, up to the end of what arrived.
    expect(marked.outputOf('BERTH-RUN-abc23.\nhalf\n$ … BERTH-RUN-abc23.\nhalf\nmore')).toBe('half\nmore');
  });

  it('types line breaks as Enter and quotes tabs', () => {
    expect(markCommand('a\tb\r\nc', 'xyz').keystrokes).toMatch(/; \{ a\x16\tb\rc\r\}; /);
  });

  it('makes nonces with no character twice in a row', () => {
    for (let index = 0; index < 200; index++) expect(newNonce()).not.toMatch(/(.)\1/);
  });
});
