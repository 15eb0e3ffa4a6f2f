// apply: makes a project hold exactly the files (and conversation changes) an initiator planned,
// in one step that can be finished after an interruption (docs/adr-hybrid-sync.md, "Never
// half-applied"). The target is `files`, or the expected state's files with `changes` applied.
// Checked first: the manifest's paths and modes, conversation ids not another project's, that the
// project still is the state the plan was made from (409 changed_meanwhile), every new blob in
// the caller's scope. The project's own `.git/` (and `.berth/`), which its state never reports,
// are added back to the target and left as they are on the volume. Then a snapshot labelled
// "before sync with …"; the target goes in as a snapshot (reason 'sync') in the same transaction
// as its journal row and the conversation changes; then the paths the plan changes (expected
// state → target), and only those, are written or deleted on the volume and the row marked done.
// The before snapshot must still hold the expected state's files (else 409 changed_meanwhile,
// nothing written): a save between the state read and that snapshot would otherwise be reverted,
// and a save elsewhere after it stays, since no other path is touched. A row left `applying` (Berth stopped in between) is finished by
// finishPending, which runs before the project is read or applied again, and at start-up.
import type {
  PeerApplyChanges,
  PeerApplyInput,
  PeerApplyRequest,
  PeerApplyResultDto,
  PeerConversationRef,
  ProjectDto,
  SyncManifestEntry,
} from '../../contracts';
import { DomainError } from '../../core/errors';
import type { Prisma, PrismaClient } from '../../db';
import type { SnapshotService, SnapshotStore } from '../../snapshots';
import { checkRemoteManifest, isOutsideSync, ManifestRefusedError } from '../core/manifest-checks';
import { ChangedMeanwhileError } from '../core/sync-peer';
import type { BlobScope } from './blob-scope';
import type { PeerStateReader } from './peer-state';

export interface ApplyConversations {
  assertReplaceable(projectId: string, ids: readonly string[]): Promise<void>;
  replaceWithIds(
    tx: Prisma.TransactionClient,
    projectId: string,
    put: NonNullable<PeerApplyInput['conversations']>['put'],
    remove: readonly string[],
  ): Promise<void>;
  announceChanges(projectId: string): void;
}

export interface ApplyDeps {
  prisma: PrismaClient;
  snapshots: Pick<SnapshotService, 'take' | 'applySnapshot'>;
  store: Pick<SnapshotStore, 'create'>;
  workspaces: { ensureRunning(projectId: string): Promise<unknown> };
  conversations: ApplyConversations;
  state: PeerStateReader;
  scope: BlobScope;
}

/**
 * What the volume's apply leaves alone: the project's .git/ as it is at that moment, not as the
 * target recorded it (git may have run since, e.g. between an interruption and its finishing).
 */
const LEAVE_OUTSIDE = { leave: isOutsideSync };

/** How long a finished apply's row is kept. */
const FINISHED_KEPT_MS = 24 * 60 * 60_000;

/** The snapshot taken before an interrupted apply is finished (it may hold edits made since). */
export const FINISH_LABEL = 'before finishing an interrupted sync';

export class PeerApplier {
  constructor(private readonly deps: ApplyDeps) {}

