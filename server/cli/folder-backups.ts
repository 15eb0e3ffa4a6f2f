// The folder's "before sync with …" backups (.berth/backups/<id>.json): what a Berth does with a
// snapshot, a plain folder does with a record of each file an apply changes — its entry before
// (null: the apply created it) and after (null: the apply deleted it) — and the before contents
// kept in .berth/objects/. A record is written before the apply's journal, so a crash mid-apply
// still leaves it. `berth undo` puts the before entries back (undo-folder.ts). The last
// BACKUPS_KEPT records are kept; objects only they or the base name are pruned with them.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { syncManifestEntrySchema, type SyncManifestEntry } from '../contracts/sync';
import { writeJsonAtomic } from './atomic-file';
import { TEMP_PREFIX, type FolderLayout } from './folder-layout';

export const BACKUPS_KEPT = 10;
/** `2026-12-06T20-52-00-123Z`, with `-2`… when two land in the same millisecond. */
const BACKUP_ID = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{3}Z(-[0-9]+)?$/;

const backupFileSchema = z.object({
  path: z.string().min(1),
  before: syncManifestEntrySchema.nullable(),
  after: syncManifestEntrySchema.nullable(),
  /** The base's entry when the apply ran (null: none): an undo puts it back, so the next sync compares as before. */
  base: syncManifestEntrySchema.nullable().optional(),
});
export type BackupFile = z.infer<typeof backupFileSchema>;

const backupSchema = z.object({
  label: z.string(),
  createdAt: z.string(),
  /** A sync's apply, or an undo's own (which `berth undo` without an id skips). */
  kind: z.enum(['sync', 'undo']).default('sync'),
  /** For an undo: the backup it undid. */
  undoes: z.string().optional(),
  files: z.array(backupFileSchema),
});
export type Backup = z.infer<typeof backupSchema>;
export type BackupInput = z.input<typeof backupSchema>;

export interface StoredBackup {
  id: string;
  backup: Backup;
}

export function isBackupId(value: string): boolean {
  return BACKUP_ID.test(value);
}

function idFor(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Oldest first: ids sort by time; a same-millisecond `-N` after its plain id. */
function compareIds(a: string, b: string): number {
  const [aTime = '', aN = '1'] = a.split(/Z-?/);
  const [bTime = '', bN = '1'] = b.split(/Z-?/);
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return Number(aN || '1') - Number(bN || '1');
}

export class FolderBackups {
  constructor(private readonly layout: FolderLayout) {}

  private get dir(): string {
    return this.layout.backups;
  }

  private fileOf(id: string): string {
    if (!isBackupId(id)) throw new Error(`Not a backup id: ${id} (berth undo --list shows them)`);
    return path.join(this.dir, `${id}.json`);
  }

  /** Every backup's id, oldest first. */
  async ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names
      .filter((name) => name.endsWith('.json') && isBackupId(name.slice(0, -5)))
      .map((name) => name.slice(0, -5))
      .sort(compareIds);
  }

  async read(id: string): Promise<Backup | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`Backup ${id} is not valid JSON`);
    }
    const parsed = backupSchema.safeParse(value);
    if (!parsed.success) throw new Error(`Backup ${id} is damaged: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  /** Every backup that can be read, oldest first (a damaged one is left out). */
  async list(): Promise<StoredBackup[]> {
    const backups: StoredBackup[] = [];
    for (const id of await this.ids()) {
      const backup = await this.read(id).catch(() => undefined);
      if (backup) backups.push({ id, backup });
    }
    return backups;
  }

  /** Writes a new backup (whole or not at all) and drops the oldest beyond BACKUPS_KEPT; its id. */
  async write(input: BackupInput, now = new Date()): Promise<string> {
    const backup = backupSchema.parse(input);
    const base = idFor(now);
    await mkdir(this.dir, { recursive: true });
    let id = base;
    for (let n = 2; await exists(this.fileOf(id)); n++) id = `${base}-${n}`;
    await writeJsonAtomic(this.fileOf(id), backup);
    const ids = await this.ids();
    for (const old of ids.slice(0, Math.max(0, ids.length - BACKUPS_KEPT))) await rm(this.fileOf(old), { force: true });
    // Half-written records a crash left.
    for (const name of await readdir(this.dir))
      if (name.startsWith(TEMP_PREFIX)) await rm(path.join(this.dir, name), { force: true });
    return id;
  }

  /** The contents the backups need to put files back (their before entries'). */
  async neededContents(): Promise<Set<string>> {
    const hashes = new Set<string>();
    for (const { backup } of await this.list())
      for (const file of backup.files) if (file.before) hashes.add(file.before.sha256);
    return hashes;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The objects to keep after a sync or an undo: the base's contents and what the backups need. */
export async function contentsInUse(
  layout: FolderLayout,
  baseFiles: readonly SyncManifestEntry[],
): Promise<Set<string>> {
  const keep = await new FolderBackups(layout).neededContents();
  for (const entry of baseFiles) keep.add(entry.sha256);
  return keep;
}
