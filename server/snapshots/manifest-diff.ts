// How two manifests differ, by path: content (sha256) or type/permissions (mode).
import type { SnapshotDiffEntry } from '../contracts';
import type { ManifestEntry } from './snapshot-store';

/** Entries of `now` compared with `then`: added (only now), deleted (only then), modified. */
export function diffManifests(then: readonly ManifestEntry[], now: readonly ManifestEntry[]): SnapshotDiffEntry[] {
  const before = new Map(then.map((entry) => [entry.path, entry]));
  const diff: SnapshotDiffEntry[] = [];
  for (const entry of now) {
    const old = before.get(entry.path);
    if (!old) diff.push({ path: entry.path, status: 'added' });
    else if (old.sha256 !== entry.sha256 || old.mode !== entry.mode)
      diff.push({ path: entry.path, status: 'modified' });
    before.delete(entry.path);
  }
  for (const path of before.keys()) diff.push({ path, status: 'deleted' });
  return diff.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
