// The peer protocol's blob framing (docs/adr-hybrid-sync.md): per blob its 64-character hex
// sha256, a uint32 big-endian length and the raw bytes; the whole body gzip-compressed. The
// decoder hashes every blob and stops at the first mismatch, over-size blob or cut-off frame,
// and bounds the bytes it inflates (a gzip bomb ends at maxTotalBytes, never in memory).
// Pure Node: the CLI bundles this file.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { pipeline, Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { BlobContent } from './sync-peer';

export const BLOB_FRAMES_CONTENT_TYPE = 'application/x-berth-blobs';

const HASH_CHARS = 64;
const HEADER_BYTES = HASH_CHARS + 4;
const MAX_FRAME_LENGTH = 0xffff_ffff;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** gzip's first byte; a frame starts with a hex digit, so the two never mix up. */
const GZIP_MAGIC = 0x1f;

export type BlobFrameFault = 'hash_mismatch' | 'too_large' | 'truncated' | 'malformed';

/** A framed body that cannot be trusted: the whole request is refused. */
export class BlobFrameError extends Error {
  readonly code = 'bad_blob_frames';
  constructor(
    readonly fault: BlobFrameFault,
    message: string,
  ) {
    super(message);
  }
}

export interface BlobFrameLimits {
  /** Largest content one frame may carry. */
  maxBlobBytes: number;
  /** Largest body once inflated, frame headers included. */
  maxTotalBytes: number;
}

/** The blobs as one gzip'd framed stream; an error in `blobs` destroys the stream with it. */
export function encodeBlobFrames(blobs: AsyncIterable<BlobContent>): Readable {
  const gzip = createGzip({ level: 4 });
  // Byte mode: the frames wait for gzip to take 64 KB, not for 16 whole blobs to queue up.
  pipeline(Readable.from(frames(blobs), { objectMode: false, highWaterMark: 64 * 1024 }), gzip, () => undefined);
  return gzip;
}

async function* frames(blobs: AsyncIterable<BlobContent>): AsyncGenerator<Buffer> {
  for await (const blob of blobs) {
    if (!SHA256_HEX.test(blob.sha256)) throw new Error(`Not a lowercase hex sha256: ${blob.sha256.slice(0, 80)}`);
    if (blob.content.length > MAX_FRAME_LENGTH) throw new Error(`Blob ${blob.sha256} is too large for one frame`);
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(blob.sha256, 0, 'ascii');
    header.writeUInt32BE(blob.content.length, HASH_CHARS);
    yield header;
    if (blob.content.length > 0) yield blob.content;
  }
}

/**
 * The blobs in a framed body (gzip'd or not: told apart by the first byte), each verified
 * against its hash before it is yielded. Throws BlobFrameError at the first fault. The body is
 * not destroyed on a fault (an HTTP server can still answer 400 and drain it).
 */
export async function* decodeBlobFrames(body: Readable, limits: BlobFrameLimits): AsyncGenerator<BlobContent> {
  const first = await peekFirstByte(body);
  if (first === undefined) return;
  const gunzip = first === GZIP_MAGIC ? createGunzip() : undefined;
  const forwardError = (error: Error) => gunzip?.destroy(error);
  // A body closed before its end without an error (a client gone) must not leave gunzip waiting.
  const forwardClose = () => {
    if (!body.readableEnded) gunzip?.destroy(new BlobFrameError('truncated', 'The body ended before its last frame'));
  };
  if (gunzip) {
    body.once('error', forwardError);
    body.once('close', forwardClose);
    body.pipe(gunzip);
  }
  const source = gunzip ?? body;
  const parser = new FrameParser(limits);
  try {
    for await (const chunk of source.iterator({ destroyOnReturn: false })) {
      yield* parser.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof BlobFrameError) throw error;
    // zlib's "unexpected end of file" and its kin: the body does not inflate to whole frames.
    const zlibCode = gunzip ? zlibErrorCode(error) : undefined;
    if (zlibCode)
      throw new BlobFrameError(
        zlibCode === 'Z_BUF_ERROR' ? 'truncated' : 'malformed',
        `The body is not valid gzip: ${message(error)}`,
      );
    // Anything else came from the body itself: the sender went away (aborted, reset) mid-frame.
    throw new BlobFrameError('truncated', `The body ended before its last frame: ${message(error)}`);
  } finally {
    if (gunzip) {
      body.off('error', forwardError);
      body.off('close', forwardClose);
      body.unpipe(gunzip);
      gunzip.destroy();
    }
  }
  parser.end();
}

