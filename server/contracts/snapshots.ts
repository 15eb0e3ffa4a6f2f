// Snapshots on the wire: a project's files at one moment, kept in PostgreSQL.
import { z } from 'zod';

export const SNAPSHOT_REASONS = ['auto', 'manual', 'stop', 'safety', 'import', 'duplicate', 'sync'] as const;
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number];

/**
 * Why a file (or a whole folder, size 0) is not in a snapshot: too_large (above
 * SNAPSHOT_MAX_FILE_MB), unreadable (permissions, I/O), path_too_long (over 1,024 characters),
 * not_utf8 (a name, or a symlink's target, that is not valid UTF-8: the path is shown with U+FFFD
 * for bad bytes).
 */
export const SKIP_REASONS = ['too_large', 'unreadable', 'path_too_long', 'not_utf8'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedFile {
  path: string;
  size: number;
  reason: SkipReason;
}

export interface SnapshotDto {
  id: string;
  projectId: string;
  createdAt: string;
  reason: SnapshotReason;
  /** Labelled snapshots are kept until deleted; unlabelled ones only the last N. */
  label: string | null;
  fileCount: number;
  totalBytes: number;
  /** Stored bytes this snapshot added (content no earlier snapshot of any project had). */
  newBytes: number;
  /** Files added, changed or removed since the snapshot before it. */
  changedFiles: number;
  skipped: SkippedFile[];
}

/** How a snapshot's file compares with the workspace now. */
export interface SnapshotDiffEntry {
  path: string;
  /** added: only in the workspace now · deleted: only in the snapshot · modified: both, different. */
  status: 'added' | 'deleted' | 'modified';
}

/** Pushed to the project's room while snapshots are taken (and when one fails). */
export interface SnapshotStatusDto {
  projectId: string;
  state: 'idle' | 'saving' | 'failed';
  lastSnapshotAt?: string;
  /** Set when state is 'failed': what went wrong; another attempt is scheduled. */
  error?: string;
  retryAt?: string;
  /** Set when state is 'failed': automatic snapshots failed this many times in a row. */
  failures?: number;
}

export const createSnapshotSchema = z.object({
  label: z
    .string()
    .trim()
    .min(1, 'Label must not be empty')
    .max(100, 'Label must be at most 100 characters')
    .optional(),
});

export const gitImportSchema = z.object({
  gitUrl: z.string().trim().min(1, 'gitUrl is required').max(2048),
  name: z.string().trim().min(1).max(64).optional(),
});

export const restoreSnapshotSchema = z.object({
  /** One file (or symlink) to restore; the whole project when absent. */
  path: z.string().min(1).max(1024).optional(),
});
