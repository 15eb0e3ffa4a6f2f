// Content on its way into SnapshotBlob while it is still being read: gzip runs in libuv's
// thread pool (a few at once, never on the event loop, which serves every user's sockets),
// blobs go to PostgreSQL in ~2 MB statements with one in flight, overlapping the reading. The
// reader awaits add() only when enough work is queued (backpressure).
import { encodeBlobAsync, type EncodedBlob } from './blob-codec';

export interface BlobSink {
  putBlobs(blobs: EncodedBlob[]): Promise<number>;
}

export class BlobWriter {
  private readonly encoding = new Set<Promise<unknown>>();
  private batch: EncodedBlob[] = [];
  private batchBytes = 0;
  private inserting: Promise<void> = Promise.resolve();
  private added = 0;
  private failure: unknown;

  constructor(
    private readonly sink: BlobSink,
    private readonly options: { batchBytes?: number; maxEncoding?: number } = {},
  ) {}

  /** Queues content; `onEncoded` gets its blob (hash, size) once encoded. Resolves when more may be added. */
  async add(content: Buffer, onEncoded?: (blob: EncodedBlob) => void, sha256?: string): Promise<void> {
    this.throwIfFailed();
    const job = encodeBlobAsync(content, sha256).then((blob) => {
      onEncoded?.(blob);
      this.queue(blob);
    });
    const tracked = job
      .catch((error: unknown) => (this.failure ??= error))
      .finally(() => this.encoding.delete(tracked));
    this.encoding.add(tracked);
    while (this.encoding.size >= (this.options.maxEncoding ?? 4)) await Promise.race(this.encoding);
  }

  /** Waits for every queued blob to be stored; the stored bytes this writer added. */
  async finish(): Promise<number> {
    await Promise.all(this.encoding);
    this.throwIfFailed();
    this.flush();
    await this.inserting;
    this.throwIfFailed();
    return this.added;
  }

  private queue(blob: EncodedBlob): void {
    this.batch.push(blob);
    this.batchBytes += blob.storedSize;
    if (this.batchBytes >= (this.options.batchBytes ?? 2 * 1024 * 1024)) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    // One statement at a time: the next batch waits for the one before.
    this.inserting = this.inserting.then(async () => {
      if (this.failure) return;
      try {
        this.added += await this.sink.putBlobs(batch);
      } catch (error) {
        this.failure ??= error;
      }
    });
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
