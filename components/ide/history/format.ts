// Small formatters for the History panel and the status bar.
import type { SnapshotDto } from '@/server/contracts';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

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