/** Splits inflated bytes into frames; one frame's content is held at most (≤ maxBlobBytes). */
class FrameParser {
  private chunks: Buffer[] = [];
  private available = 0;
  private total = 0;
  /** The frame whose content is being read, once its header is in. */
  private current: { sha256: string; length: number } | undefined;

  constructor(private readonly limits: BlobFrameLimits) {}

  *push(chunk: Buffer): Generator<BlobContent> {
    this.total += chunk.length;
    if (this.total > this.limits.maxTotalBytes)
      throw new BlobFrameError('too_large', `The blobs are larger than ${this.limits.maxTotalBytes} bytes in all`);
    this.chunks.push(chunk);
    this.available += chunk.length;
    for (;;) {
      if (!this.current) {
        if (this.available < HEADER_BYTES) return;
        this.current = this.readHeader(this.take(HEADER_BYTES));
      }
      if (this.available < this.current.length) return;
      const content = this.take(this.current.length);
      const { sha256 } = this.current;
      this.current = undefined;
      const actual = createHash('sha256').update(content).digest('hex');
      if (actual !== sha256)
        throw new BlobFrameError('hash_mismatch', `Blob ${sha256} does not match its content (sha256 ${actual})`);
      yield { sha256, content };
    }
  }

  end(): void {
    if (this.current || this.available > 0)
      throw new BlobFrameError('truncated', 'The body ends in the middle of a blob frame');
  }

  private readHeader(header: Buffer): { sha256: string; length: number } {
    const sha256 = header.toString('latin1', 0, HASH_CHARS);
    if (!SHA256_HEX.test(sha256)) throw new BlobFrameError('malformed', 'A blob frame does not start with a sha256');
    const length = header.readUInt32BE(HASH_CHARS);
    if (length > this.limits.maxBlobBytes)
      throw new BlobFrameError('too_large', `Blob ${sha256} is ${length} bytes, over ${this.limits.maxBlobBytes}`);
    return { sha256, length };
  }

  /** Exactly `count` bytes off the front (the caller checked they are there). */
  private take(count: number): Buffer {
    if (count === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= count) {
      out = first.subarray(0, count);
      if (first.length === count) this.chunks.shift();
      else this.chunks[0] = first.subarray(count);
    } else {
      out = Buffer.allocUnsafe(count);
      let filled = 0;
      while (filled < count) {
        const chunk = this.chunks[0]!;
        const used = Math.min(chunk.length, count - filled);
        chunk.copy(out, filled, 0, used);
        filled += used;
        if (used === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(used);
      }
    }
    this.available -= count;
    return out;
  }
}

/** The body's first byte, put back for the reader; undefined for an empty body. */
async function peekFirstByte(body: Readable): Promise<number | undefined> {
  for (;;) {
    const chunk = body.read() as Buffer | string | null;
    if (chunk !== null) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      body.unshift(bytes);
      if (bytes.length > 0) return bytes[0];
      continue;
    }
    if (body.readableEnded || body.destroyed) {
      if (body.errored) throw body.errored;
      return undefined;
    }
    const settled = new AbortController();
    try {
      await Promise.race(['readable', 'end', 'close'].map((event) => once(body, event, { signal: settled.signal })));
    } finally {
      settled.abort();
    }
  }
}

function zlibErrorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_') ? code : undefined;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
