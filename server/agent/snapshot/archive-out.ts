// Streams the content of listed paths as a tar, one entry per path in the given order: files
// with their mode and bytes, symlinks as links. A path that vanished, left the root through a
// symlinked parent, or is now something else is left out (the server compares with its list).
// Entries are written in order and wait for the consumer (backpressure end to end); the next
// few are prepared meanwhile, small files read whole, big ones streamed from their descriptor.
import { constants } from 'node:fs';
import { lstat, open, readlink, type FileHandle } from 'node:fs/promises';
import { pack as tarPack, type Pack } from 'tar-stream';
import { FsError } from '../fs/errors';
import type { PathGuard } from '../fs/path-guard';

const READ_CHUNK = 256 * 1024;
const ZEROS = Buffer.alloc(64 * 1024);

type Sink = ReturnType<Pack['entry']>;

/** Entries prepared ahead of the one being written (lstat, open, small reads overlap). */
const LOOKAHEAD = 16;
/** Files up to this size are read whole while preparing; larger ones stream when their turn comes. */
const SMALL_FILE_BYTES = 256 * 1024;

type Prepared =
  | { kind: 'symlink'; name: string; linkname: string }
  | { kind: 'small'; name: string; mode: number; mtime: Date; data: Buffer }
  | { kind: 'large'; name: string; mode: number; mtime: Date; size: number; handle: FileHandle }
  | undefined;

/** The tar of `paths` (already checked with checkRelativePath); errors destroy the stream. */
export function createArchive(guard: PathGuard, paths: readonly string[]): Pack {
  const pack = tarPack();
  const window: Promise<Prepared>[] = [];
  let next = 0;
  const fill = () => {
    while (window.length < LOOKAHEAD && next < paths.length) {
      const prepared = prepare(guard, paths[next++]!);
      prepared.catch(() => undefined); // awaited in order below; no unhandled rejection meanwhile
      window.push(prepared);
    }
  };
  (async () => {
    try {
      fill();
      while (window.length > 0) {
        if (pack.destroyed) return;
        const entry = await window.shift()!;
        fill();
        await emit(pack, entry);
      }
      pack.finalize();
    } finally {
      // Stopped early (client gone, error): close what was opened ahead.
      for (const pending of window.splice(0)) await pending.then(release, () => undefined);
    }
  })().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return pack;
}

async function emit(pack: Pack, entry: Prepared): Promise<void> {
  if (!entry) return;
  switch (entry.kind) {
    case 'symlink':
      return addEntry(pack, { name: entry.name, type: 'symlink', linkname: entry.linkname, mode: 0o777 });
    case 'small':
      return addEntry(
        pack,
        { name: entry.name, type: 'file', size: entry.data.length, mode: entry.mode, mtime: entry.mtime },
        entry.data,
      );
    case 'large':
      try {
        let sink: Sink | undefined;
        const done = new Promise<void>((resolve, reject) => {
          sink = pack.entry(
            { name: entry.name, type: 'file', size: entry.size, mode: entry.mode, mtime: entry.mtime },
            (error) => (error ? reject(error) : resolve()),
          );
        });
        await copyExactly(entry.handle, entry.size, sink!, pack);
        await done;
      } finally {
        await entry.handle.close();
      }
  }
}

function addEntry(pack: Pack, header: Parameters<Pack['entry']>[0], data?: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (data) pack.entry(header, data, done);
    else pack.entry(header, done);
  });
}

async function release(entry: Prepared): Promise<void> {
  if (entry?.kind === 'large') await entry.handle.close().catch(() => undefined);
}

/** What to write for one path, or undefined to leave it out. */
async function prepare(guard: PathGuard, relative: string): Promise<Prepared> {
  let handle: FileHandle | undefined;
  try {
    const { absolute } = await guard.resolve(relative, { follow: false, allowRoot: false });
    const stats = await lstat(absolute);
    if (stats.isSymbolicLink()) return { kind: 'symlink', name: relative, linkname: await readlink(absolute) };
    if (!stats.isFile()) return undefined;
    // O_NOFOLLOW: swapped for a symlink since lstat → left out; O_NONBLOCK: a FIFO never blocks.
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const opened = await handle.stat();
    if (!opened.isFile()) return undefined;
    const base = { name: relative, mode: opened.mode & 0o777, mtime: opened.mtime };
    if (opened.size > SMALL_FILE_BYTES) {
      const large = { kind: 'large' as const, ...base, size: opened.size, handle };
      handle = undefined; // closed after streaming
      return large;
    }
    // Zero-filled: a file that shrank since fstat is padded, as for large files.
    const data = Buffer.alloc(opened.size);
    let filled = 0;
    while (filled < data.length) {
      const { bytesRead } = await handle.read(data, filled, data.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { kind: 'small', ...base, data };
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  } finally {
    await handle?.close();
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
