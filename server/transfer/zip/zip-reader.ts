// Reads an uploaded ZIP (already streamed to a temp file) for project import.
// The whole central directory is checked before any content is handed out;
// content is then streamed per entry, counted against the real byte limits.
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ZipImportError, asImportFailure, quote, toZipImportError } from './zip-errors';
import { checkEntry, type CheckedEntry } from './zip-entries';
import { ByteBudget, guardEntryStream, readSmall } from './zip-guard';
import { DEFAULT_ZIP_LIMITS, MAX_SYMLINK_TARGET_BYTES, type ZipLimits, type ZipReadOptions } from './zip-limits';
import { ancestors, commonRoot } from './zip-paths';
import { checkSymlinkTargets } from './zip-symlinks';

export interface ZipFileEntry {
  /** Relative path, `/`-separated, common root stripped; safe to join to a folder. */
  path: string;
  /** 0o644, or 0o755 when the archive gave any exec bit. */
  mode: number;
  /** Uncompressed size in bytes (checked while streaming). */
  size: number;
  mtime: Date;
  /**
   * The content. The stream fails with a ZipImportError when the entry lies
   * about its size, breaks the total limit, or is corrupt (then delete what
   * was written). Open each entry once: every byte counts against maxTotalBytes.
   */
  open(): Promise<Readable>;
}

export interface ZipSymlinkEntry {
  path: string;
  /** Relative target, checked to stay inside the project. */
  target: string;
}

export interface ZipReadResult {
  /** The stripped common top-level folder (e.g. `repo-main`), or null. */
  root: string | null;
  files: ZipFileEntry[];
  /** Folder entries present in the archive (parents of files are implied, not listed). */
  folders: string[];
  /** Empty unless allowSymlinks. Create them after all files. */
  symlinks: ZipSymlinkEntry[];
  /** Sum of the files' sizes. */
  totalBytes: number;
  /** Releases the file handle; call when done (also after a failure). */
  close(): void;
}

const YAUZL_OPTIONS = {
  lazyEntries: true,
  autoClose: false, // content is opened later, after validation
  decodeStrings: false, // our own name rules (zip-paths.ts), not yauzl's silent repairs
  validateEntrySizes: true,
  strictFileNames: true,
};

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, YAUZL_OPTIONS, (error, zip) => (error ? reject(asImportFailure(error)) : resolve(zip)));
  });
}

/** Reads and checks every central-directory record, failing on the first bad one. */
function readDirectory(zip: ZipFile, limits: ZipLimits, allowSymlinks: boolean): Promise<CheckedEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: CheckedEntry[] = [];
    let declared = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(toZipImportError(error));
    };
    zip.on('error', fail);
    zip.on('end', () => failed || resolve(entries));
    zip.on('entry', (raw: Entry) => {
      if (failed) return;
      try {
        const entry = checkEntry(raw, limits, allowSymlinks);
        declared += entry.kind === 'folder' ? 0 : entry.size;
        if (declared > limits.maxTotalBytes) {
          throw new ZipImportError(
            'too_large',
            `the archive holds more than ${limits.maxTotalBytes} bytes (at entry ${quote(entry.name)})`,
            entry.name,
          );
        }
        entries.push(entry);
        zip.readEntry();
      } catch (error) {
        fail(error);
      }
    });
    zip.readEntry();
  });
}

/** Same path twice, or a path below a file or link, would overwrite or escape. */
function checkTree(entries: readonly CheckedEntry[]): void {
  const seen = new Map<string, CheckedEntry>();
  for (const entry of entries) {
    const other = seen.get(entry.path);
    if (other && !(other.kind === 'folder' && entry.kind === 'folder')) {
      throw new ZipImportError(
        'duplicate',
        `entry ${quote(entry.name)} appears more than once (also as ${quote(other.name)})`,
        entry.name,
      );
    }
    seen.set(entry.path, entry);
  }
  for (const entry of entries) {
    for (const parent of ancestors(entry.path)) {
      const holder = seen.get(parent);
      if (!holder || holder.kind === 'folder') continue;
      if (holder.kind === 'symlink') {
        throw new ZipImportError(
          'symlink',
          `entry ${quote(entry.name)} lies below the symbolic link ${quote(holder.name)}`,
          entry.name,
        );
      }
      throw new ZipImportError(
        'duplicate',
        `entry ${quote(entry.name)} lies below the file ${quote(holder.name)}`,
        entry.name,
      );
    }
  }
}

function openEntry(zip: ZipFile, entry: CheckedEntry, budget: ByteBudget): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry.raw, (error, stream) => {
      if (error) return reject(toZipImportError(error, entry.name));
      resolve(guardEntryStream(stream, { name: entry.name, size: entry.size, crc32: entry.raw.crc32 }, budget));
    });
  });
}

/**
 * Opens and validates `file`. Throws ZipImportError (nothing handed out) when
 * any rule of the import contract is broken; see zip-limits.ts for defaults.
 */
export async function readZip(
  file: string,
  limits: Partial<ZipLimits> = {},
  options: ZipReadOptions = {},
): Promise<ZipReadResult> {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const allowSymlinks = options.allowSymlinks ?? false;
  const zip = await openZip(file);
  try {
    // The count is in the end record: refuse before reading a single entry.
    if (zip.entryCount > lim.maxEntries) {
      throw new ZipImportError(
        'too_many_entries',
        `the archive has ${zip.entryCount} entries; the limit is ${lim.maxEntries}`,
      );
    }
    const entries = await readDirectory(zip, lim, allowSymlinks);
    checkTree(entries);

    const root =
      options.stripCommonRoot === false
        ? null
        : commonRoot(entries.map((e) => ({ path: e.path, isFolder: e.kind === 'folder' })));
    const strip = (path: string) => (root === null ? path : path.slice(root.length + 1));
    const kept = root === null ? entries : entries.filter((e) => e.path !== root);

    const budget = new ByteBudget(lim.maxTotalBytes);
    const links = new Map<string, string>();
    for (const entry of kept.filter((e) => e.kind === 'symlink')) {
      if (entry.size > MAX_SYMLINK_TARGET_BYTES) {
        throw new ZipImportError(
          'symlink',
          `symbolic link ${quote(entry.name)} has a target longer than ${MAX_SYMLINK_TARGET_BYTES} bytes`,
          entry.name,
        );
      }
      links.set(strip(entry.path), (await readSmall(await openEntry(zip, entry, budget))).toString('utf8'));
    }
    checkSymlinkTargets(links);

    const files = kept.filter((e) => e.kind === 'file');
    return {
      root,
      files: files.map((entry) => ({
        path: strip(entry.path),
        mode: entry.mode,
        size: entry.size,
        mtime: entry.raw.getLastModDate(),
        open: () => openEntry(zip, entry, budget),
      })),
      folders: [...new Set(kept.filter((e) => e.kind === 'folder').map((e) => strip(e.path)))],
      symlinks: [...links].map(([path, target]) => ({ path, target })),
      totalBytes: files.reduce((sum, e) => sum + e.size, 0),
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw asImportFailure(error);
  }
}
