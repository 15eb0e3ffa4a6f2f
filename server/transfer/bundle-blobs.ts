// The `blobs/<sha256>` entries of a project bundle into the blob store: each wanted content must
// be in the ZIP and match its hash (refused with 400 bad_bundle at the first that does not, or
// when one is missing); only content the store lacks is written. The sizes the manifest gives
// must be the contents' (a wrong one would corrupt the archive a restore writes). Blobs written
// before a refusal are referenced by nothing and go with the next garbage collection, so nothing
// is applied.
import { BlobWriter, sha256Hex, type SnapshotStore } from '../snapshots';
import { badBundle, readAll } from './bundle-format';
import type { ZipReadResult } from './zip';

const BLOB_ENTRY = /^blobs\/([0-9a-f]{64})$/;

/** Stores the wanted blobs the store lacks; resolves with the size of each wanted one. */
export async function takeBundleBlobs(
  store: SnapshotStore,
  zip: ZipReadResult,
  wanted: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (wanted.size === 0) return sizes;
  const absent = await store.missingBlobs(wanted);
  const left = new Set(wanted);
  const writer = new BlobWriter(store);
  for (const file of zip.files) {
    const hash = BLOB_ENTRY.exec(file.path)?.[1];
    if (!hash || !left.has(hash)) continue;
    const content = await readAll(await file.open());
    if (sha256Hex(content) !== hash) throw badBundle(`blobs/${hash} does not match its hash`);
    if (absent.has(hash)) await writer.add(content, undefined, hash);
    sizes.set(hash, content.length);
    left.delete(hash);
  }
  await writer.finish();
  if (left.size > 0) throw badBundle(`the bundle lacks ${left.size} file content(s), e.g. blobs/${[...left][0]}`);
  return sizes;
}

/** Throws 400 bad_bundle when a file's size is not its content's (where the content's size is known). */
export function checkBundleSizes(
  snapshots: readonly { files: readonly { path: string; size: number; sha256: string }[] }[],
  sizes: ReadonlyMap<string, number>,
): void {
  for (const file of snapshots.flatMap((snapshot) => snapshot.files)) {
    const actual = sizes.get(file.sha256);
    if (actual !== undefined && actual !== file.size)
      throw badBundle(`${file.path} is said to be ${file.size} bytes but its content is ${actual}`);
  }
}
