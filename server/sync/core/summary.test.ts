import { describe, expect, it } from 'vitest';
import type { SyncConflictDto } from '../../contracts/sync';
import { formatSyncSummary } from './summary';

const conflict: SyncConflictDto = {
  kind: 'file',
  path: 'a',
  base: null,
  local: null,
  remote: null,
  text: false,
  outcome: 'unresolved',
};

function result(up: number, down: number, convUp = 0, convDown = 0, conflicts = 0) {
  return {
    filesUploaded: up,
    filesDownloaded: down,
    conversationsUploaded: convUp,
    conversationsDownloaded: convDown,
    conflicts: Array.from({ length: conflicts }, () => conflict),
  };
}

describe('formatSyncSummary', () => {
  it('counts files both ways and conflicts, singular and plural', () => {
    expect(formatSyncSummary(result(3, 1, 2, 0, 0))).toBe('↑ 3 files · ↓ 1 file · ↑ 2 conversations · ⚠ 0 conflicts');
    expect(formatSyncSummary(result(1, 0, 0, 0, 1))).toBe('↑ 1 file · ↓ 0 files · ⚠ 1 conflict');
    expect(formatSyncSummary(result(0, 0, 0, 1, 2))).toBe('↑ 0 files · ↓ 0 files · ↓ 1 conversation · ⚠ 2 conflicts');
    expect(formatSyncSummary(result(0, 2, 1, 3))).toBe(
      '↑ 0 files · ↓ 2 files · ↑ 1 conversation · ↓ 3 conversations · ⚠ 0 conflicts',
    );
  });

  it('names conversations when none moved only if the two sides sync them', () => {
    expect(formatSyncSummary(result(0, 0))).toBe('↑ 0 files · ↓ 0 files · ⚠ 0 conflicts');
    expect(formatSyncSummary(result(0, 0), { conversationsSynced: true })).toBe(
      '↑ 0 files · ↓ 0 files · ↑ 0 conversations · ⚠ 0 conflicts',
    );
  });
});
