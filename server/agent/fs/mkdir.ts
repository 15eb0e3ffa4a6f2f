// fs.mkdir: the folder and any missing parents; an existing folder is fine, a file is not.
// Made step by step through opened folders (anchored-dir.ts), so a folder on the way swapped
// for a symlink cannot send the new folders outside the root.
import type { FileEntry } from '../../contracts/files';
import { openAnchored } from './anchored-dir';
import { FsError, toFsError } from './errors';
import { toEntry } from './entry';
import type { PathGuard } from './path-guard';

export async function makeDir(guard: PathGuard, value: unknown): Promise<FileEntry> {
  const target = await guard.resolve(value, { follow: true, allowRoot: false });
  try {
    const rootReal = await guard.realRoot();
    // The guard's answer has realpath'd parents and a followed final link: its segments are the way down.
    const within = target.absolute === rootReal ? '' : target.absolute.slice(rootReal.length + 1);
    const dir = await openAnchored(guard, within === '' ? [] : within.split('/'), true, target.relative).catch(
      (error: unknown) => {
        // The last step met a file where the folder should be.
        if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
          throw new FsError('exists', `A file of that name exists: ${target.relative}`);
        throw error;
      },
    );
    try {
      return toEntry(target.relative, await dir.handle.stat({ bigint: true }));
    } finally {
      await dir.close();
    }
  } catch (error) {
    throw toFsError(error, target.relative);
  }
}
