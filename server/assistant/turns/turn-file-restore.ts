// Puts back the files one turn changed, through FileService like a user's own save (so locks
// apply and every tab sees the change through the normal file events). Batched for speed: the
// snapshot's manifest and the needed blobs come in two queries, and the workspace's files are
// read (hashed) and written a few at a time in parallel, not one round trip after another.
import { createHash } from 'node:crypto';
import type { RecordedTurnFileChange, UndoConflictDto } from '../../contracts';
import { DomainError } from '../../core/errors';
import { mapAtMost } from '../../core/map-at-most';
import type { Actor, FileService } from '../../files';
import { CONFLICT_REASONS, planUndo, type CurrentFile, type UndoStep, type UndoTarget } from './undo-plan';

/** What undo reads of snapshots (SnapshotStore fits): the manifest and content-addressed blobs. */
export interface SnapshotFiles {
  manifest(snapshotId: string): Promise<{ path: string; mode: number; sha256: string }[]>;
  readBlobs(hashes: string[]): Promise<Map<string, Buffer>>;
}

export interface RestoreRequest {
  actor: Actor;
  projectId: string;
  changes: RecordedTurnFileChange[];
  /** The snapshot taken before the turn; null when it is gone. */
  snapshotId: string | null;
  force: boolean;
  /** A snapshot that is gone: refuse (409 snapshot_gone, nothing changed) or report its files as conflicts. */
  snapshotGone: 'refuse' | 'report';
}

export interface RestoreOutcome {
  restored: string[];
  removed: string[];
  conflicts: UndoConflictDto[];
}

/** Files read or written at once. */
const PARALLEL = 8;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const SNAPSHOT_GONE_REASON = 'the snapshot taken before the turn was deleted';

export class SnapshotGoneError extends DomainError {
  constructor() {
    super(
      'conflict',
      'snapshot_gone',
      'The snapshot taken before this turn was deleted, so the files it changed cannot be restored',
    );
  }
}

export class TurnFileRestore {
  constructor(
    private readonly files: FileService,
    private readonly snapshots: SnapshotFiles,
  ) {}

  /** Throws SnapshotGoneError (before changing anything) when a file needs the snapshot and it is gone. */
  async restore(request: RestoreRequest): Promise<RestoreOutcome> {
    const manifest = lazy(() =>
      request.snapshotId === null ? Promise.resolve(null) : this.snapshots.manifest(request.snapshotId),
    );
    const targets = await this.targets(request.changes, manifest, request.snapshotGone);
    const steps = await mapAtMost(request.changes, PARALLEL, async (change) => {
      const current = await this.current(request, change.path);
      return { change, current, step: planUndo(change, current, targets.get(change.path)!, request.force) };
    });
    const outcome: RestoreOutcome = { restored: [], removed: [], conflicts: [] };
    const applied = await mapAtMost(steps, PARALLEL, ({ change, current, step }) =>
      this.apply(request, change.path, current, step),
    );
    for (const [index, result] of applied.entries()) {
      const path = steps[index]!.change.path;
      if (result === 'restored') outcome.restored.push(path);
      else if (result === 'removed') outcome.removed.push(path);
      else if (result !== 'none') outcome.conflicts.push({ path, reason: result.conflict });
    }
    if (outcome.removed.length > 0) await this.removeEmptiedFolders(request, outcome.removed, await manifest());
    return outcome;
  }

  /** Each path's state before the turn: created → absent, else its content in the snapshot. */
  private async targets(
    changes: RecordedTurnFileChange[],
    manifest: () => Promise<ManifestRow[] | null>,
    snapshotGone: RestoreRequest['snapshotGone'],
  ) {
    const targets = new Map<string, UndoTarget>();
    const fromSnapshot = changes.filter((change) => change.change !== 'created');
    for (const change of changes) if (change.change === 'created') targets.set(change.path, { kind: 'absent' });
    if (fromSnapshot.length === 0) return targets;
    const rows = await manifest();
    if (rows === null && snapshotGone === 'refuse') throw new SnapshotGoneError();
    if (rows === null) {
      for (const { path } of fromSnapshot) targets.set(path, { kind: 'unavailable', reason: SNAPSHOT_GONE_REASON });
      return targets;
    }
    const wanted = new Set(fromSnapshot.map((change) => change.path));
    const entries = new Map(rows.filter((entry) => wanted.has(entry.path)).map((entry) => [entry.path, entry]));
    // The version the turn found may be newer than the snapshot's (a save made mid-turn): the blob
    // store is content-addressed, so when some snapshot kept that version it is fetched too.
    const blobs = await this.snapshots.readBlobs([
      ...new Set(
        fromSnapshot.flatMap(({ path, beforeSha256 }) => {
          const entry = entries.get(path);
          if (entry && isSymlink(entry.mode)) return [];
          return [entry?.sha256, beforeSha256].filter((hash): hash is string => typeof hash === 'string');
        }),
      ),
    ]);
    for (const { path, beforeSha256 } of fromSnapshot)
      targets.set(path, targetOf(entries.get(path), beforeSha256, blobs));
    return targets;
  }

