// Small formatters for the History panel and the status bar.
import type { SkippedFile, SkipReason, SnapshotDto } from '@/server/contracts';

export { formatBytes } from '@/server/contracts';

const reasonLabel: Record<SnapshotDto['reason'], string> = {
  auto: 'Automatic',
  manual: 'Manual snapshot',
  stop: 'Before stop',
  safety: 'Safety (before a restore)',
  import: 'Imported',
  duplicate: 'Duplicated',
  sync: 'Sync',
};

export const snapshotTitle = (snapshot: SnapshotDto): string => snapshot.label ?? reasonLabel[snapshot.reason];

export const absoluteTime = (iso: string): string => new Date(iso).toLocaleString();

export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Why a file is not in a snapshot, in words (one per SkipReason: a new reason fails the type check). */
export const skipReasonLabel: Record<SkipReason, string> = {
  too_large: 'too large',
  unreadable: 'unreadable',
  path_too_long: 'path longer than 1,024 characters',
  not_utf8: 'name is not valid UTF-8',
};

/** One line per skipped file: 'path (reason)'. */
export const skippedLines = (skipped: readonly SkippedFile[]): string =>
  skipped.map((file) => `${file.path} (${skipReasonLabel[file.reason]})`).join('\n');
