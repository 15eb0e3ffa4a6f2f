// How file content is stored in SnapshotBlob.data: gzip when it saves at least an eighth,
// else as is (images, archives and other compressed formats gain nothing from a second pass).
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';

export type BlobEncoding = 'gzip' | 'identity';

export interface EncodedBlob {
  sha256: string;
  size: number;
  storedSize: number;
  encoding: BlobEncoding;
  data: Buffer;
}

/** Below this, compression's header costs more than it can save. */
const MIN_COMPRESS_BYTES = 64;

export const sha256Hex = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

export function encodeBlob(content: Buffer, sha256 = sha256Hex(content)): EncodedBlob {
  return choose(content, sha256, worthCompressing(content) ? gzipSync(content, GZIP) : undefined);
}

/** The same, with gzip in libuv's thread pool: never blocks the event loop. */
export async function encodeBlobAsync(content: Buffer, sha256 = sha256Hex(content)): Promise<EncodedBlob> {
  return choose(content, sha256, worthCompressing(content) ? await gzipAsync(content, GZIP) : undefined);
}

// Level 4: close to level 6's ratio on source text at a good deal less CPU.
const GZIP = { level: 4 };
const gzipAsync = promisify(gzip);
const worthCompressing = (content: Buffer) => content.length >= MIN_COMPRESS_BYTES;

/** gzip only when it saves at least an eighth. */
function choose(content: Buffer, sha256: string, gz: Buffer | undefined): EncodedBlob {
  if (gz && gz.length <= content.length - (content.length >> 3))
    return { sha256, size: content.length, storedSize: gz.length, encoding: 'gzip', data: gz };
  return { sha256, size: content.length, storedSize: content.length, encoding: 'identity', data: content };
}

export function decodeBlob(encoding: string, data: Uint8Array): Buffer {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (encoding === 'gzip') return gunzipSync(bytes);
  if (encoding === 'identity') return bytes;
  throw new Error(`unknown blob encoding ${encoding}`);
}
