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
 * Above this many matching line pairs the line diff (Hunt–McIlroy) would take too long — a file of
 * thousands of identical lines changed everywhere — so the merge falls back to two-way.
 */
const MAX_MATCHING_LINE_PAIRS = 2_000_000;

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

/** Matching line pairs between two lists: the work the line diff does. */
function matchingPairs(a: readonly number[], b: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  let pairs = 0;
  for (const line of a) pairs += counts.get(line) ?? 0;
  return pairs;
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

  const twoWay = (): TextMergeResult => ({
    content: head + conflictBlock(lineText(ma), lineText(mb), eol) + tail,
    clean: false,
  });
  if (o === null) return twoWay();
  const mo = middle(o);
  if (matchingPairs(ma, mo) + matchingPairs(mb, mo) > MAX_MATCHING_LINE_PAIRS) return twoWay();

  let body = '';
  let clean = true;
  for (const region of diff3Merge<number>(ma, mo, mb, { excludeFalseConflicts: true })) {
    if (region.ok) body += lineText(region.ok).join('');
    else if (region.conflict) {
      clean = false;
      body += conflictBlock(lineText(region.conflict.a), lineText(region.conflict.b), eol);
    }
  }
  return { content: head + body + tail, clean };
}
