// What a synced folder holds, as a sync manifest: regular files and symlinks (never followed),
// with the same ignore rules as a Berth snapshot (Berth's defaults, every .gitignore, the
// .berthignore, no .env) from the workspace agent's IgnoreRules, and hashes from the cache in
// .berth/hashes.json when a file is unchanged. Left out besides: .berth/ itself, .git folders
// and any path a sync refuses (the planner's checks), files over the size limit — each listed as
// skipped so the command line can say so.
import { lstatSync, readdirSync, readFileSync, readlinkSync, type BigIntStats, type Dirent } from 'node:fs';
import path from 'node:path';
import { version as ignoreVersion } from 'ignore/package.json';
import type { SyncManifestEntry } from '../contracts/sync';
import { hashFile, sha256Hex } from '../agent/snapshot/file-hash';
import { IgnoreRules } from '../agent/snapshot/ignore-rules';
import { Limiter } from '../agent/snapshot/limiter';
import { S_IFLNK, S_IFREG, syncPathProblem } from '../sync/core/manifest-checks';
import { STATE_DIR_NAME, TEMP_PREFIX } from './folder-layout';
import type { HashCacheFile } from './hash-cache-file';

/**
 * Larger files are left out (and listed). Far above a Berth's own cap on purpose: a file the
 * folder holds but did not list would look deleted to the next sync, which would delete it on the
 * Berth; one the Berth cannot take is refused there, with its reason, instead.
 */
export const FOLDER_MAX_FILE_BYTES = 1024 * 1024 * 1024;
const SCAN_CONCURRENCY = 16;
const MAX_RULE_FILE_BYTES = 1024 * 1024;

export interface SkippedPath {
  path: string;
  reason: string;
}

/** Which file the scan saw at a path: an apply changes it only while it is still that one. */
export interface FileIdentity {
  ino: string;
  size: string;
  mtimeNs: string;
}

export function identityOf(stats: BigIntStats): FileIdentity {
  return { ino: String(stats.ino), size: String(stats.size), mtimeNs: String(stats.mtimeNs) };
}

export const sameIdentity = (a: FileIdentity, b: FileIdentity) =>
  a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;

export interface FolderScan {
  files: SyncManifestEntry[];
  skipped: SkippedPath[];
  /** Each listed file's identity when it was read. */
  identities: Map<string, FileIdentity>;
}

export interface FolderScanOptions {
  /** The folder's real path (symlinks resolved). */
  root: string;
  cache: HashCacheFile;
  maxFileBytes?: number;
  /** Called before a file is read (tests count cache misses). */
  onRead?(relative: string): void;
}

/**
 * What a file's listing depends on besides its path: the ignore rules in force (IgnoreRules.id),
 * the `ignore` package that applies them, and this file's own checks. Raise the number when
 * syncPathProblem or the checks in walk() change, so that no cache skips a check it never passed.
 */
const LISTING_CHECKS = `1/ignore@${ignoreVersion}`;
/**
 * The walk's calls are synchronous — for a tree the cache answers (the usual sync) several times
 * faster than a promise per file — and it lets the event loop run every this many ms: a remote
 * request started meanwhile progresses, its idle timer sees its answer, Ctrl-C is heard.
 */
const TURN_MS = 10;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const listingIds = new WeakMap<IgnoreRules, string>();
function listingId(rules: IgnoreRules): string {
  let id = listingIds.get(rules);
  if (id === undefined) listingIds.set(rules, (id = `${LISTING_CHECKS}:${rules.id}`));
  return id;
}

