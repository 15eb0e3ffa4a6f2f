// fs.delete: a file, a symlink (the link, not its target) or a folder recursively; never the root.
import { lstat, rm } from 'node:fs/promises';
import { toFsError } from './errors';
import type { PathGuard } from './path-guard';

export async function deletePath(guard: PathGuard, value: unknown): Promise<null> {
  const target = await guard.resolve(value, { allowRoot: false });
  try {
    await lstat(target.absolute); // not_found rather than a silent success
    await rm(target.absolute, { recursive: true, force: false, maxRetries: 2 });
    return null;
  } catch (error) {
    throw toFsError(error, target.relative);
  }
}
