// The text merges a sync plan asks for, and the check that conflicts left to the user are texts
// (the side-by-side diff shows only those). Contents are read from both peers a batch at a time;
// a merged text is put on the sides that will hold it before anything is applied.
import type { SyncConflictDto, SyncManifestEntry, SyncRequest } from '../../contracts/sync';
import { fromMemory, missingOn, readAll, sha256Hex } from './peer-blobs';
import { mustThrow, type BlobContent, type SyncPeer } from './sync-peer';
import { decodeText, mergeText } from './text-merge';
import type { MergeNeed, MergeSettlement } from './three-way';

/** Contents a merge reads at once (base, local and remote of several files). */
const MERGE_BATCH_BYTES = 32 * 1024 * 1024;
/** Contents read to tell text from binary for conflicts left to the user. */
const TEXT_CHECK_BYTES = 16 * 1024 * 1024;

/** The two peers of a sync and what it was asked (runSync's options fit). */
export interface MergeSides {
  local: SyncPeer;
  remote: SyncPeer;
  request: SyncRequest;
  signal?: AbortSignal;
}

/** The merged file's mode: the same on both, else the side that changed it. */
function mergedMode(merge: MergeNeed): number {
  const { base, local, remote } = merge;
  if (local.mode === remote.mode) return local.mode;
  return base && local.mode === base.mode ? remote.mode : local.mode;
}

/**
 * Runs the text merges the plan asks for: reads base (from the local side, which keeps the base),
 * local and remote contents a batch at a time, merges texts and puts each merged content on the
 * sides that will hold it. A base the local side cannot give makes the merge two-way.
 */
export async function settleMerges(
  merges: readonly MergeNeed[],
  options: MergeSides,
): Promise<{ settlements: Map<string, MergeSettlement>; mergedHashes: Set<string> }> {
  const { local, remote, request, signal } = options;
  const settlements = new Map<string, MergeSettlement>();
  const mergedHashes = new Set<string>();
  const baseHashes = merges.flatMap((merge) => (merge.base ? [merge.base.sha256] : []));
  const baseMissing = await missingOn(local, baseHashes);

  const batches: MergeNeed[][] = [[]];
  let batchBytes = 0;
  for (const merge of merges) {
    const bytes = merge.local.size + merge.remote.size + (merge.base?.size ?? 0);
    if (batchBytes + bytes > MERGE_BATCH_BYTES && batches.at(-1)!.length > 0) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)!.push(merge);
    batchBytes += bytes;
  }

  for (const batch of batches) {
    signal?.throwIfAborted();
    const [localContents, remoteContents] = await Promise.all([
      readAll(
        local,
        batch.map((merge) => merge.local),
      ),
      readAll(
        remote,
        batch.map((merge) => merge.remote),
      ),
    ]);
    let baseContents = new Map<string, Buffer>();
    const wantedBase = batch.flatMap((merge) =>
      merge.base && !baseMissing.has(merge.base.sha256) ? [merge.base] : [],
    );
    try {
      baseContents = await readAll(local, wantedBase);
    } catch (error) {
      if (mustThrow(error, signal)) throw error;
      // The base is gone after all: these merges are two-way.
    }
    // What each side receives from this batch: merged texts go to both; for a binary, the contents
    // just read are what the kept-both copies need, so they are not read a second time.
    const toLocal = new Map<string, Buffer>();
    const toRemote = new Map<string, Buffer>();
    for (const merge of batch) {
      const localContent = localContents.get(merge.local.sha256)!;
      const remoteContent = remoteContents.get(merge.remote.sha256)!;
      const localText = decodeText(localContent);
      const remoteText = decodeText(remoteContent);
      if (localText === null || remoteText === null) {
        settlements.set(merge.path, { kind: 'binary' });
        toLocal.set(merge.remote.sha256, remoteContent);
        toRemote.set(merge.local.sha256, localContent);
        continue;
      }
      const baseContent = merge.base ? baseContents.get(merge.base.sha256) : undefined;
      const baseText = baseContent ? decodeText(baseContent) : null;
      const { content, clean } = mergeText(baseText, localText, remoteText);
      const bytes = Buffer.from(content, 'utf8');
      const sha256 = sha256Hex(bytes);
      toLocal.set(sha256, bytes);
      toRemote.set(sha256, bytes);
      mergedHashes.add(sha256);
      settlements.set(merge.path, {
        kind: 'text',
        entry: { path: merge.path, mode: mergedMode(merge), size: bytes.length, sha256 },
        clean,
      });
    }
    // Blobs alone change nothing, so both sides may receive them before any apply.
    const blobs = (contents: Map<string, Buffer>): BlobContent[] =>
      [...contents].map(([sha256, content]) => ({ sha256, content }));
    if (request.mode !== 'upload' && toLocal.size > 0) await local.putBlobs(fromMemory(blobs(toLocal)));
    if (request.mode !== 'download' && toRemote.size > 0) await remote.putBlobs(fromMemory(blobs(toRemote)));
  }
  return { settlements, mergedHashes };
}

/** Conflicts left to the user show a side-by-side diff only for texts: read them to be sure (within a budget). */
export async function checkTextConflicts(
  conflicts: SyncConflictDto[],
  localFiles: ReadonlyMap<string, SyncManifestEntry>,
  remoteFiles: ReadonlyMap<string, SyncManifestEntry>,
  options: Pick<MergeSides, 'local' | 'remote'>,
): Promise<void> {
  let budget = TEXT_CHECK_BYTES;
  const checked = conflicts.filter((conflict) => {
    if (conflict.kind !== 'file' || conflict.outcome !== 'unresolved' || !conflict.text) return false;
    const bytes = (localFiles.get(conflict.path)?.size ?? 0) + (remoteFiles.get(conflict.path)?.size ?? 0);
    budget -= bytes;
    return budget >= 0;
  });
  if (checked.length === 0) return;
  const [localContents, remoteContents] = await Promise.all([
    readAll(
      options.local,
      checked.map((conflict) => localFiles.get(conflict.path)!),
    ),
    readAll(
      options.remote,
      checked.map((conflict) => remoteFiles.get(conflict.path)!),
    ),
  ]);
  for (const conflict of checked)
    conflict.text =
      decodeText(localContents.get(conflict.local!)!) !== null &&
      decodeText(remoteContents.get(conflict.remote!)!) !== null;
}
