// Remembers each file's sha256 with the stat fields that change on any write (size, mtime,
// ctime, inode — an atomic save gets a new inode): an unchanged file is not read again.
// In memory only: a restarted agent hashes everything once.
import type { BigIntStats } from 'node:fs';

interface CachedHash {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  sha256: string;
}

export class HashCache {
  private entries = new Map<string, CachedHash>();
  private seen = new Map<string, CachedHash>();

  /** The cached hash when `stats` still describe the file that was hashed. */
  get(path: string, stats: BigIntStats): string | undefined {
    const cached = this.entries.get(path);
    if (
      !cached ||
      cached.size !== stats.size ||
      cached.mtimeNs !== stats.mtimeNs ||
      cached.ctimeNs !== stats.ctimeNs ||
      cached.ino !== stats.ino
    )
      return undefined;
    this.seen.set(path, cached);
    return cached.sha256;
  }

  set(path: string, stats: BigIntStats, sha256: string): void {
    this.seen.set(path, { size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs, ino: stats.ino, sha256 });
  }

  /** After a complete scan: keep only what it saw (deleted files drop out, memory stays bounded). */
  commit(): void {
    this.entries = this.seen;
    this.seen = new Map();
  }

  /** After a failed scan: keep the old entries and whatever was hashed meanwhile. */
  abandon(): void {
    for (const [path, entry] of this.seen) this.entries.set(path, entry);
    this.seen = new Map();
  }

  get size(): number {
    return this.entries.size;
  }
}
