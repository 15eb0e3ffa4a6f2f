// Confines every file operation to the workspace root. A path is refused ('bad_path') when it
// is absolute, has '..' segments or NUL bytes, is too long, or when it resolves — through
// symlinks anywhere on the way, or through a final symlink the operation would follow — to a
// place outside the root. Checks use the realpath of the nearest existing ancestor, so paths
// that do not exist yet (mkdir -p, a new file) are judged by where they would land.
// Not a sandbox against the container's own user (they have a shell); it keeps Berth's server
// from being tricked into reading or writing outside /workspace.
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { MAX_PATH_LENGTH } from '../../contracts/files';
import { FsError } from './errors';

export interface ResolvedPath {
  /** Normalised relative path ('' = the root). */
  relative: string;
  /** Absolute path on disk; its parent folders are real (symlink-free) paths inside the root. */
  absolute: string;
}

export interface ResolveOptions {
  /** Follow a final symlink (read, write, list); otherwise act on the link itself. */
  follow?: boolean;
  /** Accept '' (the root itself). Default true. */
  allowRoot?: boolean;
}

const MAX_SYMLINK_HOPS = 40;

/** Syntax only: returns the normalised segments or throws bad_path. */
export function checkRelativePath(value: unknown): string[] {
  if (typeof value !== 'string') throw new FsError('bad_path', 'A path must be a string');
  if (value.length > MAX_PATH_LENGTH) throw new FsError('bad_path', `Paths are at most ${MAX_PATH_LENGTH} characters`);
  if (value.includes('\0')) throw new FsError('bad_path', 'Paths must not contain NUL bytes');
  if (value.startsWith('/')) throw new FsError('bad_path', 'Paths are relative to the project root');
  const segments = value.split('/').filter((segment) => segment !== '' && segment !== '.');
  // Refused even when it would normalise back inside ('a/../b'): callers must send clean paths.
  if (segments.some((segment) => segment === '..')) throw new FsError('bad_path', 'Paths must not contain ".."');
  return segments;
}

export class PathGuard {
  private rootReal: Promise<string> | undefined;

  constructor(readonly root: string) {}

  /** The root's own realpath (the root may itself be reached through a symlink, e.g. /tmp). */
  realRoot(): Promise<string> {
    this.rootReal ??= realpath(this.root).catch((error: unknown) => {
      this.rootReal = undefined;
      throw error;
    });
    return this.rootReal;
  }

  async resolve(value: unknown, options: ResolveOptions = {}): Promise<ResolvedPath> {
    const segments = checkRelativePath(value);
    const relative = segments.join('/');
    const rootReal = await this.realRoot();
    if (segments.length === 0) {
      if (options.allowRoot === false) throw new FsError('bad_path', 'Not allowed on the project root');
      return { relative, absolute: rootReal };
    }
    let absolute = await this.landing(path.join(rootReal, ...segments), rootReal, relative);
    if (options.follow) absolute = await this.followFinal(absolute, rootReal, relative);
    return { relative, absolute };
  }

  /** The relative path of an absolute one inside the root, or undefined. */
  async relativeOf(absolute: string): Promise<string | undefined> {
    const rootReal = await this.realRoot();
    return inside(absolute, rootReal) ? path.relative(rootReal, absolute).split(path.sep).join('/') : undefined;
  }

  /** Where `absolute` lands: its parent's nearest existing ancestor, realpath'd, must stay inside. */
  private async landing(absolute: string, rootReal: string, relative: string): Promise<string> {
    if (absolute === rootReal) return absolute;
    const missing: string[] = [path.basename(absolute)];
    let ancestor = path.dirname(absolute);
    for (;;) {
      try {
        const real = await realpath(ancestor);
        if (!inside(real, rootReal)) throw new FsError('bad_path', `Path leaves the project: ${relative}`);
        return path.join(real, ...missing);
      } catch (error) {
        if (error instanceof FsError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') throw new FsError('bad_path', `Too many symlinks: ${relative}`);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        // A dangling symlink on the way: refuse outright, its target is decided by someone else.
        if (code === 'ENOENT' && (await isSymlink(ancestor)))
          throw new FsError('bad_path', `Path goes through a dangling symlink: ${relative}`);
        if (ancestor === rootReal || ancestor === path.dirname(ancestor))
          throw new FsError('bad_path', `Path leaves the project: ${relative}`);
        missing.unshift(path.basename(ancestor));
        ancestor = path.dirname(ancestor);
      }
    }
  }

  /** Follows a final symlink (chains, dangling ones) hop by hop, each hop checked. */
  private async followFinal(absolute: string, rootReal: string, relative: string): Promise<string> {
    let current = absolute;
    for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
      let target: string;
      try {
        target = await readlink(current);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Not a symlink (EINVAL) or not there yet: this is where the operation acts.
        if (code === 'EINVAL' || code === 'ENOENT') return current;
        throw error;
      }
      current = await this.landing(path.resolve(path.dirname(current), target), rootReal, relative);
      if (current === rootReal) return current;
    }
    throw new FsError('bad_path', `Too many symlinks: ${relative}`);
  }
}

function inside(real: string, rootReal: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
}

async function isSymlink(absolute: string): Promise<boolean> {
  try {
    return (await lstat(absolute)).isSymbolicLink();
  } catch {
    return false;
  }
}
