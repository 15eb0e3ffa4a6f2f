// FileEntry from a (bigint) lstat: kind, size, mtime and the file's version.
import type { BigIntStats } from 'node:fs';
import type { FileEntry, FileKind } from '../../contracts/files';

/**
 * Folders that are listed but neither watched nor expanded by default. `.home` is the user's
 * home folder (shell history, npm cache): busy, and not project code.
 */
export const HEAVY_DIRS = new Set([
  'node_modules',
  '.git',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.svelte-kit',
  'dist',
  'coverage',
  '.venv',
  '__pycache__',
  'target',
  '.home',
]);

/** The agent's own temp files (atomic writes); never listed as changes. */
export const TEMP_PREFIX = '.berth-tmp-';

export function isHeavyName(name: string): boolean {
  return HEAVY_DIRS.has(name);
}

export function kindOf(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Changes with any write: mtime in ns, size and inode (a rename-based write gets a new inode). */
export function versionOf(stats: BigIntStats): string {
  return `${stats.mtimeNs}-${stats.size}-${stats.ino}`;
}

export function toEntry(relativePath: string, stats: BigIntStats): FileEntry {
  const kind = kindOf(stats);
  const name = relativePath === '' ? '' : relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const entry: FileEntry = {
    name,
    path: relativePath,
    kind,
    size: Number(stats.size),
    mtimeMs: Number(stats.mtimeNs / 1000n) / 1000,
  };
  if (kind === 'file') entry.version = versionOf(stats);
  if (kind === 'dir' && isHeavyName(name)) entry.heavy = true;
  return entry;
}

export function joinRelative(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}
