// The printed parts: status changes, the sync report, progress lines.
import { describe, expect, it } from 'vitest';
import type { SyncResultDto } from '../contracts/sync';
import type { CliIo } from './cli-io';
import { changesSince } from './commands/status';
import { defaultBackup, formatBackupList, formatUndo } from './commands/undo';
import type { StoredBackup } from './folder-backups';
import { createProgress } from './progress';
import { formatSyncReport, undoHint } from './sync-report';

const e = (path: string, sha: string, mode = 0o100644) => ({ path, mode, size: 1, sha256: sha.repeat(64) });

describe('changesSince', () => {
  it('lists added, modified (content or mode) and deleted paths', () => {
    expect(
      changesSince(
        [e('a', '1'), e('b', '2'), e('c', '3'), e('d', '4')],
        [e('a', '1'), e('b', '9'), e('d', '4', 0o100755), e('e', '5')],
      ),
    ).toEqual([
      { path: 'b', kind: 'modified' },
      { path: 'c', kind: 'deleted' },
      { path: 'd', kind: 'modified' },
      { path: 'e', kind: 'added' },
    ]);
  });
});

describe('formatSyncReport', () => {
  it('prints the summary, the paths and how to answer unresolved conflicts', () => {
    const result: SyncResultDto = {
      success: true,
      filesUploaded: 1,
      filesDownloaded: 0,
      conversationsUploaded: 0,
      conversationsDownloaded: 0,
      conflicts: [
        {
          kind: 'file',
          path: 'x.txt',
          base: null,
          local: 'a'.repeat(64),
          remote: 'b'.repeat(64),
          text: true,
          outcome: 'unresolved',
        },
      ],
      errors: [],
      timestamp: new Date().toISOString(),
      uploaded: ['up.txt'],
      downloaded: [],
      held: [{ path: 'data/big.csv', reason: 'ignored on the Berth: kept on both sides' }],
    };
    const lines = formatSyncReport(result);
    expect(lines).toContain('  ⏸ data/big.csv: ignored on the Berth: kept on both sides');
    expect(lines[0]).toBe('↑ 1 file · ↓ 0 files · ⚠ 1 conflict');
    expect(lines).toContain('  ↑ up.txt');
    expect(lines).toContain('  ⚠ x.txt: changed on both sides');
    expect(lines.join('\n')).toMatch(/--on-conflict local/);
  });
});

function recordingIo(tty: boolean) {
  const lines: string[] = [];
  const inPlace: string[] = [];
  const io: CliIo = {
    out: () => undefined,
    err: (line) => lines.push(line),
    errInPlace: (line) => inPlace.push(line),
    stderrIsTTY: tty,
    env: {},
    cwd: '/',
  };
  return { io, lines, inPlace };
}

describe('progress', () => {
  it('on a terminal, draws bytes done of total for a large transfer and ends with a line', () => {
    let now = 0;
    const { io, lines, inPlace } = recordingIo(true);
    const progress = createProgress(io, () => now);
    progress.onProgress({ phase: 'download', done: 0, total: 4 << 20 });
    now = 200;
    progress.onProgress({ phase: 'download', done: 2 << 20, total: 4 << 20 });
    now = 400;
    progress.onProgress({ phase: 'download', done: 4 << 20, total: 4 << 20 });
    progress.finish();
    expect(inPlace).toContain('↓ 2.0 MB / 4.0 MB (50%)');
    expect(lines).toEqual(['↓ 4.0 MB downloaded in 0.4 s']);
  });

  it('off a terminal, prints only a final line, and nothing for a small quick transfer', () => {
    let now = 0;
    const { io, lines, inPlace } = recordingIo(false);
    const progress = createProgress(io, () => now);
    progress.onProgress({ phase: 'upload', done: 0, total: 3 << 20 });
    now = 500;
    progress.onProgress({ phase: 'upload', done: 3 << 20, total: 3 << 20 });
    progress.onProgress({ phase: 'download', done: 0, total: 100 });
    progress.onProgress({ phase: 'download', done: 100, total: 100 });
    progress.onProgress({ phase: 'apply', done: 0, total: 1 });
    progress.finish();
    expect(inPlace).toEqual([]);
    expect(lines).toEqual(['↑ 3.0 MB uploaded in 0.5 s']);
  });
});

describe('berth undo output', () => {
  const sync = (id: string, kind: 'sync' | 'undo' = 'sync'): StoredBackup => ({
    id,
    backup: {
      label: kind === 'sync' ? 'before sync with b.example/app' : `before berth undo of x`,
      createdAt: '2026-12-06T20:52:00.123Z',
      kind,
      files: [
        { path: 'a', before: e('a', '1'), after: e('a', '2') },
        { path: 'b', before: e('b', '1'), after: null },
        { path: 'c', before: null, after: e('c', '3') },
      ],
    },
  });

  it('lists backups newest first, marking the one plain berth undo takes (the newest sync, not an undo)', () => {
    const backups = [
      sync('2026-12-06T20-50-00-000Z'),
      sync('2026-12-06T20-52-00-123Z'),
      sync('2026-12-06T20-53-00-000Z', 'undo'),
    ];
    expect(defaultBackup(backups)?.id).toBe('2026-12-06T20-52-00-123Z');
    const lines = formatBackupList(backups);
    expect(lines[1]).toContain('2026-12-06T20-53-00-000Z');
    expect(lines[2]).toMatch(
      /2026-12-06T20-52-00-123Z .*before sync with b\.example\/app {2}\(1 overwritten · 1 deleted · 1 created\) {2}← berth undo$/,
    );
    expect(lines[3]).not.toContain('←');
    expect(formatBackupList([])).toEqual([expect.stringMatching(/^No backups yet/)]);
  });

  it('says what came back, what was left alone, that the Berth was not touched, and how to redo', () => {
    const lines = formatUndo(
      {
        ...sync('2026-12-06T20-52-00-123Z'),
        restored: ['a', 'b'],
        removed: ['c'],
        already: [],
        changedSince: ['d'],
        lost: [],
        undoBackupId: 'R',
      },
      'laptop:~/app',
    ).join('\n');
    expect(lines).toContain('  ↺ a (put back)');
    expect(lines).toContain('  ✕ c (created by the sync, removed)');
    expect(lines).toContain('Left alone, changed since the sync:\n  · d');
    expect(lines).toContain('"before sync with laptop:~/app" snapshot');
    expect(lines).toContain('redo with: berth undo R');
    const nothing = formatUndo(
      { ...sync('x'), restored: [], removed: [], already: ['a'], changedSince: [], lost: [], undoBackupId: null },
      'f',
    );
    expect(nothing[0]).toMatch(/^Nothing to undo/);
  });

  it('names the folder in the hint only when the command was given one', () => {
    expect(undoHint()).toBe('undo with: berth undo');
    expect(undoHint('app')).toBe('undo with: berth undo app');
    expect(undoHint('my app')).toBe('undo with: berth undo "my app"');
  });
});
