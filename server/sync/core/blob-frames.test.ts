import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BlobFrameError, decodeBlobFrames, encodeBlobFrames } from './blob-frames';
import type { BlobContent } from './sync-peer';

const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const blob = (content: Buffer): BlobContent => ({ sha256: sha(content), content });
const LIMITS = { maxBlobBytes: 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024 };

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

function frame(sha256: string, content: Buffer, length = content.length): Buffer {
  const header = Buffer.alloc(68);
  header.write(sha256, 0, 'ascii');
  header.writeUInt32BE(length, 64);
  return Buffer.concat([header, content]);
}

async function decodeAll(body: Readable, limits = LIMITS): Promise<BlobContent[]> {
  const out: BlobContent[] = [];
  for await (const item of decodeBlobFrames(body, limits)) out.push(item);
  return out;
}

describe('blob frames', () => {
  it('round-trips blobs, empty and large ones included, through gzip', async () => {
    const blobs = [blob(Buffer.from('hello\n')), blob(Buffer.alloc(0)), blob(randomBytes(300_000))];
    const body = await buffer(encodeBlobFrames(iterate(blobs)));
    expect(body[0]).toBe(0x1f);
    const decoded = await decodeAll(Readable.from([body]));
    expect(decoded.map((b) => b.sha256)).toEqual(blobs.map((b) => b.sha256));
    expect(decoded.map((b) => b.content.equals(blobs.find((x) => x.sha256 === b.sha256)!.content))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('reads frames split at every byte, and plain (not gzip) bodies', async () => {
    const blobs = [blob(Buffer.from('abc')), blob(Buffer.from('defgh'))];
    const plain = Buffer.concat(blobs.map((b) => frame(b.sha256, b.content)));
    const oneByteChunks = [...plain].map((byte) => Buffer.from([byte]));
    expect((await decodeAll(Readable.from(oneByteChunks))).map((b) => b.content.toString())).toEqual(['abc', 'defgh']);
  });

  it('an empty body is no blobs', async () => {
    expect(await decodeAll(Readable.from([]))).toEqual([]);
  });

  it('refuses a blob whose content does not match its hash, after yielding the good ones', async () => {
    const good = blob(Buffer.from('good'));
    const body = gzipSync(
      Buffer.concat([frame(good.sha256, good.content), frame(sha(Buffer.from('x')), Buffer.from('y'))]),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of decodeBlobFrames(Readable.from([body]), LIMITS)) seen.push(item.content.toString());
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['good']);
    expect(error).toBeInstanceOf(BlobFrameError);
    expect((error as BlobFrameError).fault).toBe('hash_mismatch');
  });

  it('refuses an over-size blob from its header, before reading its content', async () => {
    const big = blob(Buffer.alloc(2048, 1));
    const body = gzipSync(frame(big.sha256, big.content));
    const error = await decodeAll(Readable.from([body]), { maxBlobBytes: 1024, maxTotalBytes: 1e9 }).catch(
      (e: unknown) => e,
    );
    expect((error as BlobFrameError).fault).toBe('too_large');
    expect((error as Error).message).toContain(big.sha256);
  });

  it('refuses a body cut off in a frame, in the gzip stream or after the last full frame', async () => {
    const one = blob(Buffer.from('some content'));
    const framed = frame(one.sha256, one.content);
    const cutFrame = await decodeAll(Readable.from([gzipSync(framed.subarray(0, framed.length - 3))])).catch(
      (e: unknown) => e,
    );
    expect((cutFrame as BlobFrameError).fault).toBe('truncated');
    const gz = gzipSync(framed);
    const cutGzip = await decodeAll(Readable.from([gz.subarray(0, gz.length - 10)])).catch((e: unknown) => e);
    expect(cutGzip).toBeInstanceOf(BlobFrameError);
    expect((cutGzip as BlobFrameError).fault).toBe('truncated');
    const cutHeader = await decodeAll(Readable.from([framed.subarray(0, 30)])).catch((e: unknown) => e);
    expect((cutHeader as BlobFrameError).fault).toBe('truncated');
  });

  it('ends with truncated, not a hang, when the body closes before its end without an error', async () => {
    const one = blob(randomBytes(50_000));
    const framed = frame(one.sha256, one.content);
    for (const bytes of [framed, gzipSync(framed)]) {
      const body = new Readable({ read() {} });
      body.push(bytes.subarray(0, 1000));
      const decoding = decodeAll(body).catch((e: unknown) => e);
      await new Promise((resolve) => setImmediate(resolve));
      body.destroy();
      expect(((await decoding) as BlobFrameError).fault).toBe('truncated');
    }
  });

  it('a body that fails (a client gone) is truncated, gzip or not', async () => {
    const one = blob(randomBytes(50_000));
    const framed = frame(one.sha256, one.content);
    for (const bytes of [framed, gzipSync(framed)]) {
      const body = new Readable({ read() {} });
      body.push(bytes.subarray(0, 1000));
      const decoding = decodeAll(body).catch((e: unknown) => e);
      await new Promise((resolve) => setImmediate(resolve));
      body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      expect(((await decoding) as BlobFrameError).fault).toBe('truncated');
    }
  });

  it('refuses a frame that does not start with a hex sha256', async () => {
    const error = await decodeAll(Readable.from([Buffer.from('Z'.repeat(68))])).catch((e: unknown) => e);
    expect((error as BlobFrameError).fault).toBe('malformed');
  });

  it('stops a gzip bomb at maxTotalBytes without inflating it whole', async () => {
    // 256 MB of zeros as one blob's content: ~250 KB of gzip.
    const bombContent = 256 * 1024 * 1024;
    const header = Buffer.alloc(68);
    header.write('0'.repeat(64), 0, 'ascii');
    header.writeUInt32BE(bombContent, 64);
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    const { createGzip } = await import('node:zlib');
    const gzip = createGzip({ level: 9 });
    const compressed = buffer(gzip);
    gzip.write(header);
    for (let i = 0; i < bombContent / zeros.length; i++) gzip.write(zeros);
    gzip.end();
    const body = await compressed;
    expect(body.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const error = await decodeAll(Readable.from([body]), {
      maxBlobBytes: Number.MAX_SAFE_INTEGER,
      maxTotalBytes: 4 * 1024 * 1024,
    }).catch((e: unknown) => e);
    expect((error as BlobFrameError).fault).toBe('too_large');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('an encoder whose source fails ends its stream with that error', async () => {
    async function* failing(): AsyncGenerator<BlobContent> {
      yield blob(Buffer.from('a'));
      throw new Error('source broke');
    }
    await expect(buffer(encodeBlobFrames(failing()))).rejects.toThrow('source broke');
  });
});
