// Binary-safe file content. Reads stream from one open descriptor (version and length from
// its fstat, so they match the bytes sent). Writes stream to a temp file beside the target,
// enforce the size limit while streaming, check the version precondition under a per-path
// mutex, then fsync + rename: a crash never leaves half a file (and temp-sweep.ts clears the
// temp files a crash leaves). Both reach the file through its parent folder opened race-free.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { openParentOf, type AnchoredEntry } from './anchored-dir';
import { FsError, toFsError } from './errors';
import { TEMP_PREFIX, versionOf } from './entry';
import { KeyedMutex } from './keyed-mutex';
import type { PathGuard } from './path-guard';

export interface OpenedFile {
  version: string;
  size: number;
  stream: Readable;
}

export type WritePrecondition = { ifMatch: string } | { ifNoneMatch: true } | null;

export interface WriteResult {
  version: string;
  size: number;
}

export class ConflictError extends FsError {
  constructor(readonly currentVersion: string | null) {
    super('conflict', currentVersion === null ? 'The file no longer exists' : 'The file changed since it was read');
  }
}

export async function openForRead(guard: PathGuard, value: unknown): Promise<OpenedFile> {
  const target = await guard.resolve(value, { follow: true, allowRoot: false });
  try {
    // O_NOFOLLOW: the guard resolved the final symlink; a link swapped in since is refused (ELOOP).
    // The parent is opened race-free (anchored-dir.ts), so swapped folders above cannot redirect it.
    const place = target.absolute === (await guard.realRoot()) ? undefined : await openParentOf(guard, target, false);
    if (!place) throw new FsError('not_a_file', `Not a file: ${target.relative}`);
    const handle = await open(place.at, constants.O_RDONLY | constants.O_NOFOLLOW).finally(() => place.dir.close());
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new FsError('not_a_file', `Not a file: ${target.relative}`);
      const size = Number(stats.size);
      const version = versionOf(stats);
      if (size === 0) {
        await handle.close();
        return { version, size, stream: Readable.from([]) };
      }
      // Bounded by the fstat size: a file growing meanwhile still matches Content-Length.
      return { version, size, stream: handle.createReadStream({ start: 0, end: size - 1, autoClose: true }) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  } catch (error) {
    throw toFsError(error, target.relative);
  }
}

export class FileWriter {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly guard: PathGuard) {}

  /**
   * Streams `body` into place. `maxBytes` is enforced as bytes arrive (too_large, temp removed).
   * `body` is destroyed on failure: HTTP callers pass a PassThrough, not the request itself.
   */
  async write(
    value: unknown,
    body: Readable,
    maxBytes: number,
    precondition: WritePrecondition,
    /** Permission bits to give the file; by default the replaced file's (a new one gets 0o644). */
    mode?: number,
  ): Promise<WriteResult> {
    const target = await this.guard.resolve(value, { follow: true, allowRoot: false });
    if (target.absolute === (await this.guard.realRoot()))
      throw new FsError('not_a_file', `Not a file: ${target.relative}`);
    let place: AnchoredEntry | undefined;
    let handle: FileHandle | undefined;
    let temp: string | undefined;
    try {
      // Missing parents are made on the way down; every name below is reached through the
      // opened folder's descriptor, never by a path that could have been swapped since.
      place = await openParentOf(this.guard, target, true);
      const { dir, at } = place;
      const tempAt = dir.at(`${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
      handle = await open(tempAt, 'wx', 0o644);
      temp = tempAt;
      let size = 0;
      // One chunk in flight at a time: backpressure without buffering the body.
      for await (const chunk of body) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        size += buffer.length;
        if (size > maxBytes) throw new FsError('too_large', `The file is larger than ${maxBytes} bytes`);
        await handle.write(buffer);
      }
      await handle.sync();
      const written = handle;
      return await this.mutex.run(target.absolute, async () => {
        const current = await currentStats(at);
        if (current && !current.isFile()) throw new FsError('not_a_file', `Not a file: ${target.relative}`);
        const currentVersion = current ? versionOf(current) : null;
        if (precondition && 'ifMatch' in precondition && precondition.ifMatch !== currentVersion)
          throw new ConflictError(currentVersion);
        if (precondition && 'ifNoneMatch' in precondition && currentVersion !== null)
          throw new ConflictError(currentVersion);
        // Keep the mode of the file being replaced (an executable script stays executable), unless
        // the caller names one (undo puts back a deleted script's).
        if (mode !== undefined) await written.chmod(mode);
        else if (current) await written.chmod(Number(current.mode) & 0o7777);
        await rename(tempAt, at);
        temp = undefined;
        await dir.handle.sync().catch(() => undefined); // the rename is durable once the folder is; best effort
        const stats = await written.stat({ bigint: true });
        return { version: versionOf(stats), size: Number(stats.size) };
      });
    } catch (error) {
      throw toFsError(error, target.relative);
    } finally {
      // A failed or aborted write (too large, disk full, client gone) leaves no temp file behind.
      await handle?.close().catch(() => undefined);
      if (temp) await unlink(temp).catch(() => undefined);
      await place?.dir.close();
    }
  }
}

async function currentStats(absolute: string) {
  try {
    return await lstat(absolute, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
