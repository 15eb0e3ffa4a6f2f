// Which lines of a file changed against a base version (git's index), for the editor's gutter:
// added, modified, or deleted-here, in the current text's line numbers, as VS Code's quick diff
// shows them. A line diff by Myers' O(ND) algorithm after trimming the common head and tail
// (typing changes a few lines of a large file: the middle left to diff is small). Pure, no DOM.

export type LineChangeKind = 'added' | 'modified' | 'deleted';

export interface LineChange {
  kind: LineChangeKind;
  /**
   * 1-based lines of the current text, inclusive. For 'deleted' both are the line after which
   * base lines were removed (0: removed above the first line).
   */
  startLine: number;
  endLine: number;
}

/** One run of differing lines: base[baseStart, baseStart+baseCount) became current[currentStart, …+currentCount). */
export interface Hunk {
  baseStart: number;
  baseCount: number;
  currentStart: number;
  currentCount: number;
}

/** Past this many differences, the middle is reported as one changed block instead (bounded time and memory). */
export const MAX_EDIT_DISTANCE = 2000;

/** Lines as an editor shows them: split on LF or CRLF; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineChanges(base: string, current: string): LineChange[] {
  return hunksToChanges(diffLines(splitLines(base), splitLines(current)));
}

export function hunksToChanges(hunks: Hunk[]): LineChange[] {
  return hunks.map(({ baseCount, currentStart, currentCount }) => {
    if (currentCount === 0) return { kind: 'deleted', startLine: currentStart, endLine: currentStart };
    const kind: LineChangeKind = baseCount === 0 ? 'added' : 'modified';
    return { kind, startLine: currentStart + 1, endLine: currentStart + currentCount };
  });
}

/** The differing runs between two line arrays (0-based starts), in order. */
export function diffLines(base: readonly string[], current: readonly string[]): Hunk[] {
  let head = 0;
  while (head < base.length && head < current.length && base[head] === current[head]) head++;
  let tail = 0;
  while (
    tail < base.length - head &&
    tail < current.length - head &&
    base[base.length - 1 - tail] === current[current.length - 1 - tail]
  )
    tail++;
  const a = base.slice(head, base.length - tail);
  const b = current.slice(head, current.length - tail);
  if (a.length === 0 && b.length === 0) return [];
  if (a.length === 0 || b.length === 0)
    return [{ baseStart: head, baseCount: a.length, currentStart: head, currentCount: b.length }];
  const script = myers(a, b);
  if (!script) return [{ baseStart: head, baseCount: a.length, currentStart: head, currentCount: b.length }];
  return script.map((hunk) => ({ ...hunk, baseStart: hunk.baseStart + head, currentStart: hunk.currentStart + head }));
}

/**
 * Myers' greedy shortest edit script. `trace[d]` keeps the furthest x reached on each diagonal
 * k (index k + d) after d edits; walking it back from the end gives the snakes, and the gaps
 * between snakes are the hunks. null when more than MAX_EDIT_DISTANCE edits are needed.
 */
function myers(a: readonly string[], b: readonly string[]): Hunk[] | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, MAX_EDIT_DISTANCE);
  const trace: Int32Array[] = [];
  let previous = new Int32Array(1);
  let found = -1;
  for (let d = 0; d <= limit; d++) {
    const v = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      // Down (an insertion) from diagonal k+1, or right (a deletion) from diagonal k-1.
      const fromAbove = d > 0 && k < d ? previous[k + 1 + (d - 1)]! : -1;
      const fromLeft = d > 0 && k > -d ? previous[k - 1 + (d - 1)]! : -1;
      let x = d === 0 ? 0 : k === -d || (k !== d && fromLeft < fromAbove) ? fromAbove : fromLeft + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + d] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v);
    if (found >= 0) break;
    previous = v;
  }
  if (found < 0) return null;

  // Back from (n, m): each step of d is one edit followed by a snake of equal lines.
  const equal: { x: number; y: number; length: number }[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const before = trace[d - 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && before[k - 1 + (d - 1)]! < before[k + 1 + (d - 1)]!);
    const previousK = down ? k + 1 : k - 1;
    const previousX = before[previousK + (d - 1)]!;
    const previousY = previousX - previousK;
    // After the edit: (previousX, previousY+1) going down, (previousX+1, previousY) going right.
    const startX = down ? previousX : previousX + 1;
    const startY = down ? previousY + 1 : previousY;
    if (x > startX) equal.push({ x: startX, y: startY, length: x - startX });
    x = previousX;
    y = previousY;
  }
  if (x > 0) equal.push({ x: 0, y: 0, length: x });
  equal.reverse();

  const hunks: Hunk[] = [];
  let atX = 0;
  let atY = 0;
  for (const run of [...equal, { x: n, y: m, length: 0 }]) {
    if (run.x > atX || run.y > atY)
      hunks.push({ baseStart: atX, baseCount: run.x - atX, currentStart: atY, currentCount: run.y - atY });
    atX = run.x + run.length;
    atY = run.y + run.length;
  }
  return hunks;
}
