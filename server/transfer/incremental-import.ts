// An incremental bundle applied onto an existing project (POST /api/v1/projects/:id/bundle).
// Checked whole before anything changes: the manifest (paths, modes), the conversations, that
// the project has the bundle's base (one of its snapshots has the base's manifest hash: 409
// base_missing otherwise), and every content the base lacks carried and matching its hash.
// Then the bundle's snapshots join the project's history with their times and labels, the
// workspace is restored to the newest (after a safety snapshot of the project as it was: one
// restore undoes the import), the result is snapshotted, and the conversations begun after the
// base are added. A failure on the way removes what was added and puts the files back.
import type { IncrementalImportResultDto, SnapshotDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { ManifestEntry, SnapshotService, SnapshotStore } from '../snapshots';
import { checkBundleSizes, takeBundleBlobs } from './bundle-blobs';
import { readBundleConversations, type TransferConversations } from './bundle-conversations';
import { changedFileCount, readBundleManifest, type BundleBase } from './bundle-format';
import { manifestHash } from './manifest-hash';
import type { ZipReadResult } from './zip';

export interface IncrementalImportDeps {
  store: SnapshotStore;
  service: SnapshotService;
  workspaces: { ensureRunning(projectId: string): Promise<unknown> };
  conversations: TransferConversations;
}

/** Applies the bundle onto the project, which the caller has checked is the user's. */
export async function applyIncrementalBundle(
  deps: IncrementalImportDeps,
  userId: string,
  projectId: string,
  zip: ZipReadResult,
): Promise<IncrementalImportResultDto> {
  const { store, service } = deps;
  const bundle = await readBundleManifest(zip);
  if (!bundle.incremental)
    throw new DomainError(
      'bad_request',
      'not_incremental',
      'This is a full bundle: import it as a new project (POST /api/v1/projects/import)',
    );
  const bundleConversations = await readBundleConversations(zip);
  const base = await findBase(store, projectId, bundle.incremental.base);
  if (!base) throw baseMissing(bundle.incremental.base);
  const baseHashes = new Set(base.files.map((file) => file.sha256));
  // Content the base lacks must come in the bundle, checked, even if this server holds it for someone else.
  const carried = new Set(
    bundle.snapshots.flatMap((snapshot) => snapshot.files.map((file) => file.sha256)).filter((h) => !baseHashes.has(h)),
  );
  const sizes = await takeBundleBlobs(store, zip, carried);
  for (const file of base.files) sizes.set(file.sha256, file.size);
  checkBundleSizes(bundle.snapshots, sizes);

  if (bundle.snapshots.length === 0 && bundleConversations.length === 0)
    return { projectId, snapshotsAdded: 0, conversationsAdded: 0, safetySnapshotId: null, currentSnapshotId: base.id };

  // Started before anything is added: a workspace that cannot start leaves the project as it was.
  await deps.workspaces.ensureRunning(projectId);
  const added: string[] = [];
  let safetySnapshotId: string | null = null;
  try {
    let previous: readonly ManifestEntry[] = base.files;
    for (const snapshot of bundle.snapshots) {
      const row = await store.create({
        projectId,
        createdAt: new Date(snapshot.createdAt),
        reason: snapshot.reason,
        label: snapshot.label,
        files: snapshot.files,
        skipped: snapshot.skipped,
        newBytes: 0,
        changedFiles: changedFileCount(previous, snapshot.files),
      });
      added.push(row.id);
      previous = snapshot.files;
    }
    let current: SnapshotDto = base;
    const newest = added[added.length - 1];
    if (newest) {
      safetySnapshotId = (await service.restore(projectId, newest)).safetySnapshotId;
      // The project's latest snapshot is then what its volume holds (the safety one is older).
      current = (await service.take(projectId, 'auto')).snapshot;
    }
    await deps.conversations.importAll(userId, projectId, bundleConversations);
    return {
      projectId,
      snapshotsAdded: added.length,
      conversationsAdded: bundleConversations.length,
      safetySnapshotId,
      currentSnapshotId: current.id,
    };
  } catch (error) {
    if (safetySnapshotId) await service.restore(projectId, safetySnapshotId).catch(() => undefined);
    await store.remove(projectId, added).catch(() => undefined);
    throw error;
  }
}

/** The project's newest snapshot whose content is the base's, with its files; null when it has none. */
async function findBase(
  store: SnapshotStore,
  projectId: string,
  base: BundleBase,
): Promise<(SnapshotDto & { files: ManifestEntry[] }) | null> {
  // The file count picks the few candidates worth hashing.
  for (const snapshot of await store.list(projectId)) {
    if (snapshot.fileCount !== base.fileCount) continue;
    const files = await store.manifest(snapshot.id);
    if (manifestHash(files) === base.manifestHash) return { ...snapshot, files };
  }
  return null;
}

function baseMissing(base: BundleBase): DomainError {
  const label = base.label ? ` "${base.label}"` : '';
  return new DomainError(
    'conflict',
    'base_missing',
    `This project has no snapshot with the content this bundle starts from (the snapshot${label} of ` +
      `${base.createdAt}, ${base.fileCount} files, where it was exported). Import the full bundle as a new ` +
      'project, or export the changes since a snapshot this project has.',
    { baseManifestHash: base.manifestHash },
  );
}
