// A project bundle moves a project between Berth servers: one ZIP holding `berth-bundle.json`
// (bundle-format.ts: format, project metadata, snapshots with their manifests),
// `conversations/<n>.json` (the assistant's conversations; absent from bundles made before them)
// and `blobs/<sha256>` (each content once, raw). A full bundle holds the whole history and
// imports as a new project: every blob is checked against its hash and the conversations against
// their schema before anything is created, then the snapshots are recreated with their times and
// labels (the newest one fills the new project's volume on first start) and the conversations.
// An incremental bundle (since a snapshot) is written here too; it is applied onto an existing
// project by incremental-import.ts.
import type { Writable } from 'node:stream';
import type { PortableConversation, ProjectDto, SnapshotDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { ManifestEntry, SnapshotStore } from '../snapshots';
import { checkBundleSizes, takeBundleBlobs } from './bundle-blobs';
import { conversationEntries, readBundleConversations, type TransferConversations } from './bundle-conversations';
import {
  badBundle,
  BUNDLE_FORMAT,
  BUNDLE_MANIFEST,
  changedFileCount,
  readBundleManifest,
  type Bundle,
} from './bundle-format';
import { manifestHash } from './manifest-hash';
import type { TransferProjects } from './project-transfer';
import { writeZip, type ZipReadResult } from './zip';

/** The snapshot an incremental bundle starts from, with its files. */
export interface SinceSnapshot {
  snapshot: SnapshotDto;
  files: ManifestEntry[];
}

/**
 * Writes the bundle: the whole history, or with `base` only the snapshots taken after it and only
 * the blobs it lacks. Resolves with the bytes written.
 */
export async function writeBundle(
  store: SnapshotStore,
  project: ProjectDto,
  conversations: readonly PortableConversation[],
  out: Writable,
  base?: SinceSnapshot,
): Promise<number> {
  let snapshots = (await store.list(project.id)).reverse();
  if (base) {
    const after = Date.parse(base.snapshot.createdAt);
    snapshots = snapshots.filter(
      (snapshot) => snapshot.id !== base.snapshot.id && Date.parse(snapshot.createdAt) > after,
    );
  }
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    project: { name: project.name, template: project.template },
    ...(base
      ? {
          incremental: {
            base: {
              manifestHash: manifestHash(base.files),
              fileCount: base.files.length,
              createdAt: base.snapshot.createdAt,
              label: base.snapshot.label,
            },
          },
        }
      : {}),
    snapshots: [],
  };
  const hashes = new Set<string>();
  for (const snapshot of snapshots) {
    const files = await store.manifest(snapshot.id);
    for (const file of files) hashes.add(file.sha256);
    bundle.snapshots.push({
      createdAt: snapshot.createdAt,
      reason: snapshot.reason,
      label: snapshot.label,
      skipped: snapshot.skipped,
      files,
    });
  }
  // The base's content is where the bundle is applied already.
  for (const file of base?.files ?? []) hashes.delete(file.sha256);
  async function* entries() {
    yield {
      path: BUNDLE_MANIFEST,
      type: 'file' as const,
      mode: 0o644,
      open: async () => Buffer.from(JSON.stringify(bundle)),
    };
    for (const { path, open } of conversationEntries(conversations))
      yield { path, type: 'file' as const, mode: 0o644, open };
    for (const hash of hashes)
      yield { path: `blobs/${hash}`, type: 'file' as const, mode: 0o644, open: () => store.readBlob(hash) };
  }
  const { bytes } = await writeZip(entries(), out);
  return bytes;
}

/** A new project (named `name`, or as in the bundle) with a full bundle's snapshots and conversations. */
export async function importBundle(
  store: SnapshotStore,
  projects: TransferProjects,
  conversations: TransferConversations,
  userId: string,
  zip: ZipReadResult,
  name?: string,
): Promise<ProjectDto> {
  const bundle = await readBundleManifest(zip);
  if (bundle.incremental)
    throw new DomainError(
      'bad_request',
      'incremental_bundle',
      'This bundle holds only the changes since a snapshot: apply it to the project that has that snapshot ' +
        '(POST /api/v1/projects/:id/bundle, or "Apply changes" under Exports in the dashboard)',
    );
  if (bundle.snapshots.length === 0) throw badBundle(`${BUNDLE_MANIFEST} holds no snapshot`);
  const bundleConversations = await readBundleConversations(zip);
  // Content this server holds already need not be in the bundle.
  const needed = bundle.snapshots.flatMap((snapshot) => snapshot.files.map((file) => file.sha256));
  checkBundleSizes(bundle.snapshots, await takeBundleBlobs(store, zip, await store.missingBlobs(needed)));

  const project = await projects.create(userId, {
    name: name ?? bundle.project.name,
    template: bundle.project.template,
  });
  try {
    let previous: Bundle['snapshots'][number]['files'] = [];
    for (const snapshot of bundle.snapshots) {
      await store.create({
        projectId: project.id,
        createdAt: new Date(snapshot.createdAt),
        reason: snapshot.reason,
        label: snapshot.label,
        files: snapshot.files,
        skipped: snapshot.skipped,
        newBytes: 0,
        changedFiles: changedFileCount(previous, snapshot.files),
      });
      previous = snapshot.files;
    }
    await conversations.importAll(userId, project.id, bundleConversations);
  } catch (error) {
    await projects.delete(userId, project.id).catch(() => undefined);
    throw error;
  }
  return project;
}
