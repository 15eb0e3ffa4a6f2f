// Recursive delete that never follows a symlink, even one swapped in mid-walk: each folder is
// opened with O_NOFOLLOW through its parent's descriptor (anchored-dir.ts) and its entries are
// unlinked through that descriptor. fs.rm's own walk goes by names, and a folder swapped for a
// link between its lstat and its readdir would have it empty the link's target.
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import type { AnchoredDir } from './anchored-dir';

/** Files unlinked at once within one folder; folders go one at a time (depth-first, few descriptors). */
const PARALLEL_UNLINKS = 32;

export async function removeEntry(parent: AnchoredDir, name: string): Promise<void> {
  const stats = await lstat(parent.at(name));
  if (!stats.isDirectory()) return unlink(parent.at(name));
  // A second pass for files a running process added meanwhile (what fs.rm's maxRetries did).
  for (let pass = 1; ; pass++) {
    await emptyFolder(parent, name);
    try {
      // rmdir(2) does not follow a link: if the name was swapped meanwhile, this fails (ENOTDIR).
      return await rmdir(parent.at(name));
    } catch (error) {
      if (pass >= 2 || (error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
    }
  }
}

async function emptyFolder(parent: AnchoredDir, name: string): Promise<void> {
  const dir = await parent.openChild(name);
  try {
    const entries = await readdir(dir.self, { withFileTypes: true });
    const files = entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
    for (let start = 0; start < files.length; start += PARALLEL_UNLINKS) {
      await Promise.all(
        files
          .slice(start, start + PARALLEL_UNLINKS)
          .map((file) =>
            unlink(dir.at(file)).catch((error: unknown) =>
              isFolder(error) ? removeEntry(dir, file) : ignoreGone(error),
            ),
          ),
      );
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await removeEntry(dir, entry.name).catch(ignoreGone);
    }
  } finally {
    await dir.close();
  }
}

/** unlink(2) of what became a folder since readdir. */
const isFolder = (error: unknown) => ['EISDIR', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '');

/** Someone else removed it first: fine. */
function ignoreGone(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
