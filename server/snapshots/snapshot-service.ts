// Taking and restoring snapshots of a running workspace. Taking: the agent scans /workspace
// (ignore rules, hashes from its cache), only content PostgreSQL lacks is read (one tar
// stream), stored as blobs, then the manifest goes in one transaction. Restoring: a safety
// snapshot first, then only files that differ are written and extra ones deleted. One
// operation at a time per project; an unchanged workspace makes no new automatic snapshot.
import type { Readable } from 'node:stream';
import type { AgentMethods, SkippedFile, SnapshotDiffEntry, SnapshotDto, SnapshotReason } from '../contracts';
import { DomainError } from '../core/errors';
import type { BerthMetrics } from '../core/metrics';
import type { AgentEndpoint } from '../runtime';
import type { AgentArchiveClient } from './agent-archive-client';
import { BlobWriter } from './blob-writer';
import { diffManifests } from './manifest-diff';
import { LatestManifests } from './latest-manifests';
import { packSnapshot, S_IFLNK, S_IFREG } from './snapshot-tar';
import type { ManifestEntry, SnapshotStore } from './snapshot-store';

interface SnapshotAgent {
  request<M extends 'snapshot.scan' | 'fs.delete'>(
    method: M,
    params: AgentMethods[M]['params'],
  ): Promise<AgentMethods[M]['result']>;
}

/** What the service needs of the workspace lifecycle (WorkspaceService fits). */
export interface SnapshotWorkspaces {
  agent(projectId: string): SnapshotAgent | undefined;
  agentEndpoint(projectId: string): AgentEndpoint | undefined;
}

export interface SnapshotOptions {
  /** Files above this are left out and listed as skipped. */
  maxFileBytes: number;
  /** Unlabelled snapshots kept per project. */
  keep: number;
  /** berth_snapshot_seconds and failed snapshots; absent = not measured. */
  metrics?: BerthMetrics;
}

export interface TakeResult {
  snapshot: SnapshotDto;
  /** false when nothing had changed since the latest snapshot, which is returned instead. */
  created: boolean;
}

export interface TakeOptions {
  /**
   * Told the files as the scan found them, before their content is stored: what the project
   * holds at the snapshot's moment, known early (the assistant builds its request from it).
   */
  onScanned?: (files: ManifestEntry[]) => void;
}

const notRunning = () =>
  new DomainError(
    'conflict',
    'workspace_not_running',
    'The workspace is not running; start it to take or restore a snapshot',
  );

export class SnapshotService {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly latestManifests = new LatestManifests();

  constructor(
    private readonly store: SnapshotStore,
    private readonly workspaces: SnapshotWorkspaces,
    private readonly archive: AgentArchiveClient,
    private readonly options: SnapshotOptions,
  ) {}

  /** Snapshots the running workspace. Automatic reasons make nothing when nothing changed. */
  take(projectId: string, reason: SnapshotReason, label?: string, options: TakeOptions = {}): Promise<TakeResult> {
    const take = () => this.takeNow(projectId, reason, label, options);
    // Timed inside the queue: the metric is the snapshot's own duration, not the wait for its turn.
    const metrics = this.options.metrics;
    return this.serial(
      projectId,
      metrics
        ? () => metrics.time((seconds) => metrics.snapshotSeconds.observe({ reason }, seconds), 'snapshot', take)
        : take,
    );
  }

  /** Restores the whole project, or one path, as it was in `snapshotId`, after a safety snapshot. */
  restore(
    projectId: string,
    snapshotId: string,
    path?: string,
  ): Promise<{ safetySnapshotId: string; written: number; deleted: number }> {
    return this.serial(projectId, async () => {
      const target = await this.store.get(projectId, snapshotId);
      if (!target) throw new DomainError('not_found', 'not_found', 'Snapshot not found');
      const wanted = await this.store.manifest(snapshotId);
      const one = path === undefined ? undefined : wanted.find((entry) => entry.path === path);
      if (path !== undefined && !one)
        throw new DomainError('not_found', 'not_in_snapshot', `${path} is not in that snapshot`);
      const safety = await this.takeNow(projectId, 'safety');
      const current = await this.store.manifest(safety.snapshot.id);
      const { written, deleted } = one
        ? await this.writeAndDelete(projectId, [one], [])
        : await this.makeEqual(projectId, current, wanted);
      return { safetySnapshotId: safety.snapshot.id, written, deleted };
    });
  }

