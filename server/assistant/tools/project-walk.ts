// Walks a project's folders through FileService (so only what a user may see), depth first in
// the agent's order (folders first, then by name). Heavy folders (node_modules, .git, dist…) are
// listed but not entered, like the file tree does; the walk stops at a cap of entries. Folders
// are listed several at once (a turn's request waits for the walk).
import type { FileEntry } from '../../contracts';
import { mapAtMost } from '../../core/map-at-most';

export interface WalkOptions {
  recursive: boolean;
  maxEntries: number;
  signal?: AbortSignal;
}

export interface Walk {
  entries: FileEntry[];
  /** Entries were left out at the cap. */
  truncated: boolean;
}

/** Folders listed at once: each listing is a round trip to the workspace. */
const LISTINGS_AT_ONCE = 8;

/**
 * Lists folders level by level, several at once, until enough entries are known to fill the
 * cap; then gives them in the order a one-by-one depth-first walk would. A folder left unlisted
 * (the cap was reached first) ends the walk there, as truncated.
 */
export async function walkProject(
  list: (path: string) => Promise<FileEntry[]>,
  root: string,
  options: WalkOptions,
): Promise<Walk> {
  const listed = new Map<string, FileEntry[]>();
  let known = 0;
  for (let level = [root]; level.length && known < options.maxEntries;) {
    if (options.signal?.aborted) throw new Error('The turn was stopped');
    const children = await mapAtMost(level, LISTINGS_AT_ONCE, list);
    const next: string[] = [];
    level.forEach((folder, index) => {
      const entries = children[index]!;
      listed.set(folder, entries);
      known += entries.length;
      if (options.recursive)
        for (const entry of entries) if (entry.kind === 'dir' && !entry.heavy) next.push(entry.path);
    });
    level = next;
  }
  const entries: FileEntry[] = [];
  let truncated = false;
  const visit = (folder: string): void => {
    const children = listed.get(folder);
    if (!children) {
      truncated = true;
      return;
    }
    for (const entry of children) {
      if (entries.length >= options.maxEntries) {
        truncated = true;
        return;
      }
      entries.push(entry);
      if (options.recursive && entry.kind === 'dir' && !entry.heavy) visit(entry.path);
      if (truncated) return;
    }
  };
  visit(root);
  return { entries, truncated };
}
