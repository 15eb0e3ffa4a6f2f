// fs.mkdir: the folder and any missing parents; an existing folder is fine, a file is not.
import { lstat, mkdir } from 'node:fs/promises';
import type { FileEntry } from '../../contracts/files';
import { FsError, toFsError } from './errors';
import { toEntry } from './entry';
import type { PathGuard } from './path-guard';

export async function makeDir(guard: PathGuard, value: unknown): Promise<FileEntry> {
  const target = await guard.resolve(value, { follow: true, allowRoot: false });
  try {
    await mkdir(target.absolute, { recursive: true });
    const stats = await lstat(target.absolute, { bigint: true });
    if (!stats.isDirectory()) throw new FsError('exists', `A file of that name exists: ${target.relative}`);
    return toEntry(target.relative, stats);
  } catch (error) {
    throw toFsError(error, target.relative);
  }
}
