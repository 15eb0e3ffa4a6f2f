// Git's progress output (`--progress`), read as it streams: git rewrites a line in place with
// "\r" ("Counting objects:  45% (9/20)\r…100% (20/20), done.\n"), the remote's progress comes
// relayed as "remote: …" lines padded with spaces, and a chunk of output may end mid-line.
// Pure: no I/O, so the parsing is tested on its own (git-progress.test.ts).

export interface GitProgressUpdate {
  /** As git names it: "Counting objects", "Writing objects", "Resolving deltas"… */
  phase: string;
  /** 0–100 when git counts towards a known total. */
  percent?: number;
  /** The line as git wrote it ("remote: " included), trimmed, without any credential. */
  text: string;
}

const TEXT_MAX_CHARS = 200;
// "Writing objects:  45% (9/20), 1.20 MiB | 2.00 MiB/s" or "Enumerating objects: 32, done."
const PERCENT_LINE = /^([A-Z][A-Za-z]*(?: [a-z]+)*): +(\d{1,3})% \(\d+\/\d+\)/;
const COUNT_LINE = /^([A-Z][A-Za-z]*(?: [a-z]+)*): +\d+(?:, done\.)?(?:$|,| )/;
// Lines git prints only when showing progress (pack-objects' summary), left out of the answer.
const PROGRESS_ONLY_LINE = /^(?:Total \d+ \(delta \d+\)|Delta compression using up to \d+ threads?)/;
// Terminal control sequences (a "clear to end of line" after relayed remote lines).
const CONTROL = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Any URL's user name and password ("https://user:token@host/…" → "https://host/…"). */
export function withoutUrlUserInfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1');
}

function clean(segment: string): { line: string; remote: boolean } {
  const line = segment.replace(CONTROL, '').trim();
  return line.startsWith('remote:')
    ? { line: line.slice('remote:'.length).trim(), remote: true }
    : { line, remote: false };
}

/** One "\r"- or "\n"-terminated piece of git's stderr as a progress update, or null when it is not one. */
export function parseProgressLine(segment: string): GitProgressUpdate | null {
  const { line } = clean(segment);
  const match = PERCENT_LINE.exec(line) ?? COUNT_LINE.exec(line);
  if (!match) return null;
  const percent = match[2] === undefined ? undefined : Math.min(100, Number(match[2]));
  const text = withoutUrlUserInfo(segment.replace(CONTROL, '').trim()).slice(0, TEXT_MAX_CHARS);
  return percent === undefined ? { phase: match[1]!, text } : { phase: match[1]!, percent, text };
}

/** Reads git's stderr chunk by chunk; a piece is parsed once its "\r" or "\n" has come. */
export class GitProgressParser {
  private partial = '';

  /** The updates completed by this chunk, in order. */
  feed(chunk: string): GitProgressUpdate[] {
    const pieces = (this.partial + chunk).split(/[\r\n]/);
    this.partial = pieces.pop() ?? '';
    // A line with no end in sight (not progress) must not grow without bound.
    if (this.partial.length > 4096) this.partial = '';
    return updatesOf(pieces);
  }

  /** The output ended: whatever was left unterminated. */
  end(): GitProgressUpdate[] {
    const rest = this.partial;
    this.partial = '';
    return updatesOf([rest]);
  }
}

function updatesOf(pieces: string[]): GitProgressUpdate[] {
  return pieces.map(parseProgressLine).filter((update): update is GitProgressUpdate => update !== null);
}

/**
 * git's stderr as it would have been without `--progress`: progress pieces and the lines git
 * prints only with progress are dropped; everything else (errors, "To …", "remote: " messages) stays.
 */
export function withoutProgress(stderr: string): string {
  return stderr
    .split('\n')
    .flatMap((line) => {
      if (line === '') return [line];
      const kept = line.split('\r').filter((piece) => piece.trim() !== '' && !isProgressPiece(piece));
      return kept.length === 0 ? [] : [kept.join('\r')];
    })
    .join('\n');
}

function isProgressPiece(piece: string): boolean {
  const { line } = clean(piece);
  return parseProgressLine(piece) !== null || PROGRESS_ONLY_LINE.test(line);
}
