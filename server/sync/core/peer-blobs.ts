// Blobs between two sync peers: which of some contents a peer lacks, reading contents into
// memory (each checked against its hash and the size its manifest gave, so a peer can neither
// slip in other bytes nor make this side hold more), and streaming them from one peer to the
// other with progress. Used by runSync and its merges.
import { createHash } from 'node:crypto';
import { SYNC_MAX_HASHES, type SyncManifestEntry } from '../../contracts/sync';
import type { BlobContent, SyncPeer, SyncProgress } from './sync-peer';

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let at = 0; at < items.length; at += size) result.push(items.slice(at, at + size));
  return result;
}

/** Which of `hashes` the peer lacks, asked in calls of at most SYNC_MAX_HASHES. */
export async function missingOn(peer: SyncPeer, hashes: Iterable<string>): Promise<Set<string>> {
  const missing = new Set<string>();
  for (const chunk of chunks([...new Set(hashes)], SYNC_MAX_HASHES))
    for (const hash of await peer.missing(chunk)) missing.add(hash);
  return missing;
}

/** A blob must be exactly as long as the manifest that named it said (a remote cannot make this side hold more). */
function checkLength(peer: SyncPeer, blob: BlobContent, sizes: ReadonlyMap<string, number>): void {
  const expected = sizes.get(blob.sha256);
  if (expected !== undefined && blob.content.length !== expected)
    throw new Error(
      `${peer.name} sent ${blob.content.length} bytes for the content ${blob.sha256}, which does not match the size its manifest gave (${expected})`,
    );
}

/** Reads these blobs into memory, each checked against its hash and against the size the manifest gave. */
export async function readAll(peer: SyncPeer, entries: Iterable<SyncManifestEntry>): Promise<Map<string, Buffer>> {
  const sizes = new Map([...entries].map((entry) => [entry.sha256, entry.size]));
  const wanted = [...sizes.keys()];
  const contents = new Map<string, Buffer>();
  if (wanted.length === 0) return contents;
  for await (const blob of peer.readBlobs(wanted)) {
    if (!sizes.has(blob.sha256))
      throw new Error(`${peer.name} sent the content ${blob.sha256}, which was not asked for`);
    checkLength(peer, blob, sizes);
    if (sha256Hex(blob.content) !== blob.sha256)
      throw new Error(`${peer.name} sent a blob that does not match its hash`);
    contents.set(blob.sha256, blob.content);
  }
  const lacking = wanted.find((hash) => !contents.has(hash));
  if (lacking) throw new Error(`${peer.name} did not send the content ${lacking}`);
  return contents;
}

export async function* fromMemory(blobs: readonly BlobContent[]): AsyncIterable<BlobContent> {
  for (const blob of blobs) yield blob;
}

/** The blobs as they stream by, each counted once it passed. */
async function* counted(blobs: AsyncIterable<BlobContent>, onBlob: (blob: BlobContent) => void) {
  for await (const blob of blobs) {
    onBlob(blob);
    yield blob;
  }
}

/** Streams `hashes` from one peer to the other, reporting content bytes. */
export async function moveBlobs(
  from: SyncPeer,
  to: SyncPeer,
  hashes: readonly string[],
  sizes: ReadonlyMap<string, number>,
  phase: 'upload' | 'download',
  options: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void },
): Promise<void> {
  if (hashes.length === 0) return;
  options.signal?.throwIfAborted();
  const total = hashes.reduce((sum, hash) => sum + (sizes.get(hash) ?? 0), 0);
  let done = 0;
  options.onProgress?.({ phase, done, total });
  await to.putBlobs(
    counted(from.readBlobs([...hashes]), (blob) => {
      checkLength(from, blob, sizes);
      done += blob.content.length;
      options.onProgress?.({ phase, done, total });
    }),
  );
}
