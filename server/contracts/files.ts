// Files on the wire: paths are relative to the workspace root (/workspace), '' is the root,
// '/' separates segments. Shared by the agent (inside the container), the server and the
// browser. A file's `version` is an opaque string that changes whenever its content does;
// every write names the version it was based on, and a stale write is refused (conflict).
import { z } from 'zod';
import { projectIdSchema } from './ids';

export const MAX_PATH_LENGTH = 1024;

/** Syntactic rules only; the agent also resolves symlinks and refuses escapes. */
export const relativePathSchema = z
  .string()
  .max(MAX_PATH_LENGTH, `Paths are at most ${MAX_PATH_LENGTH} characters`)
  .refine((value) => !value.includes('\0'), 'Paths must not contain NUL bytes')
  .refine((value) => !value.startsWith('/'), 'Paths are relative to the project root')
  .refine((value) => !value.split('/').some((segment) => segment === '..'), 'Paths must not contain ".."');

export type FileKind = 'file' | 'dir' | 'symlink' | 'other';

export interface FileEntry {
  name: string;
  path: string;
  kind: FileKind;
  size: number;
  mtimeMs: number;
  /** Files only. */
  version?: string;
  /** Heavy folders (node_modules, .git): listed, but not watched or expanded by default. */
  heavy?: boolean;
}

export type FileChangeType = 'created' | 'changed' | 'deleted';
export interface FileChange {
  type: FileChangeType;
  path: string;
  kind: FileKind;
  version?: string;
}

/** The holder name of the files an assistant turn is writing (the editor says "Assistant is editing"). */
export const ASSISTANT_LOCK_HOLDER = 'Assistant';

export interface FileLockDto {
  path: string;
  /** Who holds it, for the marker ("assistant", a user's name…). */
  holder: string;
  expiresAt: string;
}

export interface ReadResult {
  path: string;
  version: string;
  size: number;
  /** utf8 text, or null for binary files (fetch those over REST). */
  content: string | null;
  binary: boolean;
  /** Above the editable size: open read-only. */
  readOnly: boolean;
}

const projectId = projectIdSchema;
export const fsListSchema = z.object({ projectId, path: relativePathSchema });
export const fsReadSchema = z.object({
  projectId,
  path: relativePathSchema.refine((value) => value !== '', 'A file path is required'),
});
export const fsWriteSchema = z.object({
  projectId,
  path: relativePathSchema.refine((value) => value !== '', 'A file path is required'),
  content: z.string(),
  /** The version the edit was based on; null = the file must not exist yet. */
  baseVersion: z.string().max(128).nullable(),
});
export const fsCreateSchema = z.object({
  projectId,
  path: relativePathSchema.refine((value) => value !== '', 'A path is required'),
  kind: z.enum(['file', 'dir']),
});
export const fsMoveSchema = z.object({ projectId, from: relativePathSchema, to: relativePathSchema });
export const fsDeleteSchema = z.object({
  projectId,
  path: relativePathSchema.refine((value) => value !== '', 'Refusing to delete the project root'),
});
export const fsLockSchema = z.object({
  projectId,
  path: relativePathSchema,
  ttlSeconds: z.number().int().min(1).max(3600),
});
export const fsUnlockSchema = z.object({ projectId, path: relativePathSchema });
export const fsWatchSchema = z.object({ projectId, path: relativePathSchema });

export const moveBodySchema = z.object({ from: relativePathSchema, to: relativePathSchema });
export const mkdirBodySchema = z.object({
  path: relativePathSchema.refine((value) => value !== '', 'A path is required'),
});
