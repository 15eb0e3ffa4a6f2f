// Streams the content of listed paths as a tar, one entry per path in the given order: files
// with their mode and bytes, symlinks as links. A path that vanished, left the root through a
// symlinked parent, or is now something else is left out (the server compares with its list).
// Entries are written one at a time and wait for the consumer (backpressure end to end).
import { constants } from 'node:fs';
import { lstat, open, readlink, type FileHandle } from 'node:fs/promises';
import { pack as tarPack, type Pack } from 'tar-stream';
import { FsError } from '../fs/errors';
import type { PathGuard } from '../fs/path-guard';

const READ_CHUNK = 256 * 1024;
const ZEROS = Buffer.alloc(64 * 1024);

type Sink = ReturnType<Pack['entry']>;

/** The tar of `paths` (already checked with checkRelativePath); errors destroy the stream. */
export function createArchive(guard: PathGuard, paths: readonly string[]): Pack {
  const pack = tarPack();
  (async () => {
    for (const relative of paths) {
      if (pack.destroyed) return;
      await addEntry(pack, guard, relative);
    }
    pack.finalize();
  })().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return pack;
}

async function addEntry(pack: Pack, guard: PathGuard, relative: string): Promise<void> {
  let absolute: string;
  try {
    absolute = (await guard.resolve(relative, { follow: false, allowRoot: false })).absolute;
    const stats = await lstat(absolute);
    if (stats.isSymbolicLink()) {
      const linkname = await readlink(absolute);
      await new Promise<void>((resolve, reject) => pack.entry({ name: relative, type: 'symlink', linkname, mode: 0o777 }, (error) => (error ? reject(error) : resolve())));
      return;
    }
    if (!stats.isFile()) return;
  } catch (error) {
    if (isGone(error)) return;
    throw error;
  }
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: swapped for a symlink since lstat → left out; O_NONBLOCK: a FIFO never blocks.
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isGone(error)) return;
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return;
    const size = stats.size;
    let sink: Sink | undefined;
    const done = new Promise<void>((resolve, reject) => {
      sink = pack.entry({ name: relative, type: 'file', size, mode: stats.mode & 0o777, mtime: stats.mtime }, (error) => (error ? reject(error) : resolve()));
    });
    await copyExactly(handle, size, sink!, pack);
    await done;
  } finally {
    await handle.close();
  }
}

/**
 * Exactly `size` bytes into the entry (the header already promised them): a file that grew is
 * cut at `size`, one that shrank is padded with zeros. Either way its hash no longer matches
 * the manifest, which the server checks.
 */
async function copyExactly(handle: FileHandle, size: number, sink: Sink, pack: Pack): Promise<void> {
  let sent = 0;
  if (size > 0) {
    const stream = handle.createReadStream({ start: 0, end: size - 1, highWaterMark: READ_CHUNK, autoClose: false });
    for await (const chunk of stream) {
      sent += (chunk as Buffer).length;
      await write(sink, chunk as Buffer, pack);
    }
  }
  while (sent < size) {
    const pad = ZEROS.subarray(0, Math.min(ZEROS.length, size - sent));
    sent += pad.length;
    await write(sink, pad, pack);
  }
  sink.end(null); // streamx: null = no final chunk
}

async function write(sink: Sink, chunk: Buffer, pack: Pack): Promise<void> {
  if (pack.destroyed) throw new Error('The archive was closed');
  if (sink.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const settle = () => {
      sink.off('drain', settle);
      pack.off('close', settle);
      resolve();
    };
    sink.on('drain', settle);
    pack.on('close', settle);
  });
}

/** Vanished, replaced, or resolved outside the root: the entry is left out. */
function isGone(error: unknown): boolean {
  if (error instanceof FsError) return error.code === 'bad_path' || error.code === 'not_found';
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}
