// Temp files of writes that never finished (the agent killed mid-save, the container stopped)
// would stay forever: they are swept once when the agent starts. The walk is bounded (folders,
// depth), skips heavy folders (node_modules, .git…), never follows a symlink (it goes through
// opened folders, anchored-dir.ts), and takes only temp files older than the agent's start, so a
// write (or snapshot restore) this agent has begun is never touched.
import { lstat, readdir, unlink } from 'node:fs/promises';
import { openAnchored, type AnchoredDir } from './anchored-dir';
import { isHeavyName, TEMP_PREFIX } from './entry';
import type { PathGuard } from './path-guard';

export interface SweepOptions {
  /** Temp files last modified before this (ms since the epoch) are leftovers. */
  olderThanMs: number;
  maxFolders?: number;
  maxDepth?: number;
}

export interface SweepResult {
  removed: number;
  folders: number;
  /** False when a bound stopped the walk early. */
  complete: boolean;
}

const MAX_FOLDERS = 20_000;
const MAX_DEPTH = 32;
/** File times come from a coarse kernel clock that can lag Date.now() by a few ms. */
export const CLOCK_SLACK_MS = 1000;

export async function sweepStaleTempFiles(guard: PathGuard, options: SweepOptions): Promise<SweepResult> {
  const state = {
    removed: 0,
    folders: 0,
    complete: true,
    maxFolders: options.maxFolders ?? MAX_FOLDERS,
    maxDepth: options.maxDepth ?? MAX_DEPTH,
  };
  const root = await openAnchored(guard, [], false);
  try {
    await sweepFolder(root, 0, options.olderThanMs, state);
  } finally {
    await root.close();
  }
  return { removed: state.removed, folders: state.folders, complete: state.complete };
}

async function sweepFolder(
  dir: AnchoredDir,
  depth: number,
  olderThanMs: number,
  state: SweepResult & { maxFolders: number; maxDepth: number },
): Promise<void> {
  if (state.folders >= state.maxFolders) {
    state.complete = false;
    return;
  }
  state.folders++;
  const entries = await readdir(dir.self, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name.startsWith(TEMP_PREFIX) && (entry.isFile() || entry.isSymbolicLink())) {
      const stats = await lstat(dir.at(entry.name)).catch(() => undefined);
      if (
        stats &&
        !stats.isDirectory() &&
        stats.mtimeMs < olderThanMs &&
        (await unlink(dir.at(entry.name)).then(
          () => true,
          () => false,
        ))
      )
        state.removed++;
    } else if (entry.isDirectory() && !isHeavyName(entry.name)) {
      if (depth + 1 > state.maxDepth) {
        state.complete = false;
        continue;
      }
      // A folder swapped for a link since readdir is refused by openChild (O_NOFOLLOW): skipped.
      const child = await dir.openChild(entry.name).catch(() => undefined);
      if (!child) continue;
      try {
        await sweepFolder(child, depth + 1, olderThanMs, state);
      } finally {
        await child.close();
      }
    }
  }
}
