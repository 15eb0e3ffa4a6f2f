// A compact unified diff of two texts (`@@ -a,b +c,d @@` hunks with 3 lines of context), for
// telling the model what the user changed. Lines are matched by longest common subsequence
// while the changed middle is small; past that the middle is shown as removed then added.
import { splitLines } from '../tools/line-diff';

const CONTEXT_LINES = 3;
/** Past this many cells (middle lines before × after) the LCS is skipped. */
const MAX_LCS_CELLS = 1_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The hunks that turn `before` into `after` ('' when they are equal), without file headers. */
export function unifiedDiff(before: string, after: string): string {
  if (before === after) return '';
  const ops = lineOps(splitLines(before), splitLines(after));
  const hunks: string[] = [];
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]!.kind === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - CONTEXT_LINES);
    // Extend while changes are closer than two contexts apart.
    let end = index;
    let lastChange = index;
    while (end < ops.length && end - lastChange <= CONTEXT_LINES * 2) {
      if (ops[end]!.kind !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + CONTEXT_LINES + 1);
    hunks.push(formatHunk(ops, start, end));
    index = end;
  }
  return hunks.join('\n');
}

function formatHunk(ops: readonly Op[], start: number, end: number): string {
  let oldStart = 1;
  let newStart = 1;
  for (let i = 0; i < start; i++) {
    if (ops[i]!.kind !== '+') oldStart++;
    if (ops[i]!.kind !== '-') newStart++;
  }
  const body = ops.slice(start, end);
  const oldCount = body.filter((op) => op.kind !== '+').length;
  const newCount = body.filter((op) => op.kind !== '-').length;
  const range = (first: number, count: number) => `${count === 0 ? first - 1 : first},${count}`;
  return [
    `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`,
    ...body.map((op) => `${op.kind}${op.line}`),
  ].join('\n');
}

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tailA = a.length;
  let tailB = b.length;
  while (tailA > head && tailB > head && a[tailA - 1] === b[tailB - 1]) {
    tailA--;
    tailB--;
  }
  const same = (line: string): Op => ({ kind: ' ', line });
  return [
    ...a.slice(0, head).map(same),
    ...middleOps(a.slice(head, tailA), b.slice(head, tailB)),
    ...a.slice(tailA).map(same),
  ];
}

function middleOps(a: readonly string[], b: readonly string[]): Op[] {
  const removed = a.map((line): Op => ({ kind: '-', line }));
  const added = b.map((line): Op => ({ kind: '+', line }));
  if (!a.length || !b.length || a.length * b.length > MAX_LCS_CELLS) return [...removed, ...added];
  // lengths[i][j] = LCS of a[i..] and b[j..], then walked from the start.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < a.length) ops.push({ kind: '-', line: a[i++]! });
  while (j < b.length) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}
