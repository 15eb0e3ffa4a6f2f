// Limits and options of the ZIP reader, with defaults sized for a source-code
// project (not for data sets): generous for real repositories, small enough
// that one upload cannot fill the disk or stall the server.

export interface ZipLimits {
  /** Entries in the central directory, folders included. */
  maxEntries: number;
  /** Declared (and actual) uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Sum of declared uncompressed sizes, and of the bytes actually inflated. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 50_000,
  maxEntryBytes: 100 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
});

export interface ZipReadOptions {
  /** Accept symlink entries (their targets must stay inside the project). Default false. */
  allowSymlinks?: boolean;
  /** Strip one folder that holds every entry (GitHub's `repo-main/`). Default true. */
  stripCommonRoot?: boolean;
}

/** Longest entry name accepted, in bytes as stored. */
export const MAX_NAME_BYTES = 1024;
/** Longest path segment: what common file systems accept. */
export const MAX_SEGMENT_BYTES = 255;
/** Longest symlink target, in bytes. */
export const MAX_SYMLINK_TARGET_BYTES = 1024;
