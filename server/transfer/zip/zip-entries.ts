// Classifies one central-directory record (file, folder or symlink) and
// refuses what the importer cannot or must not handle. No content is read here.
import type { Entry } from 'yauzl';
import { ZipImportError, quote } from './zip-errors';
import type { ZipLimits } from './zip-limits';
import { checkName, decodeName } from './zip-paths';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
const FLAG_ENCRYPTED = 0x1;
const FLAG_STRONG_ENCRYPTION = 0x40;
const FLAG_UTF8 = 0x800;
const STORED = 0;
const DEFLATED = 8;

export type EntryKind = 'file' | 'folder' | 'symlink';

export interface CheckedEntry {
  raw: Entry;
  /** The name as stored, for messages. */
  name: string;
  /** Normalized path (no trailing slash); the common root is stripped later. */
  path: string;
  kind: EntryKind;
  /** 0o755 when any exec bit is set, else 0o644. */
  mode: number;
  /** Declared uncompressed size. */
  size: number;
}

/** Checks one record against the limits and rules; throws ZipImportError. */
export function checkEntry(raw: Entry, limits: ZipLimits, allowSymlinks: boolean): CheckedEntry {
  // yauzl runs with decodeStrings: false so that the name rules are ours.
  const rawName = raw.fileName as unknown as Buffer;
  const name = decodeName(rawName, (raw.generalPurposeBitFlag & FLAG_UTF8) !== 0);
  const { path, isFolder } = checkName(name, rawName.length);

  if (raw.generalPurposeBitFlag & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) {
    throw new ZipImportError(
      'encrypted',
      `entry ${quote(name)} is encrypted; encrypted archives are not supported`,
      name,
    );
  }
  if (raw.compressionMethod !== STORED && raw.compressionMethod !== DEFLATED) {
    throw new ZipImportError(
      'unsupported',
      `entry ${quote(name)} uses compression method ${raw.compressionMethod}; only stored and deflate are supported`,
      name,
    );
  }
  if (raw.uncompressedSize > limits.maxEntryBytes) {
    throw new ZipImportError(
      'too_large',
      `entry ${quote(name)} is ${raw.uncompressedSize} bytes; the limit per file is ${limits.maxEntryBytes}`,
      name,
    );
  }

  // Unix tools keep st_mode in the high 16 bits; DOS/Windows tools leave them 0.
  const unixMode = raw.externalFileAttributes >>> 16;
  const type = unixMode & S_IFMT;
  let kind: EntryKind;
  if (type === S_IFLNK) {
    if (!allowSymlinks)
      throw new ZipImportError('symlink', `entry ${quote(name)} is a symbolic link; links are not allowed`, name);
    if (isFolder)
      throw new ZipImportError('corrupt', `entry ${quote(name)} is a symbolic link with a folder name`, name);
    kind = 'symlink';
  } else if (isFolder || type === S_IFDIR || (raw.externalFileAttributes & DOS_DIRECTORY) !== 0) {
    kind = 'folder';
  } else if (type === 0 || type === S_IFREG) {
    kind = 'file';
  } else {
    throw new ZipImportError(
      'unsupported',
      `entry ${quote(name)} is a special file (mode ${unixMode.toString(8)})`,
      name,
    );
  }

  return { raw, name, path, kind, mode: unixMode & 0o111 ? 0o755 : 0o644, size: raw.uncompressedSize };
}
