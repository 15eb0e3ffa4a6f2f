// A plain folder as one side of a sync (docs/adr-hybrid-sync.md): its state is a scan (the
// snapshot's ignore rules, hashes cached in .berth/), blobs it receives are kept in
// .berth/objects/ (which also keeps the base's contents for merges), and an apply is journalled
// (apply-journal.ts) so it finishes even after a crash. A folder holds no conversations; instead of
// a snapshot, an apply first writes a backup (folder-backups.ts: the files it overwrites or
// deletes, their contents kept in objects/) whose id it returns, so `berth undo` can put them back.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  PeerApplyInput,
  PeerApplyResultDto,
  PeerConversation,
  PeerStateDto,
  SyncManifestEntry,
} from '../contracts/sync';
import type { TemplateId } from '../contracts/projects';
import { checkRemoteManifest, isSymlinkMode } from '../sync/core/manifest-checks';
import { ChangedMeanwhileError, type BlobContent, type PeerStateAnswer, type SyncPeer } from '../sync/core/sync-peer';
import {
  checkWritable,
  finishJournal,
  insideRoot,
  runJournal,
  stagePath,
  writeJournal,
  type ApplyJournal,
} from './apply-journal';
import { FolderBackups, type BackupFile } from './folder-backups';
import type { FolderLayout } from './folder-layout';
import { scanFolder, type FileIdentity, type SkippedPath } from './folder-scan';
import { readBaseFile } from './folder-state';
import { HashCacheFile } from './hash-cache-file';
import { ObjectStore } from './object-store';

export interface FolderPeerOptions {
  layout: FolderLayout;
  /** How the folder is named in the other side's labels ("laptop:~/code/app"). */
  name: string;
  project: { id: string; name: string; template: TemplateId };
  maxFileBytes?: number;
  /** Called before a file's content is hashed (tests count cache misses). */
  onRead?(relative: string): void;
  /** Told what a reader should know (a step of an interrupted apply that could not be finished). */
  onNote?(note: string): void;
  /** Only looks (berth status): an unfinished apply is left to the command that holds the folder. */
  readOnly?: boolean;
  /** Called once an apply's backup and journal are written, before its steps run (a test throws here: a crash). */
  onJournalWritten?(): void;
  /** Whether the folder's file system folds case (README.md and Readme.md are one file); default: probed once in .berth/. */
  caseInsensitive?: () => Promise<boolean>;
}

/** An apply that left paths as they are: changed meanwhile (the user's version kept) or unable to coexist here. */
export class HeldPathsError extends Error {
  readonly code = 'held_paths';
  constructor(
    readonly held: readonly string[],
    readonly problems: readonly string[],
  ) {
    const parts = [
      ...(held.length > 0
        ? [
            `left as they are here (changed during the sync, a file the scan left out, or names differing only in case): ${held.slice(0, 5).join(', ')}${held.length > 5 ? ` and ${held.length - 5} more` : ''}`,
          ]
        : []),
      ...(problems.length > 0 ? [`could not apply: ${problems.slice(0, 3).join('; ')}`] : []),
    ];
    super(`Not every change could be applied here — ${parts.join('; ')}. Sync again to compare them`);
  }
}

/** Whether the file system under `state` folds case: a probe file written in lower case, looked up in upper case. */
export async function probeCaseInsensitive(state: string): Promise<boolean> {
  await mkdir(state, { recursive: true });
  const probe = path.join(state, 'case-probe');
  await writeFile(probe, '');
  try {
    return (await lstat(path.join(state, 'CASE-PROBE')).catch(() => undefined)) !== undefined;
  } finally {
    await rm(probe, { force: true });
  }
}

/** The name two paths share on a case-folding, normalising file system. */
const foldedName = (relative: string) => relative.normalize('NFC').toLowerCase();

/** What an apply's backup says about it (see folder-backups.ts). */
export interface ApplyBackupOptions {
  kind: 'sync' | 'undo';
  undoes?: string;
  /** The base entries to record per path; default: .berth/base.json as it is now. */
  base?: ReadonlyMap<string, SyncManifestEntry>;
}

