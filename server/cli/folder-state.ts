// The folder's config.json and base.json (see folder-layout.ts), read with zod: a hand-edited or
// truncated file is reported as such, not half-trusted. The base's file list (thousands of
// entries, read by every sync) is checked by a plain loop: the same rules as syncManifestSchema,
// a tenth of the time.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SYNC_MAX_MANIFEST_ENTRIES, type SyncManifestEntry } from '../contracts/sync';
import type { SyncBase } from '../sync/core/run-sync';
import { writeFileAtomic, writeJsonAtomic } from './atomic-file';
import type { FolderLayout } from './folder-layout';

const folderConfigSchema = z.object({
  url: z.string().url(),
  projectId: z.string().min(1),
  projectName: z.string(),
});
export type FolderConfig = z.infer<typeof folderConfigSchema>;

const SHA256 = /^[0-9a-f]{64}$/;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** syncManifestSchema's rules, as a loop. */
export function isManifest(value: unknown): value is SyncManifestEntry[] {
  if (!Array.isArray(value) || value.length > SYNC_MAX_MANIFEST_ENTRIES) return false;
  return value.every((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return false;
    const { path, mode, size, sha256 } = entry as Record<string, unknown>;
    return (
      typeof path === 'string' &&
      path.length >= 1 &&
      path.length <= 1024 &&
      Number.isSafeInteger(mode) &&
      isCount(size) &&
      typeof sha256 === 'string' &&
      SHA256.test(sha256)
    );
  });
}

const baseFileSchema = z.object({
  base: z.object({
    files: z.custom<SyncManifestEntry[]>(isManifest, 'a list of files (path, mode, size, sha256)'),
    conversations: z.record(z.string(), z.string()),
    // What runSync's fast path compares (SyncBase); absent in a base.json from before it.
    localStateId: z.string().optional(),
    remoteStateId: z.string().optional(),
    clean: z.boolean().optional(),
  }),
  syncedAt: z.string(),
  localStateId: z.string(),
  remoteStateId: z.string(),
});
export type BaseFile = z.infer<typeof baseFileSchema>;

async function readJson<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON (${what})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${file} does not hold ${what}: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export async function readFolderConfig(layout: FolderLayout): Promise<FolderConfig | undefined> {
  return readJson(layout.config, folderConfigSchema, 'a Berth folder config');
}

export async function writeFolderConfig(layout: FolderLayout, config: FolderConfig): Promise<void> {
  await mkdir(layout.state, { recursive: true });
  // A folder that is also a git checkout must not commit Berth's state (objects, base).
  await writeFileAtomic(path.join(layout.state, '.gitignore'), '*\n');
  await writeJsonAtomic(layout.config, config);
}

export async function readBaseFile(layout: FolderLayout): Promise<BaseFile | undefined> {
  return readJson(layout.base, baseFileSchema, 'a sync base');
}

export async function writeBaseFile(
  layout: FolderLayout,
  base: SyncBase,
  ids: { localStateId: string; remoteStateId: string },
  syncedAt = new Date(),
): Promise<void> {
  const file: BaseFile = { base, syncedAt: syncedAt.toISOString(), ...ids };
  await writeJsonAtomic(layout.base, file);
}

/**
 * A sync that found nothing to do leaves base.json as it is (rewriting thousands of entries to
 * change one date is most of such a sync's writing) and notes only when it ran. Not atomic on
 * purpose: a torn note is ignored, and base.json's own date stands.
 */
export async function noteSyncedAt(layout: FolderLayout, at = new Date()): Promise<void> {
  await writeFile(layout.syncedAt, `${at.toISOString()}\n`);
}

/** When the folder last synced: base.json's date, or a later sync's that found nothing to do. */
export async function lastSyncedAt(layout: FolderLayout, baseFile: BaseFile | undefined): Promise<string | null> {
  if (!baseFile) return null;
  const noted = await readFile(layout.syncedAt, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  const later = Number.isNaN(Date.parse(noted)) ? undefined : new Date(noted).toISOString();
  return later !== undefined && later > baseFile.syncedAt ? later : baseFile.syncedAt;
}
