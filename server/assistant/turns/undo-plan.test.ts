import { describe, expect, it } from 'vitest';
import { FileChangeLog } from '../tools';
import { recordedChanges, sha256Hex } from './recorded-changes';
import { ancestorsOf } from './turn-file-restore';
import { mergeOutcomes } from './turn-undo';
import { CONFLICT_REASONS, planUndo, type CurrentFile, type UndoTarget } from './undo-plan';

const before = Buffer.from('before\n');
const left = sha256Hex(Buffer.from('turn wrote\n'));
const file = (text: string): CurrentFile => ({ kind: 'file', sha256: sha256Hex(Buffer.from(text)), version: 'v1' });
const absent: CurrentFile = { kind: 'absent' };
const toBefore: UndoTarget = { kind: 'content', sha256: sha256Hex(before), content: before };
const toAbsent: UndoTarget = { kind: 'absent' };

describe('planUndo', () => {
  it('puts back a file the turn modified and removes one it created while they are as it left them', () => {
    expect(planUndo({ afterSha256: left }, file('turn wrote\n'), toBefore, false)).toEqual({
      action: 'write',
      content: before,
    });
    expect(planUndo({ afterSha256: left }, file('turn wrote\n'), toAbsent, false)).toEqual({ action: 'remove' });
    // A file the turn deleted comes back while it is still gone.
    expect(planUndo({ afterSha256: null }, absent, toBefore, false)).toEqual({ action: 'write', content: before });
  });

  it('leaves a file changed since the turn, unless forced', () => {
    expect(planUndo({ afterSha256: left }, file('user edit\n'), toBefore, false)).toEqual({
      action: 'conflict',
      reason: CONFLICT_REASONS.changed,
    });
    expect(planUndo({ afterSha256: left }, absent, toBefore, false)).toEqual({
      action: 'conflict',
      reason: CONFLICT_REASONS.deleted,
    });
    expect(planUndo({ afterSha256: null }, file('new\n'), toBefore, false)).toEqual({
      action: 'conflict',
      reason: CONFLICT_REASONS.recreated,
    });
    expect(planUndo({ afterSha256: left }, file('user edit\n'), toBefore, true)).toEqual({
      action: 'write',
      content: before,
    });
    expect(planUndo({ afterSha256: left }, file('user edit\n'), toAbsent, true)).toEqual({ action: 'remove' });
  });

  it('does nothing to a file already as it was before the turn, whatever happened since', () => {
    expect(planUndo({ afterSha256: left }, absent, toAbsent, false)).toEqual({ action: 'none' });
    expect(planUndo({ afterSha256: left }, file('before\n'), toBefore, false)).toEqual({ action: 'none' });
    expect(planUndo({}, absent, toAbsent, false)).toEqual({ action: 'none' });
  });

  it('treats a turn recorded without fingerprints as a possible change (force overwrites)', () => {
    expect(planUndo({}, file('turn wrote\n'), toBefore, false)).toEqual({
      action: 'conflict',
      reason: CONFLICT_REASONS.unrecorded,
    });
    expect(planUndo({}, file('turn wrote\n'), toBefore, true)).toEqual({ action: 'write', content: before });
  });

  it('treats a snapshot older than the version the turn found as a conflict unless forced', () => {
    const stale: UndoTarget = { ...toBefore, stale: CONFLICT_REASONS.stale };
    expect(planUndo({ afterSha256: left }, file('turn wrote\n'), stale, false)).toEqual({
      action: 'conflict',
      reason: CONFLICT_REASONS.stale,
    });
    expect(planUndo({ afterSha256: left }, file('turn wrote\n'), stale, true)).toEqual({
      action: 'write',
      content: before,
    });
  });

  it('never writes over a folder, nor without the content from before', () => {
    expect(planUndo({ afterSha256: left }, { kind: 'folder' }, toBefore, true)).toEqual({
      action: 'conflict',
      reason: CONFLICT_REASONS.folder,
    });
    expect(
      planUndo({ afterSha256: left }, file('turn wrote\n'), { kind: 'unavailable', reason: 'skipped' }, true),
    ).toEqual({ action: 'conflict', reason: 'skipped' });
  });
});

describe('recordedChanges', () => {
  it('records what the turn found and left in each file: the sha256 of its bytes, null when absent', () => {
    const log = new FileChangeLog();
    log.record('a.txt', { exists: false }, { exists: true, text: 'one' });
    log.record('a.txt', { exists: true, text: 'one' }, { exists: true, text: 'héllo\n' });
    log.record('b.txt', { exists: true, text: 'old' }, { exists: false });
    log.record('c.bin', { exists: true, text: null }, { exists: true, text: 'now text' });
    expect(recordedChanges(log)).toEqual([
      { path: 'a.txt', change: 'created', afterSha256: sha256Hex(Buffer.from('héllo\n', 'utf8')), beforeSha256: null },
      { path: 'b.txt', change: 'deleted', afterSha256: null, beforeSha256: sha256Hex(Buffer.from('old')) },
      // Not text before: what it was is not known.
      { path: 'c.bin', change: 'modified', afterSha256: sha256Hex(Buffer.from('now text')) },
    ]);
  });
});

describe('mergeOutcomes', () => {
  it("lists each path once, under where it ended up (the oldest turn's outcome, given last)", () => {
    const newest = { restored: ['a', 'b'], removed: [], conflicts: [{ path: 'c', reason: 'changed since the turn' }] };
    const oldest = { restored: ['c'], removed: ['a'], conflicts: [] };
    expect(mergeOutcomes([newest, oldest])).toEqual({ restored: ['b', 'c'], removed: ['a'], conflicts: [] });
    expect(mergeOutcomes([])).toEqual({ restored: [], removed: [], conflicts: [] });
  });
});

describe('ancestorsOf', () => {
  it('lists the folders above a path, deepest first', () => {
    expect(ancestorsOf('a/b/c.txt')).toEqual(['a/b', 'a']);
    expect(ancestorsOf('top.txt')).toEqual([]);
  });
});
