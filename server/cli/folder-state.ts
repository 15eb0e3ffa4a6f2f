// The folder's config.json and base.json (see folder-layout.ts), read with zod: a hand-edited or
// truncated file is reported as such, not half-trusted.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { syncManifestSchema } from '../contracts/sync';
import type { SyncBase } from '../sync/core/run-sync';
import { writeFileAtomic, writeJsonAtomic } from './atomic-file';
import type { FolderLayout } from './folder-layout';

const folderConfigSchema = z.object({
  url: z.string().url(),
  projectId: z.string().min(1),
  projectName: z.string(),
});
export type FolderConfig = z.infer<typeof folderConfigSchema>;

const baseFileSchema = z.object({
  base: z.object({
    files: syncManifestSchema,
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
