// The identity of a snapshot's content that holds across servers (snapshot ids do not): the
// sha256 of its entries — content hash, mode and path of every file and symlink — in path order.
// An incremental bundle names its base snapshot by it; an import finds the base by it.
import { createHash } from 'node:crypto';

export interface HashedEntry {
  path: string;
  mode: number;
  sha256: string;
}

export function manifestHash(files: readonly HashedEntry[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  // NUL cannot occur in a path, so each entry ends unambiguously.
  for (const file of sorted) hash.update(`${file.sha256} ${file.mode.toString(8)} ${file.path}\0`);
  return hash.digest('hex');
}
