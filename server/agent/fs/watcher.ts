// Watches the workspace: one non-recursive fs.watch per folder (inotify), skipping heavy
// folders (node_modules, .git…) unless asked for one. Node's {recursive: true} cannot skip a
// subtree, and node_modules alone can hold tens of thousands of folders. Events are debounced
// (one window, not extended, so latency stays bounded), coalesced per path and classified at
// flush time by lstat against the names each watched folder is known to hold.
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FileChange, FileKind } from '../../contracts/files';
import { isHeavyName, joinRelative, kindOf, TEMP_PREFIX, versionOf } from './entry';

export interface WatcherOptions {
  /** Real (symlink-free) absolute path of the workspace root. */
  root: string;
  onChanges(changes: FileChange[]): void;
  debounceMs?: number;
  maxWatchers?: number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

interface WatchedDir {
  watcher: FSWatcher;
  /** Children by name, with their kind: what "created" and "deleted" are judged against. */
  children: Map<string, FileKind>;
  /** New sub-folders get watched too (false inside heavy folders opened on request). */
  recursive: boolean;
}

export class WorkspaceWatcher {
  private readonly dirs = new Map<string, WatchedDir>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private capped = false;
  private disposed = false;
  private readonly debounceMs: number;
  private readonly maxWatchers: number;

  constructor(private readonly options: WatcherOptions) {
    this.debounceMs = Math.min(options.debounceMs ?? 40, 50);
    this.maxWatchers = options.maxWatchers ?? 8000;
  }

  /** Crawls the tree (heavy folders and symlinks excluded) and watches every folder. */
  start(): Promise<void> {
    return this.watchDir('', true);
  }

  get watchedCount(): number {
    return this.dirs.size;
  }

  isWatched(relative: string): boolean {
    return this.dirs.has(relative);
  }

  /** fs.watch: one folder the tree opened, e.g. node_modules; its sub-folders only on request. */
  async watchOnRequest(relative: string): Promise<void> {
    await this.watchDir(relative, false);
  }

  /** Settles once the events seen so far have been flushed (tests). */
  async settle(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }
    await this.flushing;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const dir of this.dirs.values()) dir.watcher.close();
    this.dirs.clear();
    this.pending.clear();
  }

  private async watchDir(relative: string, recursive: boolean): Promise<void> {
    if (this.disposed || this.dirs.has(relative)) return;
    if (this.dirs.size >= this.maxWatchers) return this.hitCap('cap');
    const absolute = path.join(this.options.root, relative);
    let watcher: FSWatcher;
    try {
      // Watch before reading: a child made in between is then seen (as known), not lost.
      watcher = watch(absolute, { persistent: false }, (_type, filename) => this.onEvent(relative, filename));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EMFILE') return this.hitCap(code);
      return; // gone already, or not a folder: the parent's events tell the story
    }
    watcher.on('error', () => this.unwatchTree(relative));
    const dir: WatchedDir = { watcher, children: new Map(), recursive };
    this.dirs.set(relative, dir);
    let dirents;
    try {
      dirents = await readdir(absolute, { withFileTypes: true });
    } catch {
      this.unwatchTree(relative);
      return;
    }
    const subdirs: string[] = [];
    for (const dirent of dirents) {
      if (dirent.name.startsWith(TEMP_PREFIX)) continue;
      dir.children.set(dirent.name, kindOf(dirent));
      if (recursive && dirent.isDirectory() && !isHeavyName(dirent.name))
        subdirs.push(joinRelative(relative, dirent.name));
    }
    await Promise.all(subdirs.map((subdir) => this.watchDir(subdir, true)));
  }

  private hitCap(reason: string): void {
    if (this.capped) return;
    this.capped = true;
    this.options.log?.('file watcher limit reached; further folders are not watched', {
      reason,
      watchers: this.dirs.size,
    });
  }

  private onEvent(dirRelative: string, filename: string | Buffer | null): void {
    if (this.disposed || !this.dirs.has(dirRelative)) return;
    if (filename === null) {
      // The kernel dropped names (queue overflow): look at everything in this folder again.
      void this.rescan(dirRelative);
      return;
    }
    const name = filename.toString();
    if (name.startsWith(TEMP_PREFIX)) return;
    this.queue(joinRelative(dirRelative, name));
  }

  private queue(relative: string): void {
    this.pending.add(relative);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, this.debounceMs);
  }

  private async rescan(dirRelative: string): Promise<void> {
    const dir = this.dirs.get(dirRelative);
    if (!dir) return;
    const names = new Set(dir.children.keys());
    try {
      for (const name of await readdir(path.join(this.options.root, dirRelative))) names.add(name);
    } catch {
      // gone: its known children are reported deleted
    }
    for (const name of names) if (!name.startsWith(TEMP_PREFIX)) this.queue(joinRelative(dirRelative, name));
  }

  private async flush(): Promise<void> {
    if (this.disposed || this.pending.size === 0) return;
    const paths = [...this.pending].sort();
    this.pending.clear();
    const results = await Promise.all(paths.map((relative) => this.classify(relative)));
    const changes = results.flat();
    if (changes.length > 0 && !this.disposed) this.options.onChanges(changes);
  }

  private async classify(relative: string): Promise<FileChange[]> {
    const slash = relative.lastIndexOf('/');
    const parent = this.dirs.get(slash === -1 ? '' : relative.slice(0, slash));
    if (!parent) return []; // its folder stopped being watched meanwhile
    const name = relative.slice(slash + 1);
    const known = parent.children.get(name);
    const stats = await lstat(path.join(this.options.root, relative), { bigint: true }).catch(() => undefined);
    if (!stats) {
      if (known === undefined) return []; // made and removed within one window
      parent.children.delete(name);
      this.unwatchTree(relative);
      return [{ type: 'deleted', path: relative, kind: known }];
    }
    const kind = kindOf(stats);
    const change: FileChange = { type: 'created', path: relative, kind };
    if (kind === 'file') change.version = versionOf(stats);
    if (known === kind) {
      // A folder's own attribute changes are noise for the tree.
      if (kind === 'dir') return [];
      return [{ ...change, type: 'changed' }];
    }
    parent.children.set(name, kind);
    // Replaced by something of another kind (a file became a folder): drop what was watched.
    if (known !== undefined) this.unwatchTree(relative);
    if (kind === 'dir' && parent.recursive && !isHeavyName(name)) await this.watchDir(relative, true);
    return known === undefined ? [change] : [{ type: 'deleted', path: relative, kind: known }, change];
  }

  private unwatchTree(relative: string): void {
    const prefix = relative === '' ? '' : `${relative}/`;
    for (const [key, dir] of this.dirs) {
      if (key === relative || key.startsWith(prefix)) {
        dir.watcher.close();
        this.dirs.delete(key);
      }
    }
  }
}
