// Small formatters for the History panel and the status bar.
import type { SnapshotDto } from '@/server/contracts';

export { formatBytes } from '@/server/contracts';

const reasonLabel: Record<SnapshotDto['reason'], string> = {
  auto: 'Automatic',
  manual: 'Manual snapshot',
  stop: 'Before stop',
  safety: 'Safety (before a restore)',
  import: 'Imported',
  duplicate: 'Duplicated',
};

export const snapshotTitle = (snapshot: SnapshotDto): string => snapshot.label ?? reasonLabel[snapshot.reason];

export const absoluteTime = (iso: string): string => new Date(iso).toLocaleString();

export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
