// Stream-hashes one regular file from one open descriptor (never buffering it whole). The
// stats before and after tell whether the file held still while read; only then may the
// hash be cached.
import { createHash } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import { open } from 'node:fs/promises';

export interface HashedFile {
  sha256: string;
  /** Bytes actually hashed (differs from `stats.size` only when the file changed meanwhile). */
  size: number;
  /** fstat when opened. */
  stats: BigIntStats;
  /** Nothing changed while reading: size, mtime, ctime and inode equal before and after. */
  stable: boolean;
}

const READ_CHUNK = 256 * 1024;

/** undefined when the path is no longer a regular file (replaced by a folder, FIFO, …). */
export async function hashFile(absolute: string): Promise<HashedFile | undefined> {
  // O_NOFOLLOW: a symlink swapped in since lstat is refused (ELOOP); O_NONBLOCK: a FIFO swapped
  // in would otherwise block the open forever (no effect on regular files).
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    if (stats.size > 0n && stats.size <= BigInt(READ_CHUNK)) {
      // Most source files: one read, no stream machinery (a 1,000-file scan is mostly these).
      const buffer = Buffer.allocUnsafe(Number(stats.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      hash.update(buffer.subarray(0, bytesRead));
      size = bytesRead;
    } else if (stats.size > 0n) {
      const stream = handle.createReadStream({
        start: 0,
        end: Number(stats.size) - 1,
        highWaterMark: READ_CHUNK,
        autoClose: false,
      });
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    }
    const after = await handle.stat({ bigint: true });
    const stable =
      size === Number(stats.size) &&
      after.size === stats.size &&
      after.mtimeNs === stats.mtimeNs &&
      after.ctimeNs === stats.ctimeNs;
    return { sha256: hash.digest('hex'), size, stats, stable };
  } finally {
    await handle.close();
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