  /**
   * Makes the running workspace hold exactly `snapshotId`'s files, writing only what differs and
   * deleting the rest, with no snapshot of its own (a sync took its labelled one first and
   * journals this step, so it can be run again after an interruption). Paths for which `leave`
   * is true (a sync's `.git/`) are neither written nor deleted: they stay as the workspace has them.
   * With `only`, nothing but those paths is written or deleted (a sync names the paths its plan
   * changes: a file saved meanwhile elsewhere stays as it is).
   */
  applySnapshot(
    projectId: string,
    snapshotId: string,
    options: { leave?: (path: string) => boolean; only?: ReadonlySet<string> } = {},
  ): Promise<{ written: number; deleted: number }> {
    return this.serial(projectId, async () => {
      if (!(await this.store.get(projectId, snapshotId)))
        throw new DomainError('not_found', 'not_found', 'Snapshot not found');
      const { files } = await this.scan(projectId);
      const wanted = await this.store.manifest(snapshotId);
      const { leave, only } = options;
      if (!leave && !only) return this.makeEqual(projectId, files, wanted);
      const ours = (entry: ManifestEntry) => !leave?.(entry.path) && (!only || only.has(entry.path));
      return this.makeEqual(projectId, files.filter(ours), wanted.filter(ours));
    });
  }

  /** How the workspace now differs from a snapshot (scans the workspace; stores nothing). */
  async diff(projectId: string, snapshotId: string): Promise<SnapshotDiffEntry[]> {
    if (!(await this.store.get(projectId, snapshotId)))
      throw new DomainError('not_found', 'not_found', 'Snapshot not found');
    const { files } = await this.scan(projectId);
    return diffManifests(await this.store.manifest(snapshotId), files);
  }

  /** One file's content in a snapshot (for the diff view). */
  async fileContent(
    projectId: string,
    snapshotId: string,
    path: string,
  ): Promise<{ entry: ManifestEntry; content: Buffer }> {
    if (!(await this.store.get(projectId, snapshotId)))
      throw new DomainError('not_found', 'not_found', 'Snapshot not found');
    const entry = (await this.store.manifest(snapshotId)).find((item) => item.path === path);
    if (!entry) throw new DomainError('not_found', 'not_in_snapshot', `${path} is not in that snapshot`);
    return { entry, content: await this.store.readBlob(entry.sha256) };
  }

  /** A snapshot's files as a tar stream (restoring into a new, empty volume, extracted as root: folders owned by the user too). */
  async archiveOf(snapshotId: string): Promise<Readable> {
    return packSnapshot(await this.store.manifest(snapshotId), (hashes) => this.store.readBlobs(hashes), {
      folders: true,
    });
  }

  /**
   * Writes what differs from `current` to `wanted` and deletes what `wanted` lacks. A file where
   * a folder must go (or a folder where a file must go) is deleted before the writes.
   */
  private async makeEqual(
    projectId: string,
    current: ManifestEntry[],
    wanted: ManifestEntry[],
  ): Promise<{ written: number; deleted: number }> {
    const diff = diffManifests(current, wanted);
    const changed = new Set(diff.filter((entry) => entry.status !== 'deleted').map((entry) => entry.path));
    const gone = diff.filter((entry) => entry.status === 'deleted').map((entry) => entry.path);
    const currentPaths = new Set(current.map((entry) => entry.path));
    const blocking = new Set<string>();
    for (const path of changed)
      for (const folder of foldersOf(path)) if (currentPaths.has(folder)) blocking.add(folder);
    for (const path of currentPaths)
      for (const folder of foldersOf(path)) if (changed.has(folder)) blocking.add(folder);
    await this.deletePaths(projectId, [...blocking]);
    const covered = (path: string) => blocking.has(path) || foldersOf(path).some((folder) => blocking.has(folder));
    const result = await this.writeAndDelete(
      projectId,
      wanted.filter((entry) => changed.has(entry.path)),
      gone.filter((path) => !covered(path)),
    );
    return { written: result.written, deleted: gone.length };
  }

  private async writeAndDelete(
    projectId: string,
    toWrite: ManifestEntry[],
    toDelete: string[],
  ): Promise<{ written: number; deleted: number }> {
    const endpoint = this.endpoint(projectId);
    const { written } = toWrite.length ? await this.archive.write(endpoint, this.tarOf(toWrite)) : { written: 0 };
    await this.deletePaths(projectId, toDelete);
    return { written, deleted: toDelete.length };
  }