export interface FolderState {
  stateId: string;
  files: SyncManifestEntry[];
  skipped: SkippedPath[];
  /** The files holding each content. */
  byHash: Map<string, SyncManifestEntry[]>;
  identities: Map<string, FileIdentity>;
}

const sha256Hex = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Names a folder's exact content: the same manifest always gives the same id. */
export function folderStateId(files: readonly SyncManifestEntry[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const hash = createHash('sha256');
  for (const { path: p, mode, size, sha256 } of sorted) hash.update(`${p}\0${mode}\0${size}\0${sha256}\n`);
  return hash.digest('hex');
}

export class FolderPeer implements SyncPeer {
  readonly name: string;
  readonly conversationsSupported = false;
  readonly objects: ObjectStore;
  readonly backups: FolderBackups;
  private cache: HashCacheFile | undefined;
  private root: string | undefined;
  private last: FolderState | undefined;
  private folds: Promise<boolean> | undefined;

  constructor(private readonly options: FolderPeerOptions) {
    this.name = options.name;
    this.objects = new ObjectStore(options.layout.objects);
    this.backups = new FolderBackups(options.layout);
  }

  /** What the last scan left out and why (too large, a name a sync refuses…). */
  get skipped(): readonly SkippedPath[] {
    return this.last?.skipped ?? [];
  }

  private get layout(): FolderLayout {
    return this.options.layout;
  }

  /** The folder as it is now; an apply an earlier run left unfinished is finished first. */
  async scan(): Promise<FolderState> {
    if (!this.options.readOnly)
      await finishJournal(this.layout, (problem) => this.options.onNote?.(`an interrupted apply could not ${problem}`));
    this.root ??= await realpath(this.layout.root);
    this.cache ??= await HashCacheFile.load(this.layout.hashes);
    await mkdir(this.layout.state, { recursive: true });
    const { files, skipped, identities } = await scanFolder({
      root: this.root,
      cache: this.cache,
      maxFileBytes: this.options.maxFileBytes,
      onRead: this.options.onRead,
    });
    const byHash = new Map<string, SyncManifestEntry[]>();
    for (const entry of files) byHash.set(entry.sha256, [...(byHash.get(entry.sha256) ?? []), entry]);
    this.last = { stateId: folderStateId(files), files, skipped, byHash, identities };
    return this.last;
  }

  async state(options: { known?: string } = {}): Promise<PeerStateAnswer> {
    const { stateId, files } = await this.scan();
    if (options.known !== undefined && options.known === stateId) return { unchanged: true, stateId };
    const state: PeerStateDto = { project: this.options.project, stateId, files, conversations: [] };
    return state;
  }

  async missing(hashes: string[]): Promise<string[]> {
    const current = this.last ?? (await this.scan());
    const missing: string[] = [];
    for (const hash of new Set(hashes))
      if (!current.byHash.has(hash) && !(await this.objects.has(hash))) missing.push(hash);
    return missing;
  }

  async putBlobs(
    blobs: AsyncIterable<BlobContent>,
    onBytes?: (bytes: number) => void,
  ): Promise<{ stored: number; bytes: number }> {
    let stored = 0;
    let bytes = 0;
    for await (const blob of blobs) {
      // ObjectStore.put checks the content against its hash (a mismatch refuses the rest).
      await this.objects.put(blob.sha256, blob.content);
      stored++;
      bytes += blob.content.length;
      onBytes?.(blob.content.length);
    }
    return { stored, bytes };
  }

  async *readBlobs(hashes: string[], onBytes?: (bytes: number) => void): AsyncGenerator<BlobContent> {
    for (const hash of new Set(hashes)) {
      const content = await this.content(hash);
      if (!content) throw new Error(`${this.name} no longer holds the content ${hash} (a file changed meanwhile?)`);
      onBytes?.(content.length);
      yield { sha256: hash, content };
    }
  }

  /**
   * Of these paths (absent from the last scan), those something stands at on disk all the same
   * (ignored, too large, unreadable, a folder): a sync must neither delete their copies elsewhere
   * nor write over them here. Looked at with lstat, never through a symlink at the end; a path
   * that cannot be inside the folder is not there.
   */
  async present(paths: string[]): Promise<string[]> {
    this.root ??= await realpath(this.layout.root);
    const found: string[] = [];
    for (const relative of new Set(paths)) {
      let absolute: string;
      try {
        absolute = insideRoot(this.root, relative);
      } catch {
        continue;
      }
      const stats = await lstat(absolute).catch((error: NodeJS.ErrnoException) =>
        // Unreadable on the way (EACCES) is not proof of absence: count it as there.
        error.code === 'ENOENT' || error.code === 'ENOTDIR' ? undefined : error,
      );
      if (stats) found.push(relative);
    }
    return found;
  }

  /** Whether this folder's file system folds case (probed once). */
  private foldsCase(): Promise<boolean> {
    this.folds ??= (this.options.caseInsensitive ?? (() => probeCaseInsensitive(this.layout.state)))();
    return this.folds;
  }

  async conversations(): Promise<PeerConversation[]> {
    return [];
  }

  /** A sync's apply: its backup is labelled with the input's label ("before sync with …"). */
  async apply(input: PeerApplyInput): Promise<PeerApplyResultDto> {
    return this.applyWithBackup(input, { kind: 'sync' });
  }

  /**
   * Makes the folder hold exactly `input.files`: checked, staged, a backup of what it replaces
   * written, then journalled and run. Returns the backup's id as beforeSnapshotId (null when
   * nothing changed).
   */
  async applyWithBackup(input: PeerApplyInput, backup: ApplyBackupOptions): Promise<PeerApplyResultDto> {
    if (this.options.readOnly) throw new Error('This folder was opened only to look');
    const current = await this.scan();
    if (current.stateId !== input.expectedStateId) throw new ChangedMeanwhileError();
    if (input.conversations && (input.conversations.put.length > 0 || input.conversations.delete.length > 0))
      throw new Error('A folder holds no conversations');
    checkRemoteManifest(input.files);
    const before = new Map(current.files.map((entry) => [entry.path, entry]));
    const target = new Map(input.files.map((entry) => [entry.path, entry]));
    // On a case-folding file system, names of the target that fold to one file (each other, or a
    // file here under another case that stays) are not written: one would overwrite the other and
    // the next scan would read the lost one as deleted. They are held, for the user to rename.
    const collisions = new Set<string>();
    if (await this.foldsCase()) {
      const byName = new Map<string, string[]>();
      for (const relative of new Set([...target.keys(), ...current.files.map((entry) => entry.path)])) {
        if (!target.has(relative) && !before.has(relative)) continue;
        const name = foldedName(relative);
        byName.set(name, [...(byName.get(name) ?? []), relative]);
      }
      for (const group of byName.values()) {
        // A file here under another case that the target drops is deleted first: a rename, no collision.
        const kept = group.filter((relative) => target.has(relative));
        if (kept.length > 1) for (const relative of kept) collisions.add(relative);
      }
    }
    const deletes = current.files
      .filter((entry) => !target.has(entry.path))
      .map((entry) => entry.path)
      .filter((relative) => !collisions.has(relative));
    const writes = input.files.filter((entry) => {
      if (collisions.has(entry.path)) return false;
      const old = before.get(entry.path);
      return !old || old.sha256 !== entry.sha256 || old.mode !== entry.mode;
    });
    await checkWritable(
      this.root!,
      writes.map((entry) => entry.path),
      new Set(deletes),
    );

    // Every new content staged first; nothing in the folder has changed yet.
    await rm(this.layout.incoming, { recursive: true, force: true });
    await mkdir(this.layout.incoming, { recursive: true });
    const identities: Record<string, FileIdentity | null> = {};
    for (const relative of [...deletes, ...writes.map((entry) => entry.path)])
      identities[relative] = current.identities.get(relative) ?? null;
    const journal: ApplyJournal = {
      version: 1,
      stateId: folderStateId(input.files),
      deletes,
      writes: [],
      identities,
    };
    for (const [index, entry] of writes.entries()) {
      const content = await this.content(entry.sha256);
      if (!content) throw new Error(`The content of ${entry.path} (${entry.sha256}) was never received`);
      if (content.length !== entry.size) throw new Error(`${entry.path}: ${content.length} bytes, not ${entry.size}`);
      const stage = `w-${index}`;
      await this.stage(stagePath(this.layout, stage), entry, content);
      journal.writes.push({ path: entry.path, stage });
    }
    const backupId =
      writes.length + deletes.length === 0
        ? null
        : await this.writeBackup(input.label, backup, [
            ...writes.map((entry) => ({ path: entry.path, before: before.get(entry.path) ?? null, after: entry })),
            ...deletes.map((relative) => ({ path: relative, before: before.get(relative)!, after: null })),
          ]);
    await writeJournal(this.layout, journal);
    this.options.onJournalWritten?.();
    const { problems, held } = await runJournal(this.layout, journal);
    for (const entry of writes) {
      if (isSymlinkMode(entry.mode)) continue;
      const stats = await lstat(path.join(this.root!, entry.path), { bigint: true }).catch(() => undefined);
      if (stats?.isFile() && stats.size === BigInt(entry.size)) this.cache?.prime(entry.path, stats, entry.sha256);
    }
    // Something changed under the apply (a race) or cannot be here: the folder is whole, and the
    // sync fails (the base stays), so the next sync compares these paths again, never reading them as deleted.
    if (problems.length > 0 || held.length > 0 || collisions.size > 0)
      throw new HeldPathsError([...[...collisions].sort(), ...held], problems);
    return { stateId: journal.stateId, beforeSnapshotId: backupId, written: writes.length, deleted: deletes.length };
  }

  /** Keeps every content the apply replaces or deletes, then the record naming them; its id. */
  private async writeBackup(
    label: string,
    options: ApplyBackupOptions,
    files: Omit<BackupFile, 'base'>[],
  ): Promise<string> {
    for (const { path: relative, before } of files) {
      if (!before || (await this.objects.has(before.sha256))) continue;
      const content = await this.content(before.sha256);
      // Changed since the scan that started this apply: nothing is changed yet, plan again.
      if (!content) throw new ChangedMeanwhileError(`${relative} changed during the sync`);
      await this.objects.put(before.sha256, content);
    }
    const base =
      options.base ??
      new Map(((await readBaseFile(this.layout))?.base.files ?? []).map((entry) => [entry.path, entry]));
    const now = new Date();
    return this.backups.write(
      {
        label,
        createdAt: now.toISOString(),
        kind: options.kind,
        ...(options.undoes ? { undoes: options.undoes } : {}),
        files: files.map((file) => ({ ...file, base: base.get(file.path) ?? null })),
      },
      now,
    );
  }

  /** Makes sure objects/ holds every content of `files` (read from the folder where it is not there yet). */
  async keepContents(files: readonly SyncManifestEntry[]): Promise<void> {
    for (const entry of files) {
      if (await this.objects.has(entry.sha256)) continue;
      const content = await this.content(entry.sha256);
      if (content) await this.objects.put(entry.sha256, content);
    }
  }

  /** A content by hash: from objects/, else from a file that held it at the last scan (checked again). */
  private async content(hash: string): Promise<Buffer | undefined> {
    const stored = await this.objects.get(hash);
    if (stored) return stored;
    for (const entry of this.last?.byHash.get(hash) ?? []) {
      const content = await readEntry(path.join(this.root!, entry.path), entry).catch(() => undefined);
      if (content && sha256Hex(content) === hash) return content;
    }
    return undefined;
  }

  private async stage(file: string, entry: SyncManifestEntry, content: Buffer): Promise<void> {
    if (isSymlinkMode(entry.mode)) {
      await symlink(content, file);
      return;
    }
    const handle = await open(file, 'wx', entry.mode & 0o777);
    try {
      await handle.writeFile(content);
      await handle.chmod(entry.mode & 0o777);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** A file's bytes (never through a symlink) or a symlink's target. */
async function readEntry(absolute: string, entry: SyncManifestEntry): Promise<Buffer> {
  if (isSymlinkMode(entry.mode)) {
    if (!(await lstat(absolute)).isSymbolicLink()) throw new Error('no longer a symlink');
    return readlink(absolute, { encoding: 'buffer' });
  }
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
