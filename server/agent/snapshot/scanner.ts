// Lists what a snapshot of /workspace holds: regular files and symlinks (never followed, so a
// symlinked folder is recorded as a link and not walked), ignore rules applied, hashes from
// the cache when a file is unchanged. Folders, sockets, FIFOs and devices are not recorded.
// Scans run one at a time (a second caller waits): they share the cache and the disk.
import { lstatSync, readdirSync, readFileSync, readlinkSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type {
  SnapshotScanEntry,
  SnapshotScanParams,
  SnapshotScanResult,
  SnapshotSkippedEntry,
} from '../../contracts/agent';
import { MAX_PATH_LENGTH } from '../../contracts/files';
import { TEMP_PREFIX, joinRelative } from '../fs/entry';
import type { PathGuard } from '../fs/path-guard';
import { hashFile, sha256Hex } from './file-hash';
import { HashCache } from './hash-cache';
import { IgnoreRules } from './ignore-rules';
import { Limiter } from './limiter';

/** Files read at once (cache misses). */
export const SCAN_CONCURRENCY = 16;
/** Ignore files larger than this are not read (a generated monster is not a rule list). */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;
const SYMLINK_MODE = 0o777;

export interface ScannerHooks {
  /** Called before a file's content is read (tests count cache misses with it). */
  onRead?(relative: string): void;
}

interface ScanState {
  root: string;
  maxFileBytes: number;
  files: SnapshotScanEntry[];
  skipped: SnapshotSkippedEntry[];
  /** Files the cache could not answer for: hashed once the walk is done, several at a time. */
  misses: string[];
  /** When the walk last let other work run. */
  lastTurn: number;
}

/**
 * The walk uses synchronous calls — for a tree the cache answers (most scans) several times
 * faster than a promise per file — and gives the agent's other work (terminals, file operations)
 * its turn every this many ms, on a slow disk too.
 */
const TURN_MS = 5;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SnapshotScanner {
  private readonly cache = new HashCache();
  private readonly limiter = new Limiter(SCAN_CONCURRENCY);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly guard: PathGuard,
    private readonly hooks: ScannerHooks = {},
  ) {}

  scan(params: SnapshotScanParams): Promise<SnapshotScanResult> {
    const result = this.queue.then(() => this.scanNow(params));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Files whose hash is remembered (for tests and logs). */
  get cachedCount(): number {
    return this.cache.size;
  }

  private async scanNow({ maxFileBytes, includeEnv }: SnapshotScanParams): Promise<SnapshotScanResult> {
    const root = await this.guard.realRoot();
    const state: ScanState = { root, maxFileBytes, files: [], skipped: [], misses: [], lastTurn: performance.now() };
    try {
      const berthignore = readRuleFile(path.join(root, '.berthignore'));
      await this.walk(state, '', IgnoreRules.create({ includeEnv, berthignore }), true);
      await Promise.all(state.misses.map((relative) => this.limiter.run(() => this.hash(state, relative))));
      this.cache.commit();
    } catch (error) {
      this.cache.abandon();
      throw error;
    }
    // Code-unit order, as the contract says (localeCompare would not be).
    const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    return { files: state.files.sort(byPath), skipped: state.skipped.sort(byPath) };
  }

  private async walk(state: ScanState, dir: string, inherited: IgnoreRules, readGitignores: boolean): Promise<void> {
    let entries: Dirent<Buffer>[];
    try {
      // Names as bytes: a name that is not UTF-8 must be seen (and listed), not decoded into another.
      entries = readdirSync(path.join(state.root, dir), { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      if (dir === '') throw error;
      const code = (error as NodeJS.ErrnoException).code;
      // Vanished or replaced since its parent was read: nothing to record.
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      state.skipped.push({ path: dir, size: 0, reason: 'unreadable' });
      return;
    }
    let rules = inherited;
    if (readGitignores && entries.some((entry) => entry.name.toString('latin1') === '.gitignore' && entry.isFile())) {
      const content = readRuleFile(path.join(state.root, dir, '.gitignore'));
      if (content) rules = rules.withGitignore(dir, content);
    }
    for (const entry of entries) {
      if (performance.now() - state.lastTurn >= TURN_MS) {
        await nextTurn();
        state.lastTurn = performance.now();
      }
      const name = entry.name.toString('utf8');
      if (name.startsWith(TEMP_PREFIX)) continue; // the agent's own half-written files
      const relative = joinRelative(dir, name);
      if (entry.isDirectory()) {
        // Git never applies .gitignore inside its own folder; only .berthignore may skip it.
        if (relative === '.git') {
          const gitRules = rules.forGitDir();
          if (!gitRules.ignores(relative, true)) await this.walk(state, relative, gitRules, false);
        } else if (!rules.ignores(relative, true) && this.storable(state, relative, entry.name)) {
          await this.walk(state, relative, rules, readGitignores);
        }
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (!rules.ignores(relative, false) && this.storable(state, relative, entry.name)) this.record(state, relative);
      }
    }
  }

  /**
   * Whether a path can be kept in a snapshot at all (manifests hold paths of at most
   * MAX_PATH_LENGTH characters, as UTF-8 text). One that cannot is listed as skipped — a folder
   * once, for everything in it — and the rest of the snapshot goes ahead.
   */
  private storable(state: ScanState, relative: string, rawName: Buffer): boolean {
    if (!isUtf8(rawName)) {
      state.skipped.push({ path: relative, size: 0, reason: 'not_utf8' });
      return false;
    }
    if (relative.length > MAX_PATH_LENGTH) {
      state.skipped.push({ path: relative, size: 0, reason: 'path_too_long' });
      return false;
    }
    return true;
  }

  /** One file or symlink, judged by a fresh lstat (the dirent may be stale); a cache miss is left for hash(). */
  private record(state: ScanState, relative: string): void {
    const absolute = path.join(state.root, relative);
    try {
      const stats = lstatSync(absolute, { bigint: true });
      if (stats.isSymbolicLink()) {
        const bytes = readlinkSync(absolute, { encoding: 'buffer' });
        // A target that is not UTF-8 could only be stored as a different one.
        if (!isUtf8(bytes)) {
          state.skipped.push({ path: relative, size: 0, reason: 'not_utf8' });
          return;
        }
        state.files.push({
          path: relative,
          type: 'symlink',
          mode: SYMLINK_MODE,
          size: bytes.length,
          sha256: sha256Hex(bytes),
        });
        return;
      }
      if (!stats.isFile()) return;
      if (stats.size > BigInt(state.maxFileBytes)) {
        state.skipped.push({ path: relative, size: Number(stats.size), reason: 'too_large' });
        return;
      }
      const cached = this.cache.get(relative, stats);
      if (cached === undefined) {
        state.misses.push(relative);
        return;
      }
      state.files.push({
        path: relative,
        type: 'file',
        mode: Number(stats.mode & 0o777n),
        size: Number(stats.size),
        sha256: cached,
      });
    } catch (error) {
      leaveOut(state, relative, error);
    }
  }

  /** A file the cache did not know: its content read and hashed. */
  private async hash(state: ScanState, relative: string): Promise<void> {
    const absolute = path.join(state.root, relative);
    try {
      this.hooks.onRead?.(relative);
      const hashed = await hashFile(absolute);
      if (!hashed) return;
      // Grown past the limit since the walk saw it.
      if (hashed.size > state.maxFileBytes) {
        state.skipped.push({ path: relative, size: hashed.size, reason: 'too_large' });
        return;
      }
      if (hashed.stable) this.cache.set(relative, hashed.stats, hashed.sha256);
      state.files.push({
        path: relative,
        type: 'file',
        mode: Number(hashed.stats.mode & 0o777n),
        size: hashed.size,
        sha256: hashed.sha256,
      });
    } catch (error) {
      leaveOut(state, relative, error);
    }
  }
}

/** A path that failed to read: gone, or swapped for a symlink/folder while we looked, is left out (the next scan sees what is there); anything else is listed as unreadable. */
function leaveOut(state: ScanState, relative: string, error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return;
  if (typeof code !== 'string') throw error;
  let size = 0;
  try {
    size = Number(lstatSync(path.join(state.root, relative)).size);
  } catch {
    // gone meanwhile: size unknown
  }
  state.skipped.push({ path: relative, size, reason: 'unreadable' });
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** A .gitignore / .berthignore as text; undefined when absent, not a file, or unreadable. */
function readRuleFile(absolute: string): string | undefined {
  try {
    const stats = lstatSync(absolute);
    if (!stats.isFile() || stats.size > MAX_IGNORE_FILE_BYTES) return undefined;
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}
