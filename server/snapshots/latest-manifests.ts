// Each project's newest snapshot manifest, kept in memory: every automatic take (the scheduler's,
// each sync's state read) compares the workspace with it, and reading thousands of rows back from
// PostgreSQL for that was most of a no-change take. Snapshots never change, so an entry is valid
// while its snapshot is still the project's latest; a caller asks with the latest's id and gets
// nothing when it is another (made elsewhere: an import, a sync's apply).
import type { ManifestEntry } from './snapshot-store';

/** Entries kept across projects (about 250 bytes each), least recently used dropped first. */
const MAX_ENTRIES = 250_000;

export class LatestManifests {
  private readonly byProject = new Map<string, { snapshotId: string; files: readonly ManifestEntry[] }>();
  private entries = 0;

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  /** The manifest of `snapshotId` when it is the one kept for the project. */
  get(projectId: string, snapshotId: string): readonly ManifestEntry[] | undefined {
    const kept = this.byProject.get(projectId);
    if (!kept || kept.snapshotId !== snapshotId) return undefined;
    this.byProject.delete(projectId);
    this.byProject.set(projectId, kept);
    return kept.files;
  }

  /** Keeps a copy of `files` as the project's latest snapshot's manifest. */
  set(projectId: string, snapshotId: string, files: readonly ManifestEntry[]): void {
    this.forget(projectId);
    if (files.length > this.maxEntries) return;
    this.byProject.set(projectId, { snapshotId, files: files.map((entry) => ({ ...entry })) });
    this.entries += files.length;
    for (const [oldest, kept] of this.byProject) {
      if (this.entries <= this.maxEntries) break;
      this.byProject.delete(oldest);
      this.entries -= kept.files.length;
    }
  }

  forget(projectId: string): void {
    const kept = this.byProject.get(projectId);
    if (!kept) return;
    this.byProject.delete(projectId);
    this.entries -= kept.files.length;
  }
}
