import { describe, expect, it } from 'vitest';
import type { SyncManifestEntry } from '../../contracts/sync';
import { baseAfter, keptBothName, planFiles, type FilePlanInput } from './three-way';

const REG = 0o100644;
const EXEC = 0o100755;
const LINK = 0o120777;

function entry(path: string, content: string, mode = REG, size = content.length): SyncManifestEntry {
  // A readable fake hash: the content, hex-encoded and padded (the planner only compares hashes).
  const sha256 = Buffer.from(content).toString('hex').padEnd(64, '0').slice(0, 64);
  return { path, mode, size, sha256 };
}

function plan(overrides: Partial<FilePlanInput>) {
  return planFiles({ base: [], local: [], remote: [], mode: 'both', strategy: 'merge', ...overrides });
}

const paths = (entries: { path: string }[]) => entries.map((item) => item.path);

describe('planFiles', () => {
  it('takes a change made on one side only, either way', () => {
    const base = [entry('a', 'a0'), entry('b', 'b0'), entry('c', 'c0')];
    const result = plan({
      base,
      local: [entry('a', 'a1'), entry('b', 'b0'), entry('d', 'd')],
      remote: [entry('a', 'a0'), entry('b', 'b2')],
    });
    expect(result.remoteWrites).toEqual([entry('a', 'a1'), entry('d', 'd')]);
    expect(result.localWrites).toEqual([entry('b', 'b2')]);
    // c was deleted on both: nothing to do, and it leaves the base.
    expect(result.localDeletes).toEqual([]);
    expect(result.remoteDeletes).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.localTarget).toEqual(result.remoteTarget);
    expect(result.base).toEqual(result.localTarget);
  });

  it('deletes on the other side what one side deleted', () => {
    const base = [entry('a', 'a'), entry('b', 'b')];
    const result = plan({ base, local: [entry('b', 'b')], remote: base });
    expect(result.remoteDeletes).toEqual(['a']);
    expect(result.base).toEqual([entry('b', 'b')]);
  });

  it('treats a mode change as a change, and combines a mode change with a content change', () => {
    const base = [entry('run.sh', 'v1'), entry('x', 'x')];
    const result = plan({
      base,
      local: [entry('run.sh', 'v1', EXEC), entry('x', 'x', EXEC)],
      remote: [entry('run.sh', 'v2'), entry('x', 'x')],
    });
    expect(result.conflicts).toEqual([]);
    expect(result.localTarget).toEqual([entry('run.sh', 'v2', EXEC), entry('x', 'x', EXEC)]);
    expect(result.remoteTarget).toEqual(result.localTarget);
  });

  it('agrees where both sides changed a path to the same entry', () => {
    const result = plan({ base: [entry('a', 'old')], local: [entry('a', 'new')], remote: [entry('a', 'new')] });
    expect(result.localWrites).toEqual([]);
    expect(result.remoteWrites).toEqual([]);
    expect(result.conflicts).toEqual([]);
    expect(result.base).toEqual([entry('a', 'new')]);
  });

  it('first sync: copies what one side has, agrees on equal entries, conflicts on different ones', () => {
    const result = plan({
      base: null,
      strategy: 'ask',
      local: [entry('l', 'l'), entry('same', 's'), entry('both', 'L')],
      remote: [entry('r', 'r'), entry('same', 's'), entry('both', 'R')],
    });
    expect(result.remoteWrites).toEqual([entry('l', 'l')]);
    expect(result.localWrites).toEqual([entry('r', 'r')]);
    expect(result.conflicts).toMatchObject([{ path: 'both', base: null, outcome: 'unresolved', kind: 'file' }]);
    expect(paths(result.base)).toEqual(['l', 'r', 'same']);
  });

  it('upload changes only the remote, download only the local', () => {
    const base = [entry('a', 'a0'), entry('b', 'b0')];
    const local = [entry('a', 'a1'), entry('b', 'b0')];
    const remote = [entry('a', 'a0'), entry('b', 'b2')];
    const up = plan({ base, local, remote, mode: 'upload' });
    expect(up.remoteWrites).toEqual([entry('a', 'a1')]);
    expect(up.localWrites).toEqual([]);
    expect(up.localTarget).toEqual(local);
    // b stays as the base had it, so the next sync still sees the remote's change.
    expect(up.base).toEqual([entry('a', 'a1'), entry('b', 'b0')]);
    const down = plan({ base, local, remote, mode: 'download' });
    expect(down.localWrites).toEqual([entry('b', 'b2')]);
    expect(down.remoteWrites).toEqual([]);
    expect(down.base).toEqual([entry('a', 'a0'), entry('b', 'b2')]);
  });

  describe('conflicts', () => {
    const base = [entry('f.txt', 'base')];
    const local = [entry('f.txt', 'local')];
    const remote = [entry('f.txt', 'remote')];

    it('local wins / remote wins', () => {
      const l = plan({ base, local, remote, strategy: 'local' });
      expect(l.remoteTarget).toEqual(local);
      expect(l.localWrites).toEqual([]);
      expect(l.conflicts).toMatchObject([{ path: 'f.txt', outcome: 'local', text: true }]);
      expect(l.base).toEqual(local);
      const r = plan({ base, local, remote, strategy: 'remote' });
      expect(r.localTarget).toEqual(remote);
      expect(r.conflicts).toMatchObject([{ outcome: 'remote' }]);
    });

    it('ask changes nothing and keeps the old base', () => {
      const result = plan({ base, local, remote, strategy: 'ask' });
      expect(result.localWrites).toEqual([]);
      expect(result.remoteWrites).toEqual([]);
      expect(result.conflicts).toEqual([
        {
          kind: 'file',
          path: 'f.txt',
          base: base[0]!.sha256,
          local: local[0]!.sha256,
          remote: remote[0]!.sha256,
          text: true,
          outcome: 'unresolved',
        },
      ]);
      expect(result.base).toEqual(base);
    });

    it('a resolution overrides the strategy for its path only', () => {
      const result = plan({
        base: [...base, entry('g', 'g0')],
        local: [...local, entry('g', 'gl')],
        remote: [...remote, entry('g', 'gr')],
        strategy: 'ask',
        resolutions: { 'f.txt': 'remote' },
      });
      expect(result.conflicts.map((c) => [c.path, c.outcome])).toEqual([
        ['f.txt', 'remote'],
        ['g', 'unresolved'],
      ]);
      expect(result.localWrites).toEqual(remote);
    });

    it('a resolution naming versions holds only while both sides still hold them', () => {
      const answer = { choice: 'remote' as const, local: local[0]!.sha256, remote: remote[0]!.sha256 };
      const held = plan({ base, local, remote, strategy: 'local', resolutions: { 'f.txt': answer } });
      expect(held.conflicts).toMatchObject([{ path: 'f.txt', outcome: 'remote' }]);
      const newer = [entry('f.txt', 'remote, later')];
      const stale = plan({ base, local, remote: newer, strategy: 'local', resolutions: { 'f.txt': answer } });
      expect(stale.conflicts).toMatchObject([{ path: 'f.txt', outcome: 'unresolved' }]);
      expect(stale.localWrites).toEqual([]);
      expect(stale.remoteWrites).toEqual([]);
    });

    it('a path one side holds outside its state: kept when unchanged on the other, never written over', () => {
      const shared = [entry('data.csv', 'rows')];
      const kept = plan({
        base: shared,
        local: shared,
        remote: [],
        presentOnDisk: { local: new Set(), remote: new Set(['data.csv']) },
      });
      expect(kept.localDeletes).toEqual([]);
      expect(kept.held).toEqual([{ path: 'data.csv', side: 'remote', why: 'kept' }]);
      expect(kept.base).toEqual(shared);
      const changed = plan({
        base: shared,
        local: [entry('data.csv', 'more rows')],
        remote: [],
        strategy: 'local',
        presentOnDisk: { local: new Set(), remote: new Set(['data.csv']) },
      });
      expect(changed.remoteWrites).toEqual([]);
      expect(changed.localDeletes).toEqual([]);
      expect(changed.conflicts).toMatchObject([{ path: 'data.csv', outcome: 'unresolved', text: false }]);
      expect(changed.held).toMatchObject([{ path: 'data.csv', why: 'not-written' }]);
    });

    it('merge asks for a text merge, then writes its result on both sides', () => {
      const first = plan({ base, local, remote });
      expect(first.merges).toEqual([{ path: 'f.txt', base: base[0], local: local[0], remote: remote[0] }]);
      expect(first.localWrites).toEqual([]);
      const merged = entry('f.txt', 'merged');
      const second = plan({
        base,
        local,
        remote,
        settlements: new Map([['f.txt', { kind: 'text', entry: merged, clean: false }]]),
      });
      expect(second.merges).toEqual([]);
      expect(second.localWrites).toEqual([merged]);
      expect(second.remoteWrites).toEqual([merged]);
      expect(second.conflicts).toMatchObject([{ path: 'f.txt', outcome: 'markers', text: true }]);
      expect(second.base).toEqual([merged]);
    });

    it('merge keeps both for binaries: the remote copy beside the local file on both sides', () => {
      const settlements = new Map([['f.txt', { kind: 'binary' as const }]]);
      const result = plan({ base, local, remote, settlements });
      const copy = { ...remote[0]!, path: 'f (remote).txt' };
      expect(result.localTarget).toEqual([copy, local[0]]);
      expect(result.remoteTarget).toEqual([copy, local[0]]);
      expect(result.conflicts).toMatchObject([
        { path: 'f.txt', outcome: 'kept-both', keptAs: 'f (remote).txt', text: false },
      ]);
    });

    it('keeps both without reading for files too large to be text, and for symlinks', () => {
      const big = 2 * 1024 * 1024;
      const result = plan({
        base: [entry('video.mp4', 'v0', REG, big), entry('link', 'a')],
        local: [entry('video.mp4', 'v1', REG, big), entry('link', 'b', LINK)],
        remote: [entry('video.mp4', 'v2', REG, big), entry('link', 'c', LINK)],
      });
      expect(result.merges).toEqual([]);
      expect(result.conflicts.map((c) => [c.path, c.outcome, c.keptAs])).toEqual([
        ['link', 'kept-both', 'link (remote)'],
        ['video.mp4', 'kept-both', 'video (remote).mp4'],
      ]);
    });

    it('a deleted file against a changed one: merge keeps the changed file, local/remote follow their side', () => {
      const deletedLocally = { base, local: [], remote };
      expect(plan({ ...deletedLocally }).localTarget).toEqual(remote);
      expect(plan({ ...deletedLocally }).conflicts).toMatchObject([{ outcome: 'remote', local: null, text: false }]);
      expect(plan({ ...deletedLocally, strategy: 'local' }).remoteDeletes).toEqual(['f.txt']);
      expect(plan({ ...deletedLocally, strategy: 'remote' }).localWrites).toEqual(remote);
      expect(plan({ ...deletedLocally, strategy: 'ask' }).conflicts).toMatchObject([{ outcome: 'unresolved' }]);
      const deletedRemotely = plan({ base, local, remote: [] });
      expect(deletedRemotely.remoteTarget).toEqual(local);
      expect(deletedRemotely.conflicts).toMatchObject([{ outcome: 'local', remote: null }]);
    });

    it('in upload mode a conflict changes only the remote', () => {
      const result = plan({
        base,
        local,
        remote,
        mode: 'upload',
        settlements: new Map([['f.txt', { kind: 'binary' }]]),
      });
      expect(result.localTarget).toEqual(local);
      expect(result.remoteTarget).toEqual([{ ...remote[0]!, path: 'f (remote).txt' }, local[0]]);
    });
  });

  it('holds back a new path that would be both a file and a folder on one side', () => {
    const result = plan({ base: [], local: [entry('a', 'file')], remote: [entry('a/b', 'inside')], strategy: 'ask' });
    expect(result.localTarget).toEqual([entry('a', 'file')]);
    expect(result.remoteTarget).toEqual([entry('a/b', 'inside')]);
    expect(result.conflicts.map((c) => [c.path, c.outcome])).toEqual([
      ['a', 'unresolved'],
      ['a/b', 'unresolved'],
    ]);
    // A file replacing a folder the other side deleted is fine.
    const replaced = plan({
      base: [entry('a/b', 'inside')],
      local: [entry('a', 'file')],
      remote: [entry('a/b', 'inside')],
    });
    expect(replaced.remoteTarget).toEqual([entry('a', 'file')]);
    expect(replaced.conflicts).toEqual([]);
    // A file kept by `merge` (deleted locally, changed remotely) cannot come back where a folder now is.
    const kept = plan({
      base: [entry('a', 'file')],
      local: [entry('a/b', 'inside')],
      remote: [entry('a', 'changed')],
    });
    expect(kept.localTarget).toEqual([entry('a/b', 'inside')]);
    expect(kept.conflicts.map((c) => [c.path, c.outcome])).toEqual([
      ['a', 'unresolved'],
      ['a/b', 'unresolved'],
    ]);
  });
});

