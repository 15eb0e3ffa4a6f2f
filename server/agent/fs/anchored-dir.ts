// Race-free access to a folder inside the root (Linux). The guard judges paths by name, and a
// folder swapped for a symlink after that check would send a later write-by-name outside the
// root. So operations that change the disk walk down from the root once, opening each folder
// with O_DIRECTORY|O_NOFOLLOW relative to the one above it, and then act on
// /proc/self/fd/<fd>/<name>. Node has no openat()/mkdirat(); a path through /proc/self/fd/<fd>
// is the same thing: the kernel resolves that prefix from the open descriptor, not by name, so
// whatever happens to the names above, the operation lands in the folder that was opened. A
// symlink met on the way down (swapped in since the guard looked) is refused as bad_path.
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FsError } from './errors';
import type { PathGuard, ResolvedPath } from './path-guard';

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** An open folder inside the root; `at(name)` names an entry of it through the descriptor. */
export class AnchoredDir {
  constructor(
    readonly handle: FileHandle,
    /** Where it was when opened (diagnostics only; never used to reach it). */
    readonly absolute: string,
  ) {}

  /** The descriptor's own path: readdir/opendir of this reads the opened folder. */
  get self(): string {
    return `/proc/self/fd/${this.handle.fd}`;
  }

  /** A path to `name` in the opened folder, resolved through its descriptor. */
  at(name: string): string {
    return `${this.self}/${name}`;
  }

  /** Opens the sub-folder `name` (never through a symlink). */
  async openChild(name: string, create = false): Promise<AnchoredDir> {
    return new AnchoredDir(await openStep(this, name, create), path.join(this.absolute, name));
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}

/** The folder at `segments` below the root's realpath, opened step by step; `create` makes missing ones. */
export async function openAnchored(
  guard: PathGuard,
  segments: readonly string[],
  create: boolean,
  relative = segments.join('/'),
): Promise<AnchoredDir> {
  const rootReal = await guard.realRoot();
  let current = new AnchoredDir(await open(rootReal, DIR_FLAGS), rootReal);
  try {
    for (const segment of segments) {
      let next: AnchoredDir;
      try {
        next = await current.openChild(segment, create);
      } catch (error) {
        throw await refusedIfSymlink(error, current, segment, relative);
      }
      await current.close();
      current = next;
    }
    // Belt and braces: where the descriptor really is, as the kernel sees it now.
    const real = await readlink(current.self);
    if (!inside(real, rootReal)) throw new FsError('bad_path', `Path leaves the project: ${relative}`);
    return current;
  } catch (error) {
    await current.close();
    throw error;
  }
}

export interface AnchoredEntry {
  /** The entry's parent folder, open. Close it when done. */
  dir: AnchoredDir;
  name: string;
  /** `dir.at(name)`. */
  at: string;
}

/**
 * The parent folder of a resolved (guard-checked) path, opened race-free, and the entry's name.
 * `resolved.absolute` has realpath'd parents (the guard's promise), so walking its segments
 * without following links is exactly the path the guard approved.
 */
export async function openParentOf(guard: PathGuard, resolved: ResolvedPath, create: boolean): Promise<AnchoredEntry> {
  const rootReal = await guard.realRoot();
  const within = path.relative(rootReal, resolved.absolute);
  // '' = the root itself (a final symlink to '.'): it has no parent inside the root.
  if (within === '' || within.startsWith('..') || path.isAbsolute(within))
    throw new FsError('bad_path', `Not allowed on the project root: ${resolved.relative}`);
  const segments = within.split(path.sep);
  const name = segments.pop()!;
  const dir = await openAnchored(guard, segments, create, resolved.relative);
  return { dir, name, at: dir.at(name) };
}

async function openStep(parent: AnchoredDir, name: string, create: boolean): Promise<FileHandle> {
  try {
    return await open(parent.at(name), DIR_FLAGS);
  } catch (error) {
    if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // mkdir(2) never follows a final symlink: a link planted here makes it fail with EEXIST.
  await mkdir(parent.at(name), 0o755).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return open(parent.at(name), DIR_FLAGS);
}

/**
 * ELOOP/ENOTDIR from O_NOFOLLOW|O_DIRECTORY: a symlink was there (the path changed under us, and
 * may have changed again since: a folder or nothing there now means the same), or a file is in the way.
 */
async function refusedIfSymlink(error: unknown, parent: AnchoredDir, name: string, relative: string): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ELOOP' && code !== 'ENOTDIR') return error;
  const stats = await lstat(parent.at(name)).catch(() => undefined);
  const changed = code === 'ELOOP' || !stats || stats.isSymbolicLink() || stats.isDirectory();
  return changed ? new FsError('bad_path', `Path changed to a symlink while in use: ${relative}`) : error;
}

function inside(real: string, rootReal: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
}
