// Line counts for the assistant's change cards ("Edited src/App.jsx (+12 −3)"): how many lines a
// change added and removed. Common leading and trailing lines are trimmed first; the middle is
// compared by longest common subsequence while it is small, else counted whole (still a fair card).

/** Past this many cells (middle lines before × after) the LCS is skipped. */
const MAX_LCS_CELLS = 4_000_000;

/** Lines of a text as an editor counts them: '' has 0, 'a' and 'a\n' have 1. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

export interface LineDelta {
  added: number;
  removed: number;
}

export function diffLineCounts(before: string, after: string): LineDelta {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  if (middleA.length === 0 || middleB.length === 0 || middleA.length * middleB.length > MAX_LCS_CELLS)
    return { added: middleB.length, removed: middleA.length };
  const common = lcsLength(middleA, middleB);
  return { added: middleB.length - common, removed: middleA.length - common };
}

/** Length of the longest common subsequence, in O(n·m) time and O(m) memory. */
function lcsLength(a: string[], b: string[]): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (const line of a) {
    for (let j = 1; j <= b.length; j++)
      current[j] = line === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
