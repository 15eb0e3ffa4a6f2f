// Binary-safe file content. Reads stream from one open descriptor (version and length from
// its fstat, so they match the bytes sent). Writes stream to a temp file beside the target,
// enforce the size limit while streaming, check the version precondition under a per-path
// mutex, then fsync + rename: a crash never leaves half a file.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
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
    const handle = await open(target.absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
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
  async write(value: unknown, body: Readable, maxBytes: number, precondition: WritePrecondition): Promise<WriteResult> {
    const target = await this.guard.resolve(value, { follow: true, allowRoot: false });
    const dir = path.dirname(target.absolute);
    const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    let tempCreated = false;
    try {
      await mkdir(dir, { recursive: true });
      const handle = await open(temp, 'wx', 0o644);
      tempCreated = true;
      let size = 0;
      try {
        // One chunk in flight at a time: backpressure without buffering the body.
        for await (const chunk of body) {
          const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          size += buffer.length;
          if (size > maxBytes) throw new FsError('too_large', `The file is larger than ${maxBytes} bytes`);
          await handle.write(buffer);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      return await this.mutex.run(target.absolute, async () => {
        const current = await currentStats(target.absolute);
        if (current && !current.isFile()) throw new FsError('not_a_file', `Not a file: ${target.relative}`);
        const currentVersion = current ? versionOf(current) : null;
        if (precondition && 'ifMatch' in precondition && precondition.ifMatch !== currentVersion) throw new ConflictError(currentVersion);
        if (precondition && 'ifNoneMatch' in precondition && currentVersion !== null) throw new ConflictError(currentVersion);
        // Keep the mode of the file being replaced (an executable script stays executable).
        if (current) await chmod(temp, Number(current.mode) & 0o7777);
        await rename(temp, target.absolute);
        tempCreated = false;
        await syncDir(dir);
        const written = await stat(target.absolute, { bigint: true });
        return { version: versionOf(written), size: Number(written.size) };
      });
    } catch (error) {
      throw toFsError(error, target.relative);
    } finally {
      if (tempCreated) await rm(temp, { force: true }).catch(() => undefined);
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

/** The rename itself is durable only once the folder is synced; best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // some file systems refuse fsync on folders
  }
}
