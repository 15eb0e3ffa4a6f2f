// Walks a project's folders through FileService (so only what a user may see), depth first in
// the agent's order (folders first, then by name). Heavy folders (node_modules, .git, dist…) are
// listed but not entered, like the file tree does; the walk stops at a cap of entries.
import type { FileEntry } from '../../contracts';

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

export async function walkProject(
  list: (path: string) => Promise<FileEntry[]>,
  root: string,
  options: WalkOptions,
): Promise<Walk> {
  const entries: FileEntry[] = [];
  let truncated = false;
  const visit = async (folder: string): Promise<void> => {
    for (const entry of await list(folder)) {
      if (options.signal?.aborted) throw new Error('The turn was stopped');
      if (entries.length >= options.maxEntries) {
        truncated = true;
        return;
      }
      entries.push(entry);
      if (options.recursive && entry.kind === 'dir' && !entry.heavy) await visit(entry.path);
      if (truncated) return;
    }
  };
  await visit(root);
  return { entries, truncated };
}
