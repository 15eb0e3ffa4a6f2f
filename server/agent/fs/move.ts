// fs.move: rename a file or folder (a symlink moves as the link). Never overwrites: an existing
// target is 'exists'. Missing parent folders of the target are created.
import { lstat, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry } from '../../contracts/files';
import { FsError, toFsError } from './errors';
import { toEntry } from './entry';
import type { PathGuard } from './path-guard';

export async function movePath(guard: PathGuard, fromValue: unknown, toValue: unknown): Promise<FileEntry> {
  const from = await guard.resolve(fromValue, { allowRoot: false });
  const to = await guard.resolve(toValue, { allowRoot: false });
  if (to.relative === from.relative) throw new FsError('exists', `Already exists: ${to.relative}`);
  if (to.relative.startsWith(`${from.relative}/`)) throw new FsError('bad_path', 'Cannot move a folder into itself');
  try {
    await lstat(from.absolute);
    if (await exists(to.absolute)) throw new FsError('exists', `Already exists: ${to.relative}`);
    await mkdir(path.dirname(to.absolute), { recursive: true });
    // rename(2) would replace an existing file: the check above is best effort against races
    // with the user's own processes (Node has no RENAME_NOREPLACE).
    await rename(from.absolute, to.absolute);
    return toEntry(to.relative, await lstat(to.absolute, { bigint: true }));
  } catch (error) {
    throw toFsError(error, from.relative);
  }
}

async function exists(absolute: string): Promise<boolean> {
  try {
    await lstat(absolute);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
