// What a remote's manifest may hold before the planner trusts it (docs/adr-hybrid-sync.md): every
// name Linux allows (a backslash is an ordinary character there), but nothing that leaves the
// project folder, means something else or cannot be written as stated: no absolute path, no empty,
// "." or ".." segment, no NUL, nothing under `.berth/` (the command line's state) or in a `.git`
// folder (hooks there run code), no duplicate, no path that is both a file and a folder of another,
// only regular files and symlinks with permission bits, sizes a snapshot can hold and a bounded
// count. The same rules as server/transfer/bundle-paths.ts, written here without server imports
// because the command line bundles this folder.
import { MAX_PATH_LENGTH } from '../../contracts/files';
import { SYNC_MAX_MANIFEST_ENTRIES, type SyncManifestEntry } from '../../contracts/sync';

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
/** The largest file a sync moves. */
export const SYNC_MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_SEGMENT_BYTES = 255;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A remote's manifest the planner refuses: nothing is planned, moved or applied. */
export class ManifestRefusedError extends Error {
  readonly code = 'manifest_refused';
}

export function isRegularFileMode(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}

export function isSymlinkMode(mode: number): boolean {
  return (mode & S_IFMT) === S_IFLNK;
}

/**
 * Paths a sync never carries, on either side: git's own folders (hooks there run code; each side
 * keeps its history) and the command line's `.berth/` state. Case-insensitive, as on macOS.
 * A peer whose state would hold them (a Berth's snapshots keep `.git/`) leaves them out of its
 * state and keeps them through an apply.
 */
export function isOutsideSync(path: string): boolean {
  const segments = path.toLowerCase().split('/');
  return segments[0] === '.berth' || segments.includes('.git');
}

/** Why `path` cannot be a project path a sync writes, or undefined when it can. */
export function syncPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'empty path';
  if (path.length > MAX_PATH_LENGTH) return `longer than ${MAX_PATH_LENGTH} characters`;
  if (path.includes('\0')) return 'NUL byte';
  if (path.startsWith('/')) return 'absolute path';
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return `"${segment}" segment`;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  if (isOutsideSync(path))
    return segments[0]!.toLowerCase() === '.berth'
      ? "inside .berth (the command line's state)"
      : 'inside a .git folder';
  return undefined;
}

/** Why `entry`'s mode, size or hash cannot be synced, or undefined when they can. */
function entryProblem(entry: SyncManifestEntry): string | undefined {
  const { mode, size, sha256 } = entry;
  if (!Number.isSafeInteger(mode) || mode < 0) return `mode ${String(mode)} is not a file mode`;
  const type = mode & S_IFMT;
  if ((type !== S_IFREG && type !== S_IFLNK) || (mode & ~(S_IFMT | 0o777)) !== 0)
    return `unsupported mode ${mode.toString(8)} (only regular files and symlinks with permission bits)`;
  if (!Number.isSafeInteger(size) || size < 0) return `size ${String(size)} is not a byte count`;
  if (size > SYNC_MAX_FILE_BYTES) return `${size} bytes, over the ${SYNC_MAX_FILE_BYTES}-byte limit`;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return 'hash is not a lowercase hex sha256';
  return undefined;
}

function refuse(path: string, problem: string): never {
  throw new ManifestRefusedError(
    `The remote sent a path the sync refuses: ${JSON.stringify(path.slice(0, 200))} (${problem})`,
  );
}

/** Throws ManifestRefusedError, naming the path, at the first entry a hostile remote could use against this side. */
export function checkRemoteManifest(files: readonly SyncManifestEntry[]): void {
  if (files.length > SYNC_MAX_MANIFEST_ENTRIES)
    throw new ManifestRefusedError(
      `The remote's manifest holds ${files.length} entries, over the ${SYNC_MAX_MANIFEST_ENTRIES} a project may hold`,
    );
  const paths = new Set<string>();
  for (const entry of files) {
    const path = typeof entry.path === 'string' ? entry.path : '';
    const problem = syncPathProblem(path) ?? entryProblem(entry);
    if (problem) refuse(path, problem);
    if (paths.has(path)) refuse(path, 'listed twice');
    paths.add(path);
  }
  // A file that is also a folder of another entry cannot exist on disk; a symlink used as a folder
  // would send later writes wherever it points.
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (paths.has(folder)) refuse(folder, `both a file and the folder of ${JSON.stringify(path.slice(0, 200))}`);
    }
  }
}
