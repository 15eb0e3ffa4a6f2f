'use client';
// The file tree's state for one workbench: folder listings loaded lazily, which folders are
// open, and live updates from 'fs:changed' (a changed folder is re-listed if it was loaded).
import type { FileChange, FileEntry } from '@/server/contracts';
import { call, type WorkbenchSocket } from '../workbench-socket';
import { ExternalStore } from './external-store';
import { ancestorsOf, dirname, isWithin } from './paths';

export type TreeStatus = 'waiting' | 'loading' | 'ready' | 'error';

export interface FileTreeState {
  status: TreeStatus;
  listings: Record<string, FileEntry[]>;
  loading: Record<string, true>;
  errors: Record<string, string>;
  expanded: Record<string, true>;
}

const sortEntries = (entries: FileEntry[]) =>
  [...entries].sort((a, b) =>
    (a.kind === 'dir') !== (b.kind === 'dir')
      ? a.kind === 'dir'
        ? -1
        : 1
      : a.name.localeCompare(b.name, undefined, { numeric: true }),
  );

const HOME_FOLDER = '.home';

export class FileTreeStore extends ExternalStore<FileTreeState> {
  private socket: WorkbenchSocket | null = null;
  private pending = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private watched = new Set<string>();
  /** File calls start a stopped workspace on the server: make none unless it runs. */
  private running = false;

  constructor(readonly projectId: string) {
    super({ status: 'waiting', listings: {}, loading: {}, errors: {}, expanded: {} });
  }

  /** Connects to a socket; returns the disposer. */
  attach(socket: WorkbenchSocket): () => void {
    this.socket = socket;
    const onChanged = ({ projectId, changes }: { projectId: string; changes: FileChange[] }) => {
      if (projectId === this.projectId) this.applyChanges(changes);
    };
    socket.on('fs:changed', onChanged);
    return () => {
      socket.off('fs:changed', onChanged);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      if (this.socket === socket) this.socket = null;
    };
  }

  /** (Re)loads the root and every loaded folder: on start and after each reconnect. */
  async reloadAll(): Promise<void> {
    if (!this.socket || !this.running) return;
    if (this.state.status !== 'ready') this.setState({ status: 'loading' });
    this.watched.clear();
    const folders = Object.keys(this.state.listings).filter((dir) => dir === '' || this.state.expanded[dir]);
    const ok = await this.load('');
    this.setState({ status: ok ? 'ready' : 'error' });
    await Promise.all(folders.filter((dir) => dir !== '').map((dir) => this.load(dir)));
  }

  setRunning(running: boolean): void {
    this.running = running;
    if (!running) this.setState({ status: 'waiting' });
  }

  entry(path: string): FileEntry | undefined {
    return this.state.listings[dirname(path)]?.find((item) => item.path === path);
  }

  /** Lists one folder; heavy folders are watched first. Resolves false on failure. */
  async load(dir: string): Promise<boolean> {
    const socket = this.socket;
    if (!socket || !this.running) return false;
    this.setState((s) => ({ loading: { ...s.loading, [dir]: true } }));
    try {
      const heavy = dir !== '' && this.entry(dir)?.heavy;
      if (heavy && !this.watched.has(dir)) {
        await call(socket, 'fs:watch', { projectId: this.projectId, path: dir });
        this.watched.add(dir);
      }
      const listed = await call(socket, 'fs:list', { projectId: this.projectId, path: dir });
      // The home folder lives in the volume (shell history, npm cache) but is not project code.
      const entries = dir === '' ? listed.filter((entry) => entry.name !== HOME_FOLDER) : listed;
      this.setState((s) => {
        const { [dir]: _loading, ...loading } = s.loading;
        const { [dir]: _error, ...errors } = s.errors;
        return { listings: { ...s.listings, [dir]: sortEntries(entries) }, loading, errors };
      });
      return true;
    } catch (cause) {
      this.setState((s) => {
        const { [dir]: _loading, ...loading } = s.loading;
        return { loading, errors: { ...s.errors, [dir]: (cause as Error).message } };
      });
      return false;
    }
  }

  async expand(dir: string): Promise<void> {
    this.setState((s) => ({ expanded: { ...s.expanded, [dir]: true } }));
    if (!this.state.listings[dir] || this.state.errors[dir]) await this.load(dir);
  }

  collapse(dir: string): void {
    this.setState((s) => {
      const { [dir]: _, ...expanded } = s.expanded;
      return { expanded };
    });
  }

  toggle(dir: string): void {
    if (this.state.expanded[dir]) this.collapse(dir);
    else void this.expand(dir);
  }

  /** Opens every folder above `path` so its node is in the tree. */
  async reveal(path: string): Promise<void> {
    for (const dir of ancestorsOf(path)) {
      if (!this.state.expanded[dir] || !this.state.listings[dir]) await this.expand(dir);
    }
  }

  /** Re-lists the folders that hold changed paths (coalesced over a short window). */
  applyChanges(changes: FileChange[]): void {
    if (!this.running) return;
    for (const change of changes) {
      const parent = dirname(change.path);
      if (this.state.listings[parent]) this.pending.add(parent);
      if (change.type === 'deleted') this.forget(change.path);
    }
    if (this.pending.size && !this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        const folders = [...this.pending];
        this.pending.clear();
        for (const dir of folders) if (this.state.listings[dir]) void this.load(dir);
      }, 40);
    }
  }

  /** Drops listings under a deleted or moved-away folder. */
  forget(path: string): void {
    const keep = <T>(record: Record<string, T>) =>
      Object.fromEntries(Object.entries(record).filter(([dir]) => dir === '' || !isWithin(dir, path))) as Record<
        string,
        T
      >;
    if (!Object.keys(this.state.listings).some((dir) => dir !== '' && isWithin(dir, path))) return;
    this.setState((s) => ({ listings: keep(s.listings), expanded: keep(s.expanded) }));
  }

  /** Every file path in loaded listings (for quick open). */
  loadedFiles(): string[] {
    return Object.values(this.state.listings).flatMap((entries) =>
      entries.filter((item) => item.kind !== 'dir').map((item) => item.path),
    );
  }

  /** Lists folders not loaded yet (not heavy), breadth-first, up to a budget; for quick open. */
  async crawl(maxFolders = 60): Promise<void> {
    const queue: string[] = Object.values(this.state.listings).flatMap((entries: FileEntry[]) =>
      entries
        .filter((item) => item.kind === 'dir' && !item.heavy && !this.state.listings[item.path])
        .map((item) => item.path),
    );
    let budget = maxFolders;
    while (queue.length && budget-- > 0) {
      const dir = queue.shift()!;
      if (this.state.listings[dir]) continue;
      if (!(await this.load(dir))) continue;
      for (const item of this.getState().listings[dir] ?? [])
        if (item.kind === 'dir' && !item.heavy) queue.push(item.path);
    }
  }
}