  /**
   * Folders the removed files leave empty go too, deepest first, when the snapshot before the turn
   * had no file in them (so the turn made them). Best effort: a folder in use is simply kept.
   */
  private async removeEmptiedFolders(
    { actor, projectId }: RestoreRequest,
    removed: string[],
    manifest: ManifestRow[] | null,
  ): Promise<void> {
    if (manifest === null) return; // without the snapshot, a folder the user had cannot be told apart
    const hadFiles = new Set(manifest.flatMap((entry) => ancestorsOf(entry.path)));
    const candidates = [...new Set(removed.flatMap(ancestorsOf))]
      .filter((folder) => !hadFiles.has(folder))
      .sort((a, b) => b.split('/').length - a.split('/').length);
    for (const folder of candidates) {
      try {
        if ((await this.files.list(actor, projectId, folder)).length === 0)
          await this.files.delete(actor, projectId, folder);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }

  /** The file as it is now (hashed while streamed). */
  private async current({ actor, projectId }: RestoreRequest, path: string): Promise<CurrentFile> {
    try {
      const file = await this.files.openRead(actor, projectId, path);
      const hash = createHash('sha256');
      for await (const chunk of file.stream) hash.update(chunk as Buffer);
      return { kind: 'file', sha256: hash.digest('hex'), version: file.version };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_a_file') return { kind: 'folder' };
      if (error instanceof DomainError && error.kind === 'not_found') return { kind: 'absent' };
      throw error;
    }
  }

  private async apply(
    { actor, projectId }: RestoreRequest,
    path: string,
    current: CurrentFile,
    step: UndoStep,
  ): Promise<'none' | 'restored' | 'removed' | { conflict: string }> {
    try {
      switch (step.action) {
        case 'none':
          return 'none';
        case 'conflict':
          return { conflict: step.reason };
        case 'remove':
          await this.files.delete(actor, projectId, path);
          return 'removed';
        case 'write':
          // Based on the version just read: a save landing in between is not overwritten. With the
          // mode it had: a script the turn deleted comes back executable.
          await this.files.write(actor, projectId, path, step.content, {
            ...(current.kind === 'file' ? { ifMatch: current.version } : { ifNoneMatch: true }),
            ...(step.mode === undefined ? {} : { mode: step.mode }),
          });
          return 'restored';
      }
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'locked') return { conflict: CONFLICT_REASONS.locked };
      if (error instanceof DomainError && error.kind === 'precondition_failed')
        return { conflict: CONFLICT_REASONS.raced };
      if (error instanceof DomainError && error.kind === 'not_found' && step.action === 'remove') return 'none';
      throw error;
    }
  }
}

type ManifestRow = Awaited<ReturnType<SnapshotFiles['manifest']>>[number];

/** A file's content before the turn: the version the turn found when a snapshot kept it, else the snapshot's. */
function targetOf(
  entry: ManifestRow | undefined,
  beforeSha256: string | null | undefined,
  blobs: Map<string, Buffer>,
): UndoTarget {
  if (entry && isSymlink(entry.mode))
    return { kind: 'unavailable', reason: 'was a symbolic link before the turn; undo does not restore links' };
  const mode = entry ? { mode: entry.mode & 0o777 } : {};
  const found = typeof beforeSha256 === 'string' ? blobs.get(beforeSha256) : undefined;
  if (found && beforeSha256) return { kind: 'content', sha256: beforeSha256, content: found, ...mode };
  if (!entry) return { kind: 'unavailable', reason: 'not in the snapshot taken before the turn (snapshots skip it)' };
  const content = blobs.get(entry.sha256);
  if (!content)
    return { kind: 'unavailable', reason: 'its content before the turn is missing from the snapshot store' };
  // Recorded and different: the snapshot's version is older than the one the turn found.
  const stale = typeof beforeSha256 === 'string' && beforeSha256 !== entry.sha256;
  return {
    kind: 'content',
    sha256: entry.sha256,
    content,
    ...mode,
    ...(stale ? { stale: CONFLICT_REASONS.stale } : {}),
  };
}

const isSymlink = (mode: number) => (mode & S_IFMT) === S_IFLNK;

/** 'a/b/c.txt' → ['a/b', 'a']. */
export const ancestorsOf = (path: string): string[] =>
  path
    .split('/')
    .slice(0, -1)
    .map((_, index, parts) => parts.slice(0, index + 1).join('/'))
    .reverse();

/** `load` run once, on first call. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