describe('keptBothName', () => {
  it('puts "(remote)" before the extension and numbers it past taken names', () => {
    expect(keptBothName('img/logo.png', () => true)).toBe('img/logo (remote).png');
    expect(keptBothName('.env', () => true)).toBe('.env (remote)');
    expect(keptBothName('Makefile', () => true)).toBe('Makefile (remote)');
    expect(keptBothName('a.b/c', () => true)).toBe('a.b/c (remote)');
    const taken = new Set(['logo (remote).png', 'logo (remote 2).png']);
    expect(keptBothName('logo.png', (name) => !taken.has(name))).toBe('logo (remote 3).png');
  });

  it('does not take a name a side holds, or a folder, unless it already holds that very copy', () => {
    const base = [entry('p.bin', 'b')];
    const local = [entry('p.bin', 'l'), entry('p (remote).bin/x', 'folder')];
    const remote = [entry('p.bin', 'r'), entry('p (remote 2).bin', 'other')];
    const result = plan({ base, local, remote, settlements: new Map([['p.bin', { kind: 'binary' }]]) });
    expect(result.conflicts[0]!.keptAs).toBe('p (remote 3).bin');
    // A copy kept by an earlier (download-only) sync is reused, not duplicated.
    const again = plan({
      base,
      local: [entry('p.bin', 'l'), entry('p (remote).bin', 'r')],
      remote: [entry('p.bin', 'r')],
      settlements: new Map([['p.bin', { kind: 'binary' }]]),
    });
    expect(again.conflicts[0]!.keptAs).toBe('p (remote).bin');
    expect(again.remoteWrites).toEqual([entry('p (remote).bin', 'r'), entry('p.bin', 'l')]);
  });
});

describe('baseAfter', () => {
  it('takes what both hold (nothing where both have none), else the old base entry', () => {
    const old = [entry('a', 'a0'), entry('b', 'b0'), entry('gone', 'g')];
    const result = baseAfter(
      old,
      [entry('a', 'a1'), entry('b', 'b1'), entry('new', 'n')],
      [entry('a', 'a1'), entry('b', 'b2'), entry('new', 'n')],
    );
    expect(result).toEqual([entry('a', 'a1'), entry('b', 'b0'), entry('new', 'n')]);
    expect(baseAfter(null, [entry('x', '1')], [entry('x', '1', EXEC)])).toEqual([]);
  });
});
