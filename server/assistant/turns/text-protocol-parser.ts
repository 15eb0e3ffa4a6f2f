// The text protocol for models without tool calling (issue 11): the model writes a whole file as
//   ```file path=src/App.jsx
//   …the complete file…
//   ```
// and a command to run as
//   ```shell
//   npm install zustand
//   ```
// This parser reads the model's answer as it streams, in chunks split anywhere, and reports prose
// (to show as it comes) and each block once its closing fence has arrived. Other code fences
// (```js …) are prose. A fence is a line of 3+ backticks (up to 3 spaces before); it closes with
// at least as many backticks, so a block can hold shorter fences. A block the answer ends inside
// is reported as unterminated, its content never applied.

export type TextProtocolEvent =
  | { type: 'text'; text: string }
  /** `path` exactly as written (checked by whoever applies it); undefined when the opener had none. */
  | { type: 'file'; path: string | undefined; content: string }
  | { type: 'shell'; command: string }
  | { type: 'unterminated'; block: 'file' | 'shell'; path?: string };

type Mode =
  | { kind: 'prose' }
  /** Inside an ordinary code fence: shown as prose, but its lines are not block openers. */
  | { kind: 'code'; fence: number }
  | { kind: 'file'; fence: number; path: string | undefined; lines: string[] }
  | { kind: 'shell'; fence: number; lines: string[] };

const OPENER = /^ {0,3}(`{3,})(.*)$/;
const FILE_INFO = /^file(?:\s+path\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+)))?\s*$/i;
const SHELL_INFO = /^shell\s*$/i;

/** Could `partial` (a line's start, no newline yet) still become a fence line? */
const mayBeFence = (partial: string) => /^ {0,3}`*$/.test(partial) || OPENER.test(partial);

export class TextProtocolParser {
  private mode: Mode = { kind: 'prose' };
  /** Text not yet handled: at most the current line's start. */
  private buffer = '';
  /** Whether `buffer` starts at the beginning of a line. */
  private atLineStart = true;

  /** Feeds a chunk of the answer; returns what it completed. */
  push(chunk: string): TextProtocolEvent[] {
    this.buffer += chunk;
    const events: TextProtocolEvent[] = [];
    for (;;) {
      const newline = this.buffer.indexOf('\n');
      if (this.mode.kind === 'file' || this.mode.kind === 'shell') {
        if (newline < 0) break;
        this.blockLine(this.buffer.slice(0, newline), events);
        this.buffer = this.buffer.slice(newline + 1);
        continue;
      }
      if (this.atLineStart) {
        const line = newline < 0 ? this.buffer : this.buffer.slice(0, newline);
        if (newline < 0 && mayBeFence(line)) break; // wait for the rest of the line
        if (newline >= 0 && this.fenceLine(line, events)) {
          this.buffer = this.buffer.slice(newline + 1);
          continue;
        }
      }
      // Prose (or an ordinary fence's content): shown up to the end of the line, or what there is.
      if (newline < 0) {
        if (this.buffer) events.push({ type: 'text', text: this.buffer });
        this.atLineStart = false;
        this.buffer = '';
        break;
      }
      events.push({ type: 'text', text: this.buffer.slice(0, newline + 1) });
      this.buffer = this.buffer.slice(newline + 1);
      this.atLineStart = true;
    }
    return mergeText(events);
  }

  /** The answer ended: the rest as prose, or an unterminated block (nothing of it applied). */
  end(): TextProtocolEvent[] {
    const events: TextProtocolEvent[] = [];
    const rest = this.buffer;
    this.buffer = '';
    const mode = this.mode;
    if (mode.kind === 'file' || mode.kind === 'shell') {
      // A closing fence with no newline after it still closes.
      if (rest !== '' && isCloser(rest, mode.fence)) this.blockLine(rest, events);
      else if (rest !== '') mode.lines.push(rest);
    } else if (rest !== '') {
      if (!(this.atLineStart && this.fenceLine(rest, events))) events.push({ type: 'text', text: rest });
    }
    const open = this.mode;
    if (open.kind === 'file') events.push({ type: 'unterminated', block: 'file', path: open.path });
    else if (open.kind === 'shell') events.push({ type: 'unterminated', block: 'shell' });
    this.mode = { kind: 'prose' };
    this.atLineStart = true;
    return mergeText(events);
  }

  /** A whole line at a line start outside blocks: handles it when it is a fence line. */
  private fenceLine(line: string, events: TextProtocolEvent[]): boolean {
    const match = OPENER.exec(line);
    if (!match) return false;
    const fence = match[1]!.length;
    const info = match[2]!.trim();
    if (info.includes('`')) return false; // inline code such as ```x```, not a fence
    if (this.mode.kind === 'code') {
      if (info !== '' || fence < this.mode.fence) return false;
      this.mode = { kind: 'prose' };
      events.push({ type: 'text', text: `${line}\n` });
      return true;
    }
    const file = FILE_INFO.exec(info);
    if (file) this.mode = { kind: 'file', fence, path: file[1] ?? file[2] ?? file[3], lines: [] };
    else if (SHELL_INFO.test(info)) this.mode = { kind: 'shell', fence, lines: [] };
    else {
      this.mode = { kind: 'code', fence };
      events.push({ type: 'text', text: `${line}\n` });
    }
    return true;
  }

  private blockLine(line: string, events: TextProtocolEvent[]): void {
    const mode = this.mode;
    if (mode.kind !== 'file' && mode.kind !== 'shell') return;
    if (!isCloser(line, mode.fence)) {
      mode.lines.push(line);
      return;
    }
    if (mode.kind === 'file')
      events.push({ type: 'file', path: mode.path, content: mode.lines.length ? `${mode.lines.join('\n')}\n` : '' });
    else events.push({ type: 'shell', command: mode.lines.join('\n').trim() });
    this.mode = { kind: 'prose' };
    this.atLineStart = true;
  }
}

function isCloser(line: string, fence: number): boolean {
  const match = /^ {0,3}(`{3,})\s*$/.exec(line.replace(/\r$/, ''));
  return !!match && match[1]!.length >= fence;
}

/** Adjacent text events as one. */
function mergeText(events: TextProtocolEvent[]): TextProtocolEvent[] {
  const merged: TextProtocolEvent[] = [];
  for (const event of events) {
    const last = merged.at(-1);
    if (event.type === 'text' && last?.type === 'text') last.text += event.text;
    else merged.push(event);
  }
  return merged;
}
