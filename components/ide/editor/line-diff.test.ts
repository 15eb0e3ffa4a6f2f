import { describe, expect, it } from 'vitest';
import { diffLines, lineChanges, MAX_EDIT_DISTANCE, splitLines, type Hunk } from './line-diff';

const text = (...lines: string[]) => lines.map((line) => `${line}\n`).join('');

/** Applies hunks to base: must give current back (the hunks are a correct edit script). */
function apply(base: string[], current: string[], hunks: Hunk[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const hunk of hunks) {
    out.push(...base.slice(at, hunk.baseStart));
    out.push(...current.slice(hunk.currentStart, hunk.currentStart + hunk.currentCount));
    at = hunk.baseStart + hunk.baseCount;
  }
  out.push(...base.slice(at));
  return out;
}

describe('lineChanges', () => {
  it('finds nothing in equal texts, and splits like an editor', () => {
    expect(lineChanges(text('a', 'b'), text('a', 'b'))).toEqual([]);
    expect(lineChanges('a\r\nb\r\n', 'a\nb\n')).toEqual([]);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
  });

  it('marks added, modified and deleted lines in the current numbering', () => {
    const base = text('one', 'two', 'three', 'four', 'five', 'six');
    const current = text('one', 'TWO', 'three', 'new a', 'new b', 'four', 'six');
    expect(lineChanges(base, current)).toEqual([
      { kind: 'modified', startLine: 2, endLine: 2 },
      { kind: 'added', startLine: 4, endLine: 5 },
      { kind: 'deleted', startLine: 6, endLine: 6 },
    ]);
  });

  it('marks a deletion at the top as after line 0, and a new file as all added', () => {
    expect(lineChanges(text('gone', 'a', 'b'), text('a', 'b'))).toEqual([
      { kind: 'deleted', startLine: 0, endLine: 0 },
    ]);
    expect(lineChanges('', text('a', 'b'))).toEqual([{ kind: 'added', startLine: 1, endLine: 2 }]);
    expect(lineChanges(text('a', 'b'), '')).toEqual([{ kind: 'deleted', startLine: 0, endLine: 0 }]);
  });

  it('gives a shortest edit script that rebuilds the current text (random edits)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const base = Array.from({ length: Math.floor(random() * 40) }, () =>
        String.fromCharCode(97 + Math.floor(random() * 5)),
      );
      const current = [...base];
      for (let edits = Math.floor(random() * 8); edits > 0; edits--) {
        const at = Math.floor(random() * (current.length + 1));
        const roll = random();
        if (roll < 0.4) current.splice(at, 0, String.fromCharCode(97 + Math.floor(random() * 5)));
        else if (roll < 0.7) current.splice(at, 1);
        else current[at] = 'x';
      }
      const hunks = diffLines(base, current);
      expect(apply(base, current, hunks)).toEqual(current);
      const edits = hunks.reduce((sum, hunk) => sum + hunk.baseCount + hunk.currentCount, 0);
      expect(edits).toBe(lcsDistance(base, current));
    }
  });

  it('reports one changed block when the texts differ beyond the limit', () => {
    const base = Array.from({ length: MAX_EDIT_DISTANCE }, (_, i) => `a${i}`);
    const current = Array.from({ length: MAX_EDIT_DISTANCE }, (_, i) => `b${i}`);
    expect(diffLines(['same', ...base, 'end'], ['same', ...current, 'end'])).toEqual([
      { baseStart: 1, baseCount: MAX_EDIT_DISTANCE, currentStart: 1, currentCount: MAX_EDIT_DISTANCE },
    ]);
  });
});

/** The edit distance (insertions + deletions) by the textbook LCS table: the bound Myers must meet. */
function lcsDistance(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  return a.length + b.length - 2 * table[0]![0]!;
}