  /** The caller holds the project's lock and has checked it is the user's. */
  async apply(userId: string, project: Pick<ProjectDto, 'id'>, input: PeerApplyRequest): Promise<PeerApplyResultDto> {
    const projectId = project.id;
    // What was sent is checked before the project is read (a refusal costs no scan).
    refuseBadManifest(input.files ?? input.changes?.put ?? []);
    const put = input.conversations?.put ?? [];
    const remove = input.conversations?.delete ?? [];
    await this.deps.conversations.assertReplaceable(projectId, [...put.map((item) => item.id), ...remove]);

    await this.finishPending(projectId);
    const current = await this.deps.state.current(userId, project);
    if (current.stateId !== input.expectedStateId) throw changedMeanwhile(current.stateId);
    const currentFiles = await current.files();
    let files: readonly SyncManifestEntry[];
    if (input.files) files = input.files;
    else {
      // Equal stateIds: the files the caller read with it, so the difference makes the same target.
      files = withChanges(currentFiles, input.changes!);
      refuseBadManifest(files);
    }
    await this.checkBlobs(userId, currentFiles, files);
    const changedFiles = countChanges(currentFiles, files);
    const conversationsChange = put.length + remove.length > 0;
    if (changedFiles === 0 && !conversationsChange)
      return { stateId: current.stateId, beforeSnapshotId: null, written: 0, deleted: 0 };

    let result: PeerApplyResultDto;
    if (changedFiles > 0) {
      // The project's own .git/ (and .berth/) stay as they are: the exact apply keeps them.
      const target = withOutsideSync(files, await current.outsideSync());
      // As a restore does: the volume is written through the running workspace's agent.
      await this.deps.workspaces.ensureRunning(projectId);
      const before = await this.deps.snapshots.take(projectId, 'sync', input.label);
      // A save between the state read and this snapshot: the plan no longer holds (nothing written).
      const beforeFiles = await this.deps.state.syncedFiles(before.snapshot.id);
      if (beforeFiles.filesId !== (await this.deps.state.syncedFiles(current.snapshotId)).filesId)
        throw changedMeanwhile(current.stateId);
      const only = changedPaths(currentFiles, files);
      const snapshot = await this.deps.store.create(
        { projectId, reason: 'sync', label: null, files: target, skipped: [], newBytes: 0, changedFiles },
        async (tx, snapshotId) => {
          await tx.syncApply.create({
            data: { projectId, targetSnapshotId: snapshotId, beforeSnapshotId: before.snapshot.id, status: 'applying' },
          });
          await this.deps.conversations.replaceWithIds(tx, projectId, put, remove);
        },
      );
      // Only the paths the plan changes: a file saved meanwhile elsewhere stays as it is.
      const { written, deleted } = await this.deps.snapshots.applySnapshot(projectId, snapshot.id, {
        ...LEAVE_OUTSIDE,
        only,
      });
      await this.markDone(projectId, snapshot.id);
      result = {
        stateId: await this.stateIdAfter(userId, projectId, snapshot.id),
        beforeSnapshotId: before.snapshot.id,
        written,
        deleted,
      };
    } else {
      await this.deps.prisma.$transaction((tx) => this.deps.conversations.replaceWithIds(tx, projectId, put, remove), {
        timeout: 60_000,
        maxWait: 10_000,
      });
      result = {
        stateId: await this.stateIdAfter(userId, projectId, current.snapshotId),
        beforeSnapshotId: null,
        written: 0,
        deleted: 0,
      };
    }
    if (conversationsChange) this.deps.conversations.announceChanges(projectId);
    return result;
  }

  /**
   * Every blob of the target must be the user's, with the size its content has. Entries the
   * project holds now (same hash and size) are its own already: only the others are looked up.
   */
  private async checkBlobs(
    userId: string,
    currentFiles: readonly SyncManifestEntry[],
    files: readonly SyncManifestEntry[],
  ): Promise<void> {
    const known = new Map(currentFiles.map((file) => [file.sha256, file.size]));
    const others = files.filter((file) => known.get(file.sha256) !== file.size);
    if (others.length === 0) return;
    const held = await this.deps.scope.held(
      userId,
      others.map((file) => file.sha256),
    );
    const missing = [...new Set(others.map((file) => file.sha256))].filter((hash) => !held.has(hash));
    if (missing.length > 0)
      throw new DomainError(
        'bad_request',
        'blob_not_available',
        `Blob ${missing[0]} is not among this account's files; upload it first (${missing.length} missing)`,
        { missing: missing.slice(0, 100) },
      );
    const wrongSize = others.find((file) => held.get(file.sha256) !== file.size);
    if (wrongSize)
      throw new DomainError(
        'bad_request',
        'bad_manifest',
        `${wrongSize.path} is listed as ${wrongSize.size} bytes, but its content is ${held.get(wrongSize.sha256)}`,
      );
  }

  /**
   * Finishes the project's apply that was left `applying`: the paths it named (its before
   * snapshot → its target) are written or deleted as the target has them, a labelled snapshot
   * first (edits made since the interruption are kept there); other paths stay as they are.
   * Without its before snapshot (gone) the volume is made equal to the target, as before. Older
   * rows are superseded by the newest. The caller holds the project's lock.
   */
  async finishPending(projectId: string): Promise<boolean> {
    const rows = await this.deps.prisma.syncApply.findMany({
      where: { projectId, status: 'applying' },
      orderBy: { createdAt: 'desc' },
      select: { id: true, targetSnapshotId: true, beforeSnapshotId: true },
    });
    const newest = rows[0];
    if (!newest) return false;
    await this.deps.workspaces.ensureRunning(projectId);
    const only = await this.namedPaths(projectId, newest.beforeSnapshotId, newest.targetSnapshotId);
    await this.deps.snapshots.take(projectId, 'sync', FINISH_LABEL);
    await this.deps.snapshots.applySnapshot(projectId, newest.targetSnapshotId, {
      ...LEAVE_OUTSIDE,
      ...(only ? { only } : {}),
    });
    await this.deps.prisma.syncApply.updateMany({
      where: { id: { in: rows.map((row) => row.id) } },
      data: { status: 'done' },
    });
    return true;
  }