const tooLarge = (maxFileBytes: number) => `larger than ${Math.round(maxFileBytes / 1024 / 1024)} MB`;
const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export async function scanFolder(options: FolderScanOptions): Promise<FolderScan> {
  const scan: FolderScan = { files: [], skipped: [], identities: new Map() };
  const maxFileBytes = options.maxFileBytes ?? FOLDER_MAX_FILE_BYTES;
  const root = options.root;
  // `relative` is built from listed names ('/'-joined, never '.' or '..'): plain concatenation
  // gives what path.join would, without its normalising pass over every path.
  const at = (relative: string) => (relative === '' ? root : `${root}/${relative}`);
  /** Files the cache could not answer for: hashed after the walk, several at a time. */
  const misses: { relative: string; rules: string }[] = [];

  let lastTurn = performance.now();
  async function breathe(): Promise<void> {
    if (performance.now() - lastTurn < TURN_MS) return;
    await nextTurn();
    lastTurn = performance.now();
  }

  async function walk(dir: string, inherited: IgnoreRules): Promise<void> {
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(at(dir), { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      if (dir === '') throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') scan.skipped.push({ path: dir, reason: 'unreadable' });
      return;
    }
    let rules = inherited;
    if (entries.some((entry) => entry.name.toString('latin1') === '.gitignore' && entry.isFile())) {
      const content = readRuleFile(`${at(dir)}/.gitignore`);
      if (content) rules = rules.withGitignore(dir, content);
    }
    for (const entry of entries) {
      await breathe();
      const name = entry.name.toString('utf8');
      if (name.startsWith(TEMP_PREFIX)) continue;
      const relative = dir === '' ? name : `${dir}/${name}`;
      if (dir === '' && name === STATE_DIR_NAME) continue;
      // Git's own folder never travels (the sync refuses it: hooks there run code).
      if (entry.isDirectory() && name.toLowerCase() === '.git') continue;
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile() && !entry.isSymbolicLink()) continue;
      // The same file the last scan listed under these same rules passes them again (they depend
      // on the path alone): most of a no-op scan's time went to asking. "The same file": its
      // stats as cached, which a hashes.json made elsewhere cannot foresee.
      let stats: BigIntStats | undefined;
      if (!isDir && options.cache.listedUnder(relative) === listingId(rules)) {
        try {
          stats = lstatSync(at(relative), { bigint: true });
        } catch (error) {
          leaveOut(relative, error);
          continue;
        }
      }
      const listed = stats !== undefined && options.cache.listedUnder(relative, stats) === listingId(rules);
      if (!listed && rules.ignores(relative, isDir)) continue;
      if (!Buffer.from(name, 'utf8').equals(entry.name)) {
        scan.skipped.push({ path: relative, reason: 'name is not UTF-8' });
        continue;
      }
      const problem = listed ? undefined : syncPathProblem(relative);
      if (problem) {
        scan.skipped.push({ path: relative, reason: problem });
        continue;
      }
      if (isDir) await walk(relative, rules);
      else {
        try {
          record(relative, listingId(rules), stats);
        } catch (error) {
          leaveOut(relative, error);
        }
      }
    }
  }

  /** A path that failed to read: gone or replaced meanwhile is left out quietly (the next scan sees it), unreadable is listed. */
  function leaveOut(relative: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return;
    if (typeof code !== 'string') throw error;
    scan.skipped.push({ path: relative, reason: 'unreadable' });
  }

  function record(relative: string, rules: string, statsRead?: BigIntStats): void {
    const absolute = at(relative);
    const stats = statsRead ?? lstatSync(absolute, { bigint: true });
    if (stats.isSymbolicLink()) {
      const target = readlinkSync(absolute, { encoding: 'buffer' });
      scan.files.push({ path: relative, mode: S_IFLNK | 0o777, size: target.length, sha256: sha256Hex(target) });
      scan.identities.set(relative, identityOf(stats));
      return;
    }
    if (!stats.isFile()) return;
    if (stats.size > BigInt(maxFileBytes)) {
      scan.skipped.push({ path: relative, reason: tooLarge(maxFileBytes) });
      return;
    }
    const cached = options.cache.get(relative, stats, rules);
    if (cached === undefined) {
      misses.push({ relative, rules });
      return;
    }
    scan.files.push({
      path: relative,
      mode: S_IFREG | Number(stats.mode & 0o777n),
      size: Number(stats.size),
      sha256: cached,
    });
    scan.identities.set(relative, identityOf(stats));
  }

  async function hashMiss(relative: string, rules: string): Promise<void> {
    options.onRead?.(relative);
    const hashed = await hashFile(at(relative));
    if (!hashed) return;
    // Grown past the limit since the walk saw it.
    if (hashed.size > maxFileBytes) {
      scan.skipped.push({ path: relative, reason: tooLarge(maxFileBytes) });
      return;
    }
    if (hashed.stable) options.cache.set(relative, hashed.stats, hashed.sha256, rules);
    scan.files.push({
      path: relative,
      mode: S_IFREG | Number(hashed.stats.mode & 0o777n),
      size: hashed.size,
      sha256: hashed.sha256,
    });
    scan.identities.set(relative, identityOf(hashed.stats));
  }

  try {
    await walk(
      '',
      IgnoreRules.create({ includeEnv: false, berthignore: readRuleFile(path.join(root, '.berthignore')) }),
    );
    const limiter = new Limiter(SCAN_CONCURRENCY);
    await Promise.all(
      misses.map(({ relative, rules }) =>
        limiter.run(async () => {
          try {
            await hashMiss(relative, rules);
          } catch (error) {
            leaveOut(relative, error);
          }
        }),
      ),
    );
    await options.cache.commit();
  } catch (error) {
    options.cache.abandon();
    throw error;
  }
  return { files: scan.files.sort(byPath), skipped: scan.skipped.sort(byPath), identities: scan.identities };
}

function readRuleFile(absolute: string): string | undefined {
  try {
    const stats = lstatSync(absolute);
    if (!stats.isFile() || stats.size > MAX_RULE_FILE_BYTES) return undefined;
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}
