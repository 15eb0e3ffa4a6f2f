// The scan's hash cache, kept in .berth/hashes.json between runs: each file's sha256 with the
// stat fields any write changes (size, mtime, ctime, inode — an atomic save gets a new inode),
// so a sync of an unchanged tree reads no file. Only entries seen by the last scan are kept.
import type { BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeJsonAtomic } from './atomic-file';

interface Entry {
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  sha256: string;
}

type StoredEntry = [size: string, mtimeNs: string, ctimeNs: string, ino: string, sha256: string];
const SHA256 = /^[0-9a-f]{64}$/;

/** One stored entry as written by commit(); anything else is not trusted (a loop: thousands per run). */
function isStoredEntry(value: unknown): value is StoredEntry {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    value.every((field) => typeof field === 'string') &&
    SHA256.test(value[4] as string)
  );
}

export class HashCacheFile {
  private entries = new Map<string, Entry>();
  private seen = new Map<string, Entry>();
  private changed = false;

  private constructor(private readonly file: string) {}

  /** The cache stored at `file`; empty when absent or unreadable (it is only a cache). */
  static async load(file: string): Promise<HashCacheFile> {
    const cache = new HashCacheFile(file);
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown; entries?: unknown };
      if (stored.version !== 1 || typeof stored.entries !== 'object' || stored.entries === null) return cache;
      const entries = Object.entries(stored.entries);
      // All or nothing, as before: a damaged cache is dropped, not half used.
      if (!entries.every(([, entry]) => isStoredEntry(entry))) return cache;
      for (const [path, [size, mtimeNs, ctimeNs, ino, sha256]] of entries as [string, StoredEntry][])
        cache.entries.set(path, { size, mtimeNs, ctimeNs, ino, sha256 });
    } catch {
      // absent or damaged: every file is hashed once
    }
    return cache;
  }

  get(path: string, stats: BigIntStats): string | undefined {
    const entry = this.entries.get(path);
    if (
      !entry ||
      entry.size !== String(stats.size) ||
      entry.mtimeNs !== String(stats.mtimeNs) ||
      entry.ctimeNs !== String(stats.ctimeNs) ||
      entry.ino !== String(stats.ino)
    )
      return undefined;
    this.seen.set(path, entry);
    return entry.sha256;
  }

  set(path: string, stats: BigIntStats, sha256: string): void {
    this.changed = true;
    this.seen.set(path, {
      size: String(stats.size),
      mtimeNs: String(stats.mtimeNs),
      ctimeNs: String(stats.ctimeNs),
      ino: String(stats.ino),
      sha256,
    });
  }

  /** A file this run wrote itself, content known: the next scan need not read it. */
  prime(path: string, stats: BigIntStats, sha256: string): void {
    this.changed = true;
    this.entries.set(path, {
      size: String(stats.size),
      mtimeNs: String(stats.mtimeNs),
      ctimeNs: String(stats.ctimeNs),
      ino: String(stats.ino),
      sha256,
    });
  }

  /** After a complete scan: keep what it saw, and store it when anything changed. */
  async commit(): Promise<void> {
    if (this.seen.size !== this.entries.size) this.changed = true;
    this.entries = this.seen;
    this.seen = new Map();
    if (!this.changed) return;
    this.changed = false;
    const entries: Record<string, StoredEntry> = {};
    for (const [path, e] of this.entries) entries[path] = [e.size, e.mtimeNs, e.ctimeNs, e.ino, e.sha256];
    await writeJsonAtomic(this.file, { version: 1, entries });
  }

  /** After a failed scan: keep the old entries and what was hashed meanwhile. */
  abandon(): void {
    for (const [path, entry] of this.seen) this.entries.set(path, entry);
    this.seen = new Map();
  }
}