  /** The paths an apply changes: its before snapshot's synced files → its target's; null when the before is gone. */
  private async namedPaths(
    projectId: string,
    beforeSnapshotId: string | null,
    targetSnapshotId: string,
  ): Promise<Set<string> | null> {
    if (!beforeSnapshotId) return null;
    const exists = await this.deps.prisma.snapshot.count({ where: { id: beforeSnapshotId, projectId } });
    if (exists === 0) return null;
    const before = await this.deps.state.syncedFiles(beforeSnapshotId);
    const target = await this.deps.state.syncedFiles(targetSnapshotId);
    return changedPaths(before.files, target.files);
  }

  /** Forgets finished applies older than `olderThanMs` (their rows pile up; the snapshots stay). */
  async dropFinished(olderThanMs = FINISHED_KEPT_MS): Promise<number> {
    const { count } = await this.deps.prisma.syncApply.deleteMany({
      where: { status: 'done', createdAt: { lt: new Date(Date.now() - olderThanMs) } },
    });
    return count;
  }

  /** Projects with an apply left `applying` (start-up finishes them). */
  async pendingProjects(): Promise<string[]> {
    const rows = await this.deps.prisma.syncApply.findMany({
      where: { status: 'applying' },
      distinct: ['projectId'],
      select: { projectId: true },
    });
    return rows.map((row) => row.projectId);
  }

  private async markDone(projectId: string, targetSnapshotId: string): Promise<void> {
    await this.deps.prisma.syncApply.updateMany({
      where: { projectId, targetSnapshotId, status: 'applying' },
      data: { status: 'done' },
    });
  }

  /** The state the project is in now: the snapshot applied, with the conversations as they are. */
  private async stateIdAfter(userId: string, projectId: string, snapshotId: string | null): Promise<string> {
    const conversations: PeerConversationRef[] = await this.deps.state.conversationRefs(userId, projectId);
    return this.deps.state.stateIdOf(snapshotId, conversations);
  }
}

/** 400 bad_manifest at the first entry manifest-checks refuses. */
function refuseBadManifest(files: readonly SyncManifestEntry[]): void {
  try {
    checkRemoteManifest(files);
  } catch (error) {
    if (error instanceof ManifestRefusedError) throw new DomainError('bad_request', 'bad_manifest', error.message);
    throw error;
  }
}

/** `files` with `changes.put` written over (by path) and `changes.delete` removed. */
export function withChanges(files: readonly SyncManifestEntry[], changes: PeerApplyChanges): SyncManifestEntry[] {
  const target = new Map(files.map((entry) => [entry.path, entry]));
  for (const path of changes.delete) target.delete(path);
  for (const entry of changes.put) target.set(entry.path, entry);
  return [...target.values()];
}

/**
 * The target with the project's outside-sync entries added back. A target file where one of
 * them needs a folder (a file "vendor" over "vendor/.git/…") is refused: writing it would
 * delete that .git.
 */
export function withOutsideSync(
  files: readonly SyncManifestEntry[],
  outside: readonly SyncManifestEntry[],
): SyncManifestEntry[] {
  if (outside.length === 0) return [...files];
  const paths = new Set(files.map((entry) => entry.path));
  for (const entry of outside)
    for (let slash = entry.path.indexOf('/'); slash !== -1; slash = entry.path.indexOf('/', slash + 1)) {
      const folder = entry.path.slice(0, slash);
      if (paths.has(folder))
        throw new DomainError(
          'bad_request',
          'bad_manifest',
          `${folder} would become a file, but it holds ${entry.path}, which a sync never deletes`,
        );
    }
  return [...files, ...outside];
}

function changedMeanwhile(stateId: string): DomainError {
  return new DomainError('conflict', 'changed_meanwhile', new ChangedMeanwhileError().message, { stateId });
}

/** The paths added, changed (content or mode) or removed between two manifests. */
export function changedPaths(current: readonly SyncManifestEntry[], wanted: readonly SyncManifestEntry[]): Set<string> {
  const before = new Map(current.map((entry) => [entry.path, entry]));
  const paths = new Set<string>();
  for (const entry of wanted) {
    const old = before.get(entry.path);
    if (!old || old.sha256 !== entry.sha256 || old.mode !== entry.mode) paths.add(entry.path);
    before.delete(entry.path);
  }
  for (const path of before.keys()) paths.add(path);
  return paths;
}

/** Paths added, changed (content or mode) or removed between two manifests. */
export function countChanges(current: readonly SyncManifestEntry[], wanted: readonly SyncManifestEntry[]): number {
  const before = new Map(current.map((entry) => [entry.path, entry]));
  let changes = 0;
  for (const entry of wanted) {
    const old = before.get(entry.path);
    if (!old || old.sha256 !== entry.sha256 || old.mode !== entry.mode) changes++;
    before.delete(entry.path);
  }
  return changes + before.size;
}
