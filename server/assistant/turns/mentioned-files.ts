// "The relevant files attached" (issue 11): files of the project the request names — by path
// ("src/App.jsx") or by a file name that only one file has ("App.jsx") — go to the model with it,
// so it need not spend a step reading them. At most a few, in the order the request names them.
import type { FileEntry } from '../../contracts';

/** Files attached because the request names them, at most. */
export const MENTIONED_FILES_MAX = 3;
/** Each one is shown up to this many characters. */
export const MENTIONED_FILE_MAX_CHARS = 20_000;

/** Paths of tree files the request names, first named first, without those in `exclude`. */
export function mentionedFiles(
  request: string,
  entries: readonly FileEntry[],
  exclude: ReadonlySet<string> = new Set(),
): string[] {
  const files = entries.filter((entry) => entry.kind === 'file');
  const byName = new Map<string, string[]>();
  for (const file of files) byName.set(file.name, [...(byName.get(file.name) ?? []), file.path]);
  const found = new Map<string, number>();
  for (const file of files) {
    if (exclude.has(file.path)) continue;
    // A path without a folder or an extension ("README", "Makefile") is too much like a word.
    let at = /[/.]/.test(file.path) ? indexOfWord(request, file.path) : -1;
    // A bare name counts when it looks like a file name (has an extension) and only one file has it.
    if (at < 0 && file.name.includes('.') && byName.get(file.name)!.length === 1) at = indexOfWord(request, file.name);
    if (at >= 0) found.set(file.path, at);
  }
  return [...found]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MENTIONED_FILES_MAX)
    .map(([path]) => path);
}

/** Where `word` occurs in `text` on its own (not inside a longer name or path), or -1. */
function indexOfWord(text: string, word: string): number {
  const part = /[\w.\-/@]/;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    // A trailing dot ends a sentence, not a name.
    const afterOk =
      after === undefined || !part.test(after) || (after === '.' && !part.test(text[at + word.length + 1] ?? ' '));
    if ((before === undefined || !part.test(before)) && afterOk) return at;
  }
  return -1;
}