  private async deletePaths(projectId: string, paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const agent = this.workspaces.agent(projectId);
    if (!agent) throw notRunning();
    for (const gone of paths)
      await agent.request('fs.delete', { path: gone }).catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'not_found') throw error;
      });
  }

  private tarOf(entries: ManifestEntry[]): Readable {
    return packSnapshot(entries, (hashes) => this.store.readBlobs(hashes));
  }

  private async takeNow(
    projectId: string,
    reason: SnapshotReason,
    label?: string,
    options: TakeOptions = {},
  ): Promise<TakeResult> {
    const { files, skipped } = await this.scan(projectId);
    options.onScanned?.([...files]);
    const previous = await this.store.latest(projectId);
    const previousFiles = previous ? await this.manifestOfLatest(projectId, previous.id) : [];
    const changedFiles = diffManifests(previousFiles, files).length;
    const automatic = reason === 'auto' || reason === 'stop' || reason === 'safety';
    if (automatic && previous && changedFiles === 0) return { snapshot: previous, created: false };

    const newBytes = await this.storeMissingContent(projectId, files);
    const snapshot = await this.store.create({
      projectId,
      reason,
      label: label ?? null,
      files,
      skipped,
      newBytes,
      changedFiles,
    });
    this.latestManifests.set(projectId, snapshot.id, files);
    await this.store.prune(projectId, this.options.keep);
    return { snapshot, created: true };
  }

  /** The manifest of the project's latest snapshot: kept from the take that made it, else read (and kept). */
  private async manifestOfLatest(projectId: string, snapshotId: string): Promise<readonly ManifestEntry[]> {
    const kept = this.latestManifests.get(projectId, snapshotId);
    if (kept) return kept;
    const files = await this.store.manifest(snapshotId);
    this.latestManifests.set(projectId, snapshotId, files);
    return files;
  }

  /** Reads what PostgreSQL lacks from the agent and stores it; fixes up entries that changed meanwhile. */
  private async storeMissingContent(projectId: string, files: ManifestEntry[]): Promise<number> {
    const missing = await this.store.missingBlobs(files.map((file) => file.sha256));
    const wanted = files.filter((file) => missing.has(file.sha256));
    if (wanted.length === 0) return 0;
    const byPath = new Map(wanted.map((file) => [file.path, file]));
    const received = new Set<string>();
    const writer = new BlobWriter(this.store);
    for await (const item of this.archive.read(
      this.endpoint(projectId),
      wanted.map((file) => file.path),
    )) {
      const entry = byPath.get(item.path);
      if (!entry) continue;
      received.add(item.path);
      entry.mode = (item.type === 'symlink' ? S_IFLNK : S_IFREG) | item.mode;
      // Changed between scan and read: the snapshot records what was read.
      await writer.add(item.content, (blob) => {
        entry.sha256 = blob.sha256;
        entry.size = blob.size;
      });
    }
    const added = await writer.finish();
    // Vanished between scan and read: not in this snapshot.
    for (let i = files.length - 1; i >= 0; i -= 1)
      if (byPath.has(files[i]!.path) && !received.has(files[i]!.path)) files.splice(i, 1);
    return added;
  }

  private async scan(projectId: string): Promise<{ files: ManifestEntry[]; skipped: SkippedFile[] }> {
    const agent = this.workspaces.agent(projectId);
    if (!agent) throw notRunning();
    const result = await agent.request('snapshot.scan', { maxFileBytes: this.options.maxFileBytes, includeEnv: false });
    const files = result.files.map((file) => ({
      path: file.path,
      mode: (file.type === 'symlink' ? S_IFLNK : S_IFREG) | (file.mode & 0o7777),
      size: file.size,
      sha256: file.sha256,
    }));
    return { files, skipped: result.skipped };
  }

  private endpoint(projectId: string): AgentEndpoint {
    const endpoint = this.workspaces.agentEndpoint(projectId);
    if (!endpoint) throw notRunning();
    return endpoint;
  }

  /** Runs operations on one project one after another (a failed one does not block the next). */
  private serial<T>(projectId: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(projectId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(operation);
    this.queues.set(projectId, next);
    void next
      .catch(() => undefined)
      .then(() => {
        if (this.queues.get(projectId) === next) this.queues.delete(projectId);
      });
    return next;
  }
}

/** The folders a path lies in, outermost first: a/b/c → a, a/b. */
function foldersOf(path: string): string[] {
  const folders: string[] = [];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1))
    folders.push(path.slice(0, slash));
  return folders;
}
