// Counts the bytes really inflated from an entry: the declared sizes in the
// central directory are the attacker's word, these counts are not.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { ZipImportError, quote, toZipImportError } from './zip-errors';

/** Bytes handed out by one readZip result, across all its entries. */
export class ByteBudget {
  used = 0;
  constructor(readonly max: number) {}
}

export interface GuardedEntry {
  name: string;
  size: number;
  crc32: number;
}

/**
 * Wraps an entry's content stream: aborts as soon as it yields more than its
 * declared size (zip bomb) or the archive's budget runs out, and fails at the
 * end when it is short or its CRC-32 does not match (corrupt). Errors from
 * the source become ZipImportError; destroying the result destroys the source.
 */
export function guardEntryStream(source: Readable, entry: GuardedEntry, budget: ByteBudget): Readable {
  let count = 0;
  let crc = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      count += chunk.length;
      budget.used += chunk.length;
      if (count > entry.size) {
        callback(
          new ZipImportError(
            'too_large',
            `entry ${quote(entry.name)} inflates beyond its declared size of ${entry.size} bytes`,
            entry.name,
          ),
        );
      } else if (budget.used > budget.max) {
        callback(
          new ZipImportError(
            'too_large',
            `the archive inflates beyond the limit of ${budget.max} bytes (at entry ${quote(entry.name)})`,
            entry.name,
          ),
        );
      } else {
        crc = crc32(chunk, crc);
        callback(null, chunk);
      }
    },
    flush(callback: TransformCallback) {
      if (count !== entry.size) {
        callback(
          new ZipImportError(
            'corrupt',
            `entry ${quote(entry.name)} has ${count} bytes, not the ${entry.size} it declares`,
            entry.name,
          ),
        );
      } else if (crc >>> 0 !== entry.crc32 >>> 0) {
        callback(new ZipImportError('corrupt', `entry ${quote(entry.name)} fails its CRC-32 check`, entry.name));
      } else {
        callback();
      }
    },
  });
  source.on('error', (error) => guard.destroy(toZipImportError(error, entry.name)));
  guard.on('close', () => source.destroy());
  source.pipe(guard);
  return guard;
}

/** Reads a small guarded stream whole (symlink targets). */
export async function readSmall(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
