// What plan detection needs from a snapshot (its file list and package.json), read from the
// snapshot store without restoring anything: the deploy API detects a plan before it builds.
import type { ManifestEntry } from '../snapshots';
import { isSymlinkMode } from '../snapshots';
import type { ProjectFacts } from './build-plan';

/** The two reads it takes (SnapshotStore has both). */
export interface SnapshotReader {
  manifest(snapshotId: string): Promise<ManifestEntry[]>;
  readBlob(sha256: string): Promise<Buffer>;
}

/** package.json larger than this is not a manifest anyone wrote by hand: refused as unreadable. */
const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

export async function projectFactsOfSnapshot(reader: SnapshotReader, snapshotId: string): Promise<ProjectFacts> {
  const entries = await reader.manifest(snapshotId);
  const manifest = entries.find((entry) => entry.path === 'package.json' && !isSymlinkMode(entry.mode));
  const packageJson =
    manifest && manifest.size <= MAX_PACKAGE_JSON_BYTES
      ? (await reader.readBlob(manifest.sha256)).toString('utf8')
      : null;
  return {
    packageJson: manifest && packageJson === null ? '' : packageJson,
    files: entries.map((entry) => entry.path),
  };
}
