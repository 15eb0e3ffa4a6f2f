// The names a project bundle may bring into a volume: every name Linux allows and a snapshot can
// hold (a backslash, a control character, "C:x" are ordinary names there), but never one that
// leaves the project folder or means something else: no NUL, no absolute path, no empty, "." or
// ".." segment, at most MAX_PATH_LENGTH characters and 255 bytes per segment. Looser than ZIP
// entry names on purpose: bundle paths are JSON strings restored through tar, not ZIP names.
import { MAX_PATH_LENGTH } from '../contracts';
import { DomainError } from '../core/errors';

const MAX_SEGMENT_BYTES = 255;

/** Why `path` is not a safe project path, or undefined when it is. */
export function bundlePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'empty path';
  if (path.length > MAX_PATH_LENGTH) return `longer than ${MAX_PATH_LENGTH} characters`;
  if (path.includes('\0')) return 'NUL byte';
  if (path.startsWith('/')) return 'absolute path';
  for (const segment of path.split('/')) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return `"${segment}" segment`;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

export function checkBundlePath(path: string): void {
  const problem = bundlePathProblem(path);
  if (problem)
    throw new DomainError(
      'bad_request',
      'bad_path',
      `${JSON.stringify(path.slice(0, 200))} is not a safe project path: ${problem}`,
    );
}
