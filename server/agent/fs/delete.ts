// fs.delete: a file, a symlink (the link, not its target) or a folder recursively; never the root.
// The walk goes through opened folders (remove-tree.ts), so nothing outside the root is touched
// even if folders are swapped for symlinks while it runs.
import { lstat } from 'node:fs/promises';
import { openParentOf, type AnchoredEntry } from './anchored-dir';
import { toFsError } from './errors';
import type { PathGuard } from './path-guard';
import { removeEntry } from './remove-tree';

export async function deletePath(guard: PathGuard, value: unknown): Promise<null> {
  const target = await guard.resolve(value, { allowRoot: false });
  let place: AnchoredEntry | undefined;
  try {
    place = await openParentOf(guard, target, false);
    await lstat(place.at); // not_found rather than a silent success
    await removeEntry(place.dir, place.name);
    return null;
  } catch (error) {
    throw toFsError(error, target.relative);
  } finally {
    await place?.dir.close();
  }
}
