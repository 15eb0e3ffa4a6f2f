// fs.list: one folder's entries, folders first then by name. readdir + one lstat per entry (no
// realpath per entry). The lstats are synchronous, in slices with a yield between them: a cached
// lstat is a microsecond syscall, while the async one costs a thread-pool round trip (measured:
// 10,000 entries in ~40 ms sync vs ~120 ms async), and a slice blocks the loop for ~2 ms only.
import { lstatSync, type BigIntStats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry } from '../../contracts/files';
import { FsError, toFsError } from './errors';
import { joinRelative, TEMP_PREFIX, toEntry } from './entry';
import type { PathGuard } from './path-guard';

const SLICE = 500;

export async function listDir(guard: PathGuard, value: unknown): Promise<FileEntry[]> {
  const target = await guard.resolve(value, { follow: true });
  let names: string[];
  try {
    names = (await readdir(target.absolute)).filter((name) => !name.startsWith(TEMP_PREFIX));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new FsError('not_a_dir', `Not a folder: ${target.relative || '(root)'}`);
    throw toFsError(error, target.relative);
  }
  const entries: FileEntry[] = [];
  for (let start = 0; start < names.length; start += SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const name of names.slice(start, start + SLICE)) {
      // Gone between readdir and lstat: leave it out, the watcher reports the deletion.
      const stats = lstatOrUndefined(path.join(target.absolute, name));
      if (stats) entries.push(toEntry(joinRelative(target.relative, name), stats));
    }
  }
  return entries.sort(compareEntries);
}

export function compareEntries(a: FileEntry, b: FileEntry): number {
  const aDir = a.kind === 'dir' ? 0 : 1;
  const bDir = b.kind === 'dir' ? 0 : 1;
  if (aDir !== bDir) return aDir - bDir;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function lstatOrUndefined(absolute: string): BigIntStats | undefined {
  try {
    return lstatSync(absolute, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined; // unreadable (EACCES…): not listed rather than failing the whole folder
  }
}
