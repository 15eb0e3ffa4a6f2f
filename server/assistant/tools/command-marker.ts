// How a command typed into an interactive shell says where its output starts and that it is
// done: it is typed as a brace group between two printfs of markers with a fresh nonce, the
// second with the group's exit status. The typed lines pass the markers' parts as separate printf
// arguments, so the shell's echo of what was typed (which the tty and readline may each draw)
// never reads as a marker; only the printed lines do. The group (with the closing
// brace on its own line) keeps a trailing comment, a trailing `&` or a heredoc in the command
// from swallowing the printf, and bash reads the whole group before running it, so a command
// reading stdin cannot eat the marker line. Tabs are typed quoted, so they stay tabs.
import { randomInt } from 'node:crypto';

const NONCE_ALPHABET = 'abcdefghkmnpqrstuvwxyz23456789';
const MARKER_WORD = 'BERTH-DONE';
const START_WORD = 'BERTH-RUN';

/** A nonce with no character twice in a row (tmux may re-encode a run as REP). */
export function newNonce(length = 10): string {
  let nonce = '';
  while (nonce.length < length) {
    const char = NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)]!;
    if (char !== nonce.at(-1)) nonce += char;
  }
  return nonce;
}

export interface MarkedCommand {
  /** What to type into the shell (keystrokes, Enter as \r). */
  keystrokes: string;
  /** The exit code, once `plain` (terminal output as plain text) shows the printed marker. */
  exitCode(plain: string): number | null;
  /** Where the command's own output starts in `plain`: after the printed start marker's line. */
  outputStart(plain: string): number;
  /** The printed marker up to the exit code (it shows as is in the raw output too). */
  printedPrefix: string;
  /**
   * The command's own output in `plain`: from the last printed start marker to the first printed
   * end marker after it. A terminal repainted while the command runs or after it ended (a tab
   * resizing it) shows both markers again, and the slice is the one on the repainted screen.
   */
  outputOf(plain: string): string;
}

export function markCommand(command: string, nonce = newNonce()): MarkedCommand {
  const printed = new RegExp(`${MARKER_WORD}-${nonce}-(\\d+)\\.`);
  const started = `${START_WORD}-${nonce}.`;
  return {
    keystrokes:
      `printf '%s-%s.\\n' ${START_WORD} ${nonce}; { ${asKeystrokes(command)}\r}; ` +
      `printf '\\n%s-%s-%s.\\n' ${MARKER_WORD} ${nonce} $?\r`,
    exitCode: (plain) => {
      const match = printed.exec(plain);
      return match ? Number(match[1]) : null;
    },
    outputStart: (plain) => {
      const at = plain.lastIndexOf(started);
      if (at < 0) return 0;
      const lineEnd = plain.indexOf('\n', at);
      return lineEnd < 0 ? plain.length : lineEnd + 1;
    },
    printedPrefix: `${MARKER_WORD}-${nonce}-`,
    outputOf(plain) {
      const start = this.outputStart(plain);
      const end = printed.exec(plain.slice(start));
      return plain.slice(start, end ? start + end.index : plain.length);
    },
  };
}

/** Lines end with Enter; a tab is quoted with Ctrl+V (readline's quoted-insert, the tty's LNEXT) so it is not a completion. */
function asKeystrokes(command: string): string {
  return command.replace(/\r\n?/g, '\n').replace(/\n/g, '\r').replace(/\t/g, '\x16\t');
}
