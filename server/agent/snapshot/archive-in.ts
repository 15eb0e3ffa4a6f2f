// Extracts a tar into the workspace (a snapshot restore). Every entry path goes through the
// path guard after the entries before it are on disk, so a symlink planted by the archive
// cannot be written through to leave the root (symlinks and folders wait for every pending
// write; small files written in parallel never overlap by path: write-queue.ts). Files go to
// a temp file beside the target and are renamed (never half a file); symlinks likewise replace
// what was there. Hard links, devices and FIFOs are refused. The first bad entry stops the
// restore (ArchiveError); entries before it stay, and a disk failure of a background write may
// surface a few entries later (the server takes a safety snapshot before restoring).
// The user's own processes keep running during a restore: a folder swapped for a symlink
// after the guard's check must not redirect a write. So nothing is done by name: folders are
// walked down from the root without following links and entries are made through the opened
// parent's descriptor (anchored-dir.ts, as for the editor's writes).
import { randomBytes } from 'node:crypto';
import { open, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { extract as tarExtract, type Extract, type Header } from 'tar-stream';
import { openAnchored, openParentOf, type AnchoredDir } from '../fs/anchored-dir';
import { TEMP_PREFIX } from '../fs/entry';
import { FsError } from '../fs/errors';
import { checkRelativePath, type PathGuard, type ResolvedPath } from '../fs/path-guard';
import { WriteQueue } from './write-queue';

export class ArchiveError extends Error {
  constructor(
    readonly code: 'bad_path' | 'bad_archive',
    message: string,
  ) {
    super(message);
  }
}

/** Small files are read whole and written in the background, up to this many at once. */
const PARALLEL_WRITES = 16;
const SMALL_FILE_BYTES = 1024 * 1024;

type Entry = AsyncIterable<unknown> & { header: Header; resume(): unknown };

/** Resolves with the number of entries written; rejects with ArchiveError or an fs error. */
export async function extractArchive(guard: PathGuard, input: Readable): Promise<number> {
  const extract = tarExtract();
  const feeding = feed(input, extract).catch((error: unknown) => {
    extract.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  const queue = new WriteQueue(PARALLEL_WRITES);
  let written = 0;
  try {
    const entries = extract as unknown as AsyncIterable<Entry>;
    try {
      for await (const entry of entries) {
        if (await applyEntry(guard, entry, queue)) written++;
      }
      await queue.drain();
    } catch (error) {
      await queue.settle(); // nothing still writing once the answer goes out
      if (error instanceof ArchiveError || error instanceof FsError || isErrno(error)) throw error;
      // Anything else came from the tar parser or the request stream.
      throw new ArchiveError(
        'bad_archive',
        `Not a valid tar stream: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } finally {
    // After a failure the feeder stops at its next chunk; waiting for it could wait on a slow client.
    extract.destroy();
  }
  await feeding;
  return written + queue.completed;
}

/** Request bytes into the parser, waiting whenever the parser asks (backpressure). */
async function feed(input: Readable, extract: Extract): Promise<void> {
  for await (const chunk of input) {
    if (extract.destroyed) return;
    if (!extract.write(chunk as Buffer)) {
      await new Promise<void>((resolve) => {
        const settle = () => {
          extract.off('drain', settle);
          extract.off('close', settle);
          resolve();
        };
        extract.on('drain', settle);
        extract.on('close', settle);
      });
    }
  }
  if (!extract.destroyed) extract.end(null); // streamx types want an argument; null means none
}

/** Applies one entry; true when written here, false when handed to the queue (counted there). */
async function applyEntry(guard: PathGuard, entry: Entry, queue: WriteQueue): Promise<boolean> {
  const { header } = entry;
  const relative = entryPath(header.name);
  switch (header.type) {
    case 'directory':
      entry.resume();
      if (relative === '') return false; // the root: already there
      await queue.drain();
      await makeFolder(guard, await resolveTarget(guard, relative, true));
      return true;
    case 'file': {
      const mode = (header.mode ?? 0o644) & 0o777;
      if ((header.size ?? 0) <= SMALL_FILE_BYTES) {
        await queue.admit(relative);
        const target = await resolveTarget(guard, relative);
        const data = await readAll(entry);
        queue.start(relative, () => writeAtomically(guard, target, mode, [data]));
        return false;
      }
      await queue.drain();
      await writeAtomically(guard, await resolveTarget(guard, relative), mode, entry);
      return true;
    }
    case 'symlink': {
      entry.resume();
      if (!header.linkname || header.linkname.includes('\0'))
        throw new ArchiveError('bad_archive', `Symlink without a target: ${relative}`);
      // A symlink changes where later paths resolve: everything before it lands first.
      await queue.drain();
      await replaceWithSymlink(guard, await resolveTarget(guard, relative), header.linkname);
      return true;
    }
    default:
      // link (hard link), block/character device, fifo, contiguous-file: never restored.
      throw new ArchiveError('bad_archive', `Refused entry type ${header.type ?? 'unknown'}: ${header.name}`);
  }
}

async function readAll(content: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The clean relative path of an entry name ('./a/b/' → 'a/b'); refuses absolute, '..', NUL. */
function entryPath(name: string): string {
  try {
    return checkRelativePath(name).join('/');
  } catch (error) {
    throw new ArchiveError(
      'bad_path',
      error instanceof Error ? `${error.message}: ${JSON.stringify(name.slice(0, 200))}` : 'Bad entry path',
    );
  }
}

/** The guard's answer for an entry: the link itself, or for a folder where a link to one leads. */
async function resolveTarget(guard: PathGuard, relative: string, follow = false): Promise<ResolvedPath> {
  if (relative === '') throw new ArchiveError('bad_path', 'An entry cannot replace the project root');
  try {
    return await guard.resolve(relative, { follow, allowRoot: false });
  } catch (error) {
    if (error instanceof FsError && error.code === 'bad_path') throw new ArchiveError('bad_path', error.message);
    throw error;
  }
}

/** The folder and any missing parents, walked down without following links (anchored-dir.ts). */
async function makeFolder(guard: PathGuard, target: ResolvedPath): Promise<void> {
  const within = path.relative(await guard.realRoot(), target.absolute);
  // A link to the root ('d' → '.') is already a folder.
  if (within === '') return;
  const dir = await anchored(
    () => openAnchored(guard, within.split(path.sep), true, target.relative),
    `Not a folder: ${target.relative}`,
  );
  await dir.close();
}

async function writeAtomically(
  guard: PathGuard,
  target: ResolvedPath,
  mode: number,
  content: AsyncIterable<unknown> | Iterable<unknown>,
): Promise<void> {
  await inParent(guard, target, async (dir, name) => {
    const temp = dir.at(`${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    // 'wx' = O_CREAT|O_EXCL: never opens through a link planted at the temp name.
    const handle = await open(temp, 'wx', 0o600);
    try {
      try {
        // One chunk at a time: the parser (and so the request) waits for the disk.
        for await (const chunk of content) await handle.write(chunk as Uint8Array);
        await handle.chmod(mode);
      } finally {
        await handle.close();
      }
      await replaceWith(temp, dir.at(name), target.relative);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
  });
}

async function replaceWithSymlink(guard: PathGuard, target: ResolvedPath, linkTarget: string): Promise<void> {
  await inParent(guard, target, async (dir, name) => {
    const temp = dir.at(`${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    await symlink(linkTarget, temp);
    await replaceWith(temp, dir.at(name), target.relative).catch(async (error: unknown) => {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    });
  });
}

/** Runs `work` in the entry's parent folder, opened race-free (missing folders made on the way). */
async function inParent(
  guard: PathGuard,
  target: ResolvedPath,
  work: (dir: AnchoredDir, name: string) => Promise<void>,
): Promise<void> {
  const { dir, name } = await anchored(
    () => openParentOf(guard, target, true),
    `A file is in the way of the folders of: ${target.relative}`,
  );
  try {
    await work(dir, name);
  } finally {
    await dir.close();
  }
}

/** Opens folders; a file in the way or a folder swapped for a link on the way is a bad_path. */
async function anchored<T>(openIt: () => Promise<T>, fileInTheWay: string): Promise<T> {
  try {
    return await openIt();
  } catch (error) {
    if (isErrno(error, 'EEXIST', 'ENOTDIR')) throw new ArchiveError('bad_path', fileInTheWay);
    if (error instanceof FsError && error.code === 'bad_path') throw new ArchiveError('bad_path', error.message);
    throw error;
  }
}

/** rename replaces a file or a link at the path (never follows it) and fails on a folder. */
async function replaceWith(temp: string, at: string, relative: string): Promise<void> {
  await rename(temp, at).catch((error: unknown) => {
    throw isErrno(error, 'EISDIR', 'ENOTEMPTY', 'EEXIST')
      ? new ArchiveError('bad_path', `A folder is in the way: ${relative}`)
      : error;
  });
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && (codes.length === 0 || codes.includes(code));
}
