// Terminal output as plain text for the model: escape sequences (colours, cursor moves, titles)
// removed, lines overwritten with \r (progress bars) reduced to what is left on screen, and only
// the tail kept, so a command that prints megabytes costs the model a bounded answer.

/** tmux may send a run of one character as the character plus REP (CSI <n> b): spelled out again. */
const REPEAT = /([^\x1b])\x1b\[(\d*)b/g;
/** Cursor moves to another line (tmux skips blank lines with CUP rather than printing them): read as a line break. */
const LINE_MOVES = /\x1b\[[0-9;]*[HfBEd]/g;
// CSI, OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, charset selections, other two-byte escapes.
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[ -/]*[0-~]/g;
// What is left of C0 controls after \n and \r are handled (BEL, backspace pairs, SI/SO, NUL).
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function stripAnsi(text: string): string {
  return text
    .replace(REPEAT, (_, char: string, count: string) => char.repeat(1 + Math.min(Number(count || '1'), 1000)))
    .replace(LINE_MOVES, '\n')
    .replace(ESCAPES, '');
}

/** Plain text as it reads on screen: escapes gone, CRLF as LF, a line rewritten after \r keeps its last text. */
export function plainText(raw: string): string {
  return stripAnsi(raw)
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => {
      const parts = line.split('\r').filter((part) => part !== '');
      return (parts.at(-1) ?? '').replace(CONTROLS, '').trimEnd();
    })
    .join('\n');
}

export interface Tail {
  text: string;
  /** Lines (or characters, for very long lines) left out before the tail. */
  omittedLines: number;
}

/** The last `maxLines` lines and at most `maxChars` characters of `text`, leading and trailing blank lines dropped. */
export function tailOf(text: string, maxLines: number, maxChars: number): Tail {
  const lines = text.replace(/^\n+|\n+$/g, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return { text: '', omittedLines: 0 };
  let kept = lines.slice(-maxLines);
  let joined = kept.join('\n');
  while (joined.length > maxChars && kept.length > 1) {
    kept = kept.slice(1);
    joined = kept.join('\n');
  }
  if (joined.length > maxChars) joined = joined.slice(-maxChars);
  return { text: joined, omittedLines: lines.length - kept.length };
}
