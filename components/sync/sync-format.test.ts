import { describe, expect, it } from 'vitest';
import type { SyncConflictDto, SyncResultDto } from '@/server/contracts';
import { outcomeText, resultSummary, syncLight, unresolved } from './sync-format';

const result = (over: Partial<SyncResultDto>): SyncResultDto => ({
  success: true,
  filesUploaded: 0,
  filesDownloaded: 0,
  conversationsUploaded: 0,
  conversationsDownloaded: 0,
  conflicts: [],
  errors: [],
  timestamp: '2026-01-01T00:00:00.000Z',
  ...over,
});
const conflict = (over: Partial<SyncConflictDto>): SyncConflictDto => ({
  kind: 'file',
  path: 'a.txt',
  base: null,
  local: null,
  remote: null,
  text: true,
  outcome: 'unresolved',
  ...over,
});

describe('resultSummary', () => {
  it('reads like the issue: files both ways, conversations when some moved, conflicts always', () => {
    expect(resultSummary(result({ filesUploaded: 3, filesDownloaded: 1, conversationsUploaded: 2 }))).toBe(
      '↑ 3 files · ↓ 1 file · ↑ 2 conversations · ⚠ 0 conflicts',
    );
    expect(resultSummary(result({ conversationsDownloaded: 1, conflicts: [conflict({})] }))).toBe(
      '↑ 0 files · ↓ 0 files · ↓ 1 conversation · ⚠ 1 conflict',
    );
  });
});

describe('outcomeText', () => {
  it('names markers as needing review and where a kept-both copy went', () => {
    expect(outcomeText({ outcome: 'markers' })).toMatch(/needs review/);
    expect(outcomeText({ outcome: 'kept-both', keptAs: 'logo (remote).png' })).toBe('kept both: logo (remote).png');
  });
});

describe('syncLight', () => {
  const now = Date.parse('2026-01-01T00:10:00.000Z');
  const at = '2026-01-01T00:07:00.000Z';
  it('gives each status its light and when it last synced', () => {
    expect(syncLight({ status: 'synced', lastSyncedAt: at, pendingChanges: 0, conflicts: [] }, now)).toMatchObject({
      status: 'synced',
      text: 'Synced 3 minutes ago',
      short: 'Synced 3 min ago',
    });
    expect(syncLight({ status: 'pending', lastSyncedAt: at, pendingChanges: 4, conflicts: [] }, now).text).toBe(
      '4 changes waiting · last synced 3 minutes ago',
    );
    const two = [conflict({ path: 'a' }), conflict({ path: 'b' })];
    expect(syncLight({ status: 'conflict', lastSyncedAt: null, pendingChanges: 2, conflicts: two }, now)).toMatchObject(
      { status: 'conflict', text: '2 conflicts · never synced' },
    );
    const error = syncLight({
      status: 'error',
      lastSyncedAt: null,
      pendingChanges: 0,
      conflicts: [],
      error: 'token revoked',
    });
    expect(error.status).toBe('error');
    expect(error.tip).toMatch(/^token revoked/);
  });
});

describe('unresolved', () => {
  it('keeps only the conflicts waiting for a choice', () => {
    expect(
      unresolved([conflict({ path: 'a' }), conflict({ path: 'b', outcome: 'merged' })]).map((c) => c.path),
    ).toEqual(['a']);
  });
});
