// Streams a project out as a ZIP: entries are pulled from an async iterable
// and opened only when yazl is ready to write them, the archive flows into
// `out` with backpressure, so memory stays flat whatever the project's size.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { zipNameProblem } from './zip-export-names';

export interface ZipSourceEntry {
  /** Relative, `/`-separated path. */
  path: string;
  type: 'file' | 'symlink';
  /** Permission bits (e.g. 0o755); the file type bits are added here. */
  mode: number;
  mtime?: Date;
  /** File content, or a symlink's target as text. */
  open(): Promise<NodeJS.ReadableStream | Buffer>;
}

export interface ZipWriteResult {
  entries: number;
  /** Bytes written to `out`. */
  bytes: number;
}

const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** Entries queued ahead of the one being written: enough to keep yazl busy, small enough to stop pulling a huge tree. */
const MAX_AHEAD = 16;

/**
 * Writes `entries` as a ZIP to `out` and resolves when `out` has finished.
 * Files are deflated; modes go into the Unix external attributes (so `unzip`
 * restores exec bits); symlinks are stored entries with S_IFLNK whose content
 * is the target, as Info-ZIP does. yazl switches to ZIP64 by itself when
 * sizes or counts need it. Rejects (and destroys `out`) when a source or
 * `out` fails, e.g. when the HTTP client goes away.
 */
export async function writeZip(
  entries: AsyncIterable<ZipSourceEntry>,
  out: NodeJS.WritableStream,
): Promise<ZipWriteResult> {
  const zip = new yazl.ZipFile();
  let bytes = 0;
  let count = 0;
  let failure: Error | undefined;
  let ahead = 0;
  let wake: (() => void) | undefined;
  // Sources being read: destroyed on failure so no file handle outlives the request.
  const open = new Set<NodeJS.ReadableStream>();
  const nudge = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  zip.outputStream.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const fail = (error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
    (zip.outputStream as Readable).destroy(failure);
    for (const stream of open) (stream as Readable).destroy?.();
    nudge();
  };
  zip.on('error', fail);
  const done = pipeline(zip.outputStream, out).catch((error: unknown) => {
    fail(error);
  });

  try {
    await pump();
  } catch (error) {
    fail(error); // a failing source or a path yazl refuses
  }
  if (!failure) zip.end();
  await done;
  if (failure) throw failure;
  return { entries: count, bytes };

  async function pump(): Promise<void> {
    for await (const entry of entries) {
      if (failure) break;
      // A backstop: callers check names before the first byte (yazl would turn a backslash into '/').
      const problem = zipNameProblem(entry.path);
      if (problem) throw new Error(`${JSON.stringify(entry.path)} cannot go into a ZIP: ${problem}`);
      const symlink = entry.type === 'symlink';
      const options = {
        mode: (symlink ? S_IFLNK : S_IFREG) | (entry.mode & 0o7777),
        compress: !symlink,
        ...(entry.mtime ? { mtime: entry.mtime } : {}),
      };
      ahead += 1;
      count += 1;
      // Lazy: the file is opened when yazl reaches it, not when it is queued.
      zip.addReadStreamLazy(entry.path, options, (callback) => {
        ahead -= 1;
        nudge();
        entry.open().then(
          (content) => {
            const stream = Buffer.isBuffer(content) ? Readable.from([content]) : content;
            if (failure) return (stream as Readable).destroy?.();
            open.add(stream);
            stream.on('error', fail);
            stream.on('end', () => open.delete(stream));
            callback(null, stream);
          },
          (error: unknown) => callback(error, undefined as unknown as NodeJS.ReadableStream),
        );
      });
      // Backpressure towards the source: do not pull far ahead of the writer.
      while (ahead >= MAX_AHEAD && !failure) await new Promise<void>((resolve) => (wake = resolve));
    }
  }
}
