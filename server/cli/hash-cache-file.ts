// The scan's hash cache, kept in .berth/hashes.json between runs: each file's sha256 with the
// stat fields any write changes (size, mtime, ctime, inode — an atomic save gets a new inode),
// so a sync of an unchanged tree reads no file. Only entries seen by the last scan are kept.
// Each entry also names the listing rules it was listed under (IgnoreRules.id): while those are
// the same, the path's ignore and name checks would answer as before, and a scan skips them.
import type { BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file';

interface Entry {
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  sha256: string;
  /** The listing rules the path was listed under, when known. */
  rules?: string;
}

/** Version 1 had no rules; version 2 adds an index into the file's `rules` list (-1: none). */
type StoredEntry = [size: string, mtimeNs: string, ctimeNs: string, ino: string, sha256: string, rules?: number];
const SHA256 = /^[0-9a-f]{64}$/;

/** One stored entry as written by commit(); anything else is not trusted (a loop: thousands per run). */
function isStoredEntry(value: unknown, rulesCount: number): value is StoredEntry {
  if (!Array.isArray(value) || (value.length !== 5 && value.length !== 6)) return false;
  for (let i = 0; i < 5; i++) if (typeof value[i] !== 'string') return false;
  if (!SHA256.test(value[4] as string)) return false;
  const rules: unknown = value[5];
  return rules === undefined || (Number.isInteger(rules) && (rules as number) >= -1 && (rules as number) < rulesCount);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

const sameFile = (entry: Entry, stats: BigIntStats) =>
  entry.size === String(stats.size) &&
  entry.mtimeNs === String(stats.mtimeNs) &&
  entry.ctimeNs === String(stats.ctimeNs) &&
  entry.ino === String(stats.ino);

const entryOf = (stats: BigIntStats, sha256: string, rules: string | undefined): Entry => ({
  size: String(stats.size),
  mtimeNs: String(stats.mtimeNs),
  ctimeNs: String(stats.ctimeNs),
  ino: String(stats.ino),
  sha256,
  ...(rules === undefined ? {} : { rules }),
});

export class HashCacheFile {
  private entries = new Map<string, Entry>();
  private seen = new Map<string, Entry>();
  private changed = false;

  private constructor(private readonly file: string) {}

  /** The cache stored at `file`; empty when absent or unreadable (it is only a cache). */
  static async load(file: string): Promise<HashCacheFile> {
    const cache = new HashCacheFile(file);
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as {
        version?: unknown;
        entries?: unknown;
        rules?: unknown;
      };
      if (stored.version !== 1 && stored.version !== 2) return cache;
      if (typeof stored.entries !== 'object' || stored.entries === null) return cache;
      const rules = stored.rules === undefined ? [] : stored.rules;
      if (!isStringList(rules)) return cache;
      const entries = Object.entries(stored.entries);
      // All or nothing: a damaged cache is dropped, not half used.
      if (!entries.every(([, entry]) => isStoredEntry(entry, rules.length))) return cache;
      for (const [path, [size, mtimeNs, ctimeNs, ino, sha256, index]] of entries as [string, StoredEntry][]) {
        const listedUnder = index === undefined || index < 0 ? undefined : rules[index];
        cache.entries.set(path, {
          size,
          mtimeNs,
          ctimeNs,
          ino,
          sha256,
          ...(listedUnder ? { rules: listedUnder } : {}),
        });
      }
    } catch {
      // absent or damaged: every file is hashed once
    }
    return cache;
  }

  /**
   * The listing rules `path` was listed under by the last scan, if it was a file then — with
   * `stats`, only if it is still that very file (a scan trusts the answer only then).
   */
  listedUnder(path: string, stats?: BigIntStats): string | undefined {
    const entry = this.entries.get(path);
    if (!entry || (stats && !sameFile(entry, stats))) return undefined;
    return entry.rules;
  }

  /** The file's hash when its stats are as cached; `rules`: what it is listed under now. */
  get(path: string, stats: BigIntStats, rules?: string): string | undefined {
    const entry = this.entries.get(path);
    if (!entry || !sameFile(entry, stats)) return undefined;
    if (entry.rules !== rules) {
      this.changed = true;
      this.seen.set(path, { ...entry, rules });
    } else this.seen.set(path, entry);
    return entry.sha256;
  }

  set(path: string, stats: BigIntStats, sha256: string, rules?: string): void {
    this.changed = true;
    this.seen.set(path, entryOf(stats, sha256, rules));
  }

  /** A file this run wrote itself, content known: the next scan need not read it (it still checks the path). */
  prime(path: string, stats: BigIntStats, sha256: string): void {
    this.changed = true;
    this.entries.set(path, entryOf(stats, sha256, undefined));
  }

  /** After a complete scan: keep what it saw, and store it when anything changed. */
  async commit(): Promise<void> {
    if (this.seen.size !== this.entries.size) this.changed = true;
    this.entries = this.seen;
    this.seen = new Map();
    if (!this.changed) return;
    this.changed = false;
    const rules: string[] = [];
    const indexOf = new Map<string, number>();
    const entries: Record<string, StoredEntry> = {};
    for (const [path, e] of this.entries) {
      let index = -1;
      if (e.rules !== undefined) {
        index = indexOf.get(e.rules) ?? rules.push(e.rules) - 1;
        indexOf.set(e.rules, index);
      }
      entries[path] = [e.size, e.mtimeNs, e.ctimeNs, e.ino, e.sha256, index];
    }
    // Compact: read by every sync, by no person.
    await writeFileAtomic(this.file, JSON.stringify({ version: 2, rules, entries }));
  }

  /** After a failed scan: keep the old entries and what was hashed meanwhile. */
  abandon(): void {
    for (const [path, entry] of this.seen) this.entries.set(path, entry);
    this.seen = new Map();
  }
}
