import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBlob, sha256Hex, type EncodedBlob } from './blob-codec';
import { BlobWriter } from './blob-writer';

describe('BlobWriter', () => {
  it('encodes, reports each blob, stores in batches one at a time, and counts what was added', async () => {
    const stored: EncodedBlob[][] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const sink = {
      putBlobs: async (blobs: EncodedBlob[]) => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 5));
        concurrent -= 1;
        stored.push(blobs);
        return blobs.reduce((sum, blob) => sum + blob.storedSize, 0);
      },
    };
    const writer = new BlobWriter(sink, { batchBytes: 10_000 });
    const contents = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? randomBytes(3000) : Buffer.from(`line ${i}\n`.repeat(500)),
    );
    const seen = new Map<string, EncodedBlob>();
    for (const content of contents) await writer.add(content, (blob) => seen.set(blob.sha256, blob));
    const added = await writer.finish();
    const all = stored.flat();
    expect(all).toHaveLength(20);
    expect(stored.length).toBeGreaterThan(1);
    expect(maxConcurrent).toBe(1);
    expect(added).toBe(all.reduce((sum, blob) => sum + blob.storedSize, 0));
    for (const content of contents) {
      const blob = seen.get(sha256Hex(content))!;
      expect(decodeBlob(blob.encoding, blob.data).equals(content)).toBe(true);
    }
  });

  it('fails finish() when storing fails', async () => {
    const writer = new BlobWriter({ putBlobs: async () => Promise.reject(new Error('database unreachable')) });
    await writer.add(Buffer.from('x'.repeat(100)));
    await expect(writer.finish()).rejects.toThrow('database unreachable');
  });
});
