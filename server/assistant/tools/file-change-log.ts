// What one assistant turn changed, per path, for the turn's record (Turn.changedFiles, which
// "Undo this turn" restores) and the UI card ("Edited src/App.jsx (+12 −3)"). A path touched
// several times is one entry, from its state before the turn to its state now: created then
// edited stays "created"; created then deleted leaves no entry.
import type { TurnFileChange } from '../../contracts';
import { countLines, diffLineCounts } from './line-diff';

/** A file's content at one moment: absent, text, or present but not text (binary or too large). */
export type FileState = { exists: false } | { exists: true; text: string | null };

export interface AssistantFileChange extends TurnFileChange {
  /** Lines before the turn; null when the file did not exist or is not text. */
  linesBefore: number | null;
  /** Lines now; null when the file is gone or is not text. */
  linesAfter: number | null;
  added: number;
  removed: number;
}

interface Touched {
  path: string;
  before: FileState;
  after: FileState;
}

export class FileChangeLog {
  private readonly touched = new Map<string, Touched>();

  /** Records one change of `path`: `before` is its state right before this change. */
  record(path: string, before: FileState, after: FileState): AssistantFileChange | undefined {
    const entry = this.touched.get(path);
    if (entry) entry.after = after;
    else this.touched.set(path, { path, before, after });
    return this.changeOf(path);
  }

  /** The changes so far, in the order the paths were first touched. */
  changes(): AssistantFileChange[] {
    return [...this.touched.keys()].flatMap((path) => this.changeOf(path) ?? []);
  }

  /** What the turn left at `path` (its state after the last change), if it touched it. */
  afterOf(path: string): FileState | undefined {
    return this.touched.get(path)?.after;
  }

  /** What `path` was right before the turn first changed it, if it touched it. */
  beforeOf(path: string): FileState | undefined {
    return this.touched.get(path)?.before;
  }

  changeOf(path: string): AssistantFileChange | undefined {
    const entry = this.touched.get(path);
    if (!entry) return undefined;
    const { before, after } = entry;
    if (!before.exists && !after.exists) return undefined;
    const change: TurnFileChange['change'] = !before.exists ? 'created' : !after.exists ? 'deleted' : 'modified';
    const textBefore = before.exists ? before.text : '';
    const textAfter = after.exists ? after.text : '';
    const delta =
      textBefore !== null && textAfter !== null ? diffLineCounts(textBefore, textAfter) : { added: 0, removed: 0 };
    return {
      path,
      change,
      linesBefore: before.exists && before.text !== null ? countLines(before.text) : null,
      linesAfter: after.exists && after.text !== null ? countLines(after.text) : null,
      ...delta,
    };
  }
}
