import { describe, expect, it } from 'vitest';
import type { SnapshotDto } from '@/server/contracts';
import { formatBytes, plural, snapshotTitle } from './format';

const snapshot = (patch: Partial<SnapshotDto>): SnapshotDto => ({
  id: 's',
  projectId: 'p',
  createdAt: '2026-01-01T00:00:00Z',
  reason: 'auto',
  label: null,
  fileCount: 1,
  totalBytes: 1,
  newBytes: 1,
  changedFiles: 1,
  skipped: [],
  ...patch,
});

describe('History formatting', () => {
  it('sizes read like a file manager', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
  });
  it('a label wins over the reason', () => {
    expect(snapshotTitle(snapshot({ label: 'before refactor', reason: 'manual' }))).toBe('before refactor');
    expect(snapshotTitle(snapshot({ reason: 'safety' }))).toBe('Safety (before a restore)');
  });
  it('plurals', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2, 'file')).toBe('2 files');
  });
});
