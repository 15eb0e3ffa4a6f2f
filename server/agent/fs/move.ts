// fs.move: rename a file or folder (a symlink moves as the link). Never overwrites: an existing
// target is 'exists'. Missing parent folders of the target are created. Both ends are reached
// through their opened parent folders (anchored-dir.ts), never by names that could be swapped.
import { lstat, rename } from 'node:fs/promises';
import type { FileEntry } from '../../contracts/files';
import { openParentOf, type AnchoredEntry } from './anchored-dir';
import { FsError, toFsError } from './errors';
import { toEntry } from './entry';
import type { PathGuard } from './path-guard';

export async function movePath(guard: PathGuard, fromValue: unknown, toValue: unknown): Promise<FileEntry> {
  const from = await guard.resolve(fromValue, { allowRoot: false });
  const to = await guard.resolve(toValue, { allowRoot: false });
  if (to.relative === from.relative) throw new FsError('exists', `Already exists: ${to.relative}`);
  if (to.relative.startsWith(`${from.relative}/`)) throw new FsError('bad_path', 'Cannot move a folder into itself');
  let source: AnchoredEntry | undefined;
  let target: AnchoredEntry | undefined;
  try {
    source = await openParentOf(guard, from, false);
    await lstat(source.at);
    target = await openParentOf(guard, to, true);
    if (await exists(target.at)) throw new FsError('exists', `Already exists: ${to.relative}`);
    // rename(2) would replace an existing file: the check above is best effort against races
    // with the user's own processes (Node has no RENAME_NOREPLACE).
    await rename(source.at, target.at);
    return toEntry(to.relative, await lstat(target.at, { bigint: true }));
  } catch (error) {
    throw toFsError(error, from.relative);
  } finally {
    await source?.dir.close();
    await target?.dir.close();
  }
}

async function exists(at: string): Promise<boolean> {
  try {
    await lstat(at);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
