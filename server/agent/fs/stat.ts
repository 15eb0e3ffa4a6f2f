// fs.stat: one entry, by lstat (a symlink is reported as a symlink, not followed).
import { lstat } from 'node:fs/promises';
import type { FileEntry } from '../../contracts/files';
import { toFsError } from './errors';
import { toEntry } from './entry';
import type { PathGuard } from './path-guard';

export async function statPath(guard: PathGuard, value: unknown): Promise<FileEntry> {
  const target = await guard.resolve(value);
  try {
    return toEntry(target.relative, await lstat(target.absolute, { bigint: true }));
  } catch (error) {
    throw toFsError(error, target.relative);
  }
}
