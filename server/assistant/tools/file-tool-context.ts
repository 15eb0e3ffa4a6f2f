// What every file tool works with: the user's own FileService calls, made as the turn's lock
// holder (so the turn's own locks let it write), confined to one project.
import { z } from 'zod';
import { relativePathSchema } from '../../contracts';
import type { Actor, FileService } from '../../files';

export interface FileToolContext {
  files: FileService;
  /** The user the turn runs for, writing as the turn's lock holder (`assistant:<turnId>`). */
  actor: Actor;
  projectId: string;
  /** The turn's stop: no tool starts a change after it. */
  signal: AbortSignal;
}

const describedPath = 'Path relative to the project root, "/"-separated (e.g. "src/App.jsx")';

/** A path inside the project, checked like the file API checks it ('' is the root). */
export const folderPathSchema = relativePathSchema.default('').describe(`${describedPath}; "" is the project root`);
export const filePathSchema = relativePathSchema
  .refine((value) => value.replace(/\/+$/, '') !== '', 'A file path is required')
  .describe(describedPath);

export const positiveLine = z.number().int().min(1);
