// The three-way text merge behind the `merge` strategy (docs/adr-hybrid-sync.md): a line-based
// diff3 (node-diff3, the merge iD uses) of local and remote against the base. Where both sides
// changed the same lines, both versions are written between `<<<<<<< local` / `=======` /
// `>>>>>>> remote` lines and the result is not clean. Line endings stay as each side wrote them:
// lines are compared with their terminators. Without a base (first sync, or a base nobody holds)
// the merge is two-way: what both sides share at the start and the end stays, the rest conflicts.
import { diff3Merge } from 'node-diff3';

/** Files up to this size can be text; larger ones are treated as binaries. */
export const TEXT_MAX_BYTES = 1024 * 1024;
/**
 * node-diff3's line diff (Hunt–McIlroy) slows down quadratically on long runs of lines with many
 * repeats (blank lines, closing braces): a 10,000-line file took over a minute. So the merge is
 * cut at anchors first — lines found exactly once in each of the three texts, in the same order
 * in all (as patience diff does) — and node-diff3 merges only the stretches between them. A
 * stretch still longer than this (lines × lines) is merged two-way: one conflict, nothing lost.
 */
const MAX_STRETCH_WORK = 1_000_000;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface TextMergeResult {
  content: string;
  /** False when conflict markers were written. */
  clean: boolean;
}

/** Valid UTF-8 without NUL bytes, at most TEXT_MAX_BYTES: text; anything else is a binary. */
export function isText(content: Buffer): boolean {
  return decodeText(content) !== null;
}

/** The content as a string when it is text, else null. */
export function decodeText(content: Buffer): string | null {
  if (content.length > TEXT_MAX_BYTES || content.includes(0)) return null;
  try {
    return utf8.decode(content);
  } catch {
    return null;
  }
}

/** Lines with their terminators ("\n" or "\r\n"); the last one may have none. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/);
}

/** The line ending markers use: the local file's own. */
function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function conflictBlock(local: readonly string[], remote: readonly string[], eol: string): string {
  const withEnd = (lines: readonly string[]): string => {
    const joined = lines.join('');
    return joined === '' || joined.endsWith('\n') ? joined : joined + eol;
  };
  return `<<<<<<< local${eol}${withEnd(local)}=======${eol}${withEnd(remote)}>>>>>>> remote${eol}`;
}

function sharedPrefix(lists: readonly (readonly number[])[]): number {
  const shortest = Math.min(...lists.map((list) => list.length));
  let count = 0;
  while (count < shortest && lists.every((list) => list[count] === lists[0]![count])) count++;
  return count;
}

function sharedSuffix(lists: readonly (readonly number[])[], prefix: number): number {
  const shortest = Math.min(...lists.map((list) => list.length)) - prefix;
  let count = 0;
  const at = (list: readonly number[]): number | undefined => list[list.length - 1 - count];
  while (count < shortest && lists.every((list) => at(list) === at(lists[0]!))) count++;
  return count;
}

/** Indexes of the longest strictly increasing subsequence of `values` (patience sorting). */
function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = [];
  const previous: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let [low, high] = [0, tails.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (values[tails[mid]!]! < values[i]!) low = mid + 1;
      else high = mid;
    }
    previous[i] = low > 0 ? tails[low - 1]! : -1;
    tails[low] = i;
  }
  const result: number[] = [];
  for (let i = tails.at(-1) ?? -1; i !== -1; i = previous[i]!) result.push(i);
  return result.reverse();
}

/** Lines found exactly once in each text, as [index in a, in o, in b], increasing in all three. */
function anchors(a: readonly number[], o: readonly number[], b: readonly number[]): [number, number, number][] {
  const once = (list: readonly number[]): Map<number, number> => {
    const positions = new Map<number, number>();
    const repeated = new Set<number>();
    list.forEach((line, index) => {
      if (positions.has(line)) repeated.add(line);
      positions.set(line, index);
    });
    for (const line of repeated) positions.delete(line);
    return positions;
  };
  const [inA, inB] = [once(a), once(b)];
  const shared: [number, number, number][] = [];
  for (const [line, io] of once(o)) {
    const [ia, ib] = [inA.get(line), inB.get(line)];
    if (ia !== undefined && ib !== undefined) shared.push([ia, io, ib]);
  }
  shared.sort((x, y) => x[1] - y[1]);
  const inOrderA = longestIncreasing(shared.map((anchor) => anchor[0])).map((index) => shared[index]!);
  return longestIncreasing(inOrderA.map((anchor) => anchor[2])).map((index) => inOrderA[index]!);
}

/**
 * Merges `local` and `remote`, both derived from `base` (null: no common ancestor known).
 * Lines are numbered before the diff: node-diff3 keys lines in a plain object, where a line such
 * as "constructor" would clash with Object.prototype.
 */
export function mergeText(base: string | null, local: string, remote: string): TextMergeResult {
  if (local === remote) return { content: local, clean: true };
  if (base !== null && local === base) return { content: remote, clean: true };
  if (base !== null && remote === base) return { content: local, clean: true };

  const texts: string[] = [];
  const ids = new Map<string, number>();
  const number = (lines: string[]): number[] =>
    lines.map((line) => {
      let id = ids.get(line);
      if (id === undefined) {
        id = texts.length;
        ids.set(line, id);
        texts.push(line);
      }
      return id;
    });
  const a = number(splitLines(local));
  const b = number(splitLines(remote));
  const o = base === null ? null : number(splitLines(base));
  const lineText = (list: readonly number[]): string[] => list.map((id) => texts[id]!);
  const eol = lineEnding(local);

  const lists = o === null ? [a, b] : [a, o, b];
  const prefix = sharedPrefix(lists);
  const suffix = sharedSuffix(lists, prefix);
  const middle = (list: number[]): number[] => list.slice(prefix, list.length - suffix);
  const head = lineText(a.slice(0, prefix)).join('');
  const tail = lineText(a.slice(a.length - suffix)).join('');
  const [ma, mb] = [middle(a), middle(b)];

  if (o === null) return { content: head + conflictBlock(lineText(ma), lineText(mb), eol) + tail, clean: false };
  const mo = middle(o);

  let body = '';
  let clean = true;
  const conflict = (local: readonly number[], remote: readonly number[]): void => {
    clean = false;
    body += conflictBlock(lineText(local), lineText(remote), eol);
  };
  const mergeStretch = (sa: number[], so: number[], sb: number[]): void => {
    if (same(sa, so)) body += lineText(sb).join('');
    else if (same(sb, so) || same(sa, sb)) body += lineText(sa).join('');
    else if ((sa.length + sb.length) * so.length > MAX_STRETCH_WORK) conflict(sa, sb);
    else
      for (const region of diff3Merge<number>(sa, so, sb, { excludeFalseConflicts: true })) {
        if (region.ok) body += lineText(region.ok).join('');
        else if (region.conflict) conflict(region.conflict.a, region.conflict.b);
      }
  };
  let [pa, po, pb] = [0, 0, 0];
  for (const [ia, io, ib] of [...anchors(ma, mo, mb), [ma.length, mo.length, mb.length] as const]) {
    mergeStretch(ma.slice(pa, ia), mo.slice(po, io), mb.slice(pb, ib));
    if (ia < ma.length) body += texts[ma[ia]!]!;
    [pa, po, pb] = [ia + 1, io + 1, ib + 1];
  }
  return { content: head + body + tail, clean };
}

function same(x: readonly number[], y: readonly number[]): boolean {
  return x.length === y.length && x.every((line, index) => line === y[index]);
}
