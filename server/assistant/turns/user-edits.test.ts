import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../snapshots';
import { describeUserEdits, USER_EDITS_MAX_CHARS, type SnapshotReader } from './user-edits';
import { unifiedDiff } from './unified-diff';

describe('unifiedDiff', () => {
  it('gives hunks with three lines of context and exact line ranges', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 5\n', 'line five\n').replace('line 18\n', '');
    expect(unifiedDiff(before, after)).toBe(
      [
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '@@ -15,6 +15,5 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        ' line 19',
        ' line 20',
      ].join('\n'),
    );
  });

  it('merges changes that are close, and handles a new and an emptied file', () => {
    expect(unifiedDiff('a\nb\nc\nd\n', 'A\nb\nc\nD\n')).toBe('@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n-d\n+D');
    expect(unifiedDiff('', 'x\ny\n')).toBe('@@ -0,0 +1,2 @@\n+x\n+y');
    expect(unifiedDiff('x\n', '')).toBe('@@ -1,1 +0,0 @@\n-x');
    expect(unifiedDiff('same\n', 'same\n')).toBe('');
  });

  it('keeps common lines in the middle of a change (LCS), not a whole rewrite', () => {
    expect(unifiedDiff('a\nkeep\nb\n', 'x\nkeep\ny\n')).toBe('@@ -1,3 +1,3 @@\n-a\n+x\n keep\n-b\n+y');
  });
});

/** Snapshots in memory: id → files (path → content). */
function reader(snapshots: Record<string, Record<string, string | Buffer>>, projectId = 'p1'): SnapshotReader {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, ManifestEntry[]>();
  for (const [id, files] of Object.entries(snapshots))
    manifests.set(
      id,
      Object.entries(files).map(([path, content]) => {
        const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        blobs.set(sha256, bytes);
        return { path, mode: 0o100644, size: bytes.length, sha256 };
      }),
    );
  return {
    get: async (project, id) => (project === projectId && manifests.has(id) ? { id } : null),
    manifest: async (id) => manifests.get(id) ?? [],
    readBlobs: async (hashes) => new Map(hashes.flatMap((hash) => (blobs.has(hash) ? [[hash, blobs.get(hash)!]] : []))),
  };
}

/** A snapshot as a turn's scan sees it: its files, already stored. */
const nowOf = async (snapshots: SnapshotReader, id: string) => ({
  files: snapshots.manifest(id),
  stored: Promise.resolve(),
});

describe('describeUserEdits', () => {
  const before = { 'src/App.jsx': 'export default 1;\n', 'notes.md': 'a\nb\n', 'old.txt': 'bye\n', 'byturn.js': '1\n' };

  it("diffs what someone else changed since the previous turn's snapshot, leaving out the turn's own files", async () => {
    const snapshots = reader({
      s1: before,
      s2: {
        'src/App.jsx': 'export default 2;\n',
        'notes.md': 'a\nb\n',
        'new.css': 'body {}\n',
        'byturn.js': '2\n',
        'logo.png': Buffer.from([0x89, 0x50, 0, 1]),
      },
    });
    const note = await describeUserEdits(snapshots, {
      projectId: 'p1',
      previous: { snapshotId: 's1', changedFiles: [{ path: 'byturn.js', change: 'modified' }] },
      now: await nowOf(snapshots, 's2'),
    });
    expect(note.split('\n')[0]).toMatch(/^Since your last turn the user .* Keep their changes/);
    expect(note).toContain(
      '--- a/src/App.jsx\n+++ b/src/App.jsx\n@@ -1,1 +1,1 @@\n-export default 1;\n+export default 2;',
    );
    expect(note).toContain('--- /dev/null\n+++ b/new.css\n@@ -0,0 +1,1 @@\n+body {}');
    expect(note).toContain('--- old.txt (deleted)');
    expect(note).toContain('--- logo.png (added; not a text file shown here)');
    expect(note).not.toContain('byturn.js');
    expect(note).not.toContain('notes.md');
  });

  it('says nothing when nobody else changed anything, or a snapshot is gone or of another project', async () => {
    const snapshots = reader({ s1: before, s2: { ...before, 'byturn.js': 'changed by the turn\n' } });
    const previous = { snapshotId: 's1', changedFiles: [{ path: 'byturn.js', change: 'modified' as const }] };
    expect(await describeUserEdits(snapshots, { projectId: 'p1', previous, now: await nowOf(snapshots, 's2') })).toBe(
      '',
    );
    expect(
      await describeUserEdits(snapshots, {
        projectId: 'p1',
        previous: { ...previous, snapshotId: 'gone' },
        now: await nowOf(snapshots, 's2'),
      }),
    ).toBe('');
    expect(await describeUserEdits(snapshots, { projectId: 'p2', previous, now: await nowOf(snapshots, 's2') })).toBe(
      '',
    );
  });

  it('tells a file the previous turn wrote only when it is no longer what the turn left there', async () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    // s2 keeps what the turn left in kept.js and edited.js (a snapshot after the turn), not in unseen.js.
    const snapshots = reader({
      s1: { 'kept.js': 'old\n', 'edited.js': 'old\n', 'unseen.js': 'old\n', 'removed.js': 'old\n' },
      s2: { 'kept.js': 'turn\n', 'edited.js': 'turn\n' },
      s3: { 'kept.js': 'turn\n', 'edited.js': 'turn\nuser\n', 'unseen.js': 'user\n' },
    });
    const note = await describeUserEdits(snapshots, {
      projectId: 'p1',
      previous: {
        snapshotId: 's1',
        changedFiles: [
          { path: 'kept.js', change: 'modified', afterSha256: sha('turn\n') },
          { path: 'edited.js', change: 'modified', afterSha256: sha('turn\n') },
          { path: 'unseen.js', change: 'modified', afterSha256: sha('turn, never snapshotted\n') },
          { path: 'removed.js', change: 'modified', afterSha256: sha('turn\n') },
          // Recorded before fingerprints existed: left out as before.
          { path: 'legacy.js', change: 'created' },
        ],
      },
      now: await nowOf(snapshots, 's3'),
    });
    expect(note).toContain('--- a/edited.js (as you last wrote it)\n+++ b/edited.js\n@@ -1,1 +1,2 @@\n turn\n+user');
    expect(note).toContain('--- unseen.js (changed after you last wrote it; read it again before editing it)');
    expect(note).toContain('--- removed.js (deleted after you changed it)');
    expect(note).not.toContain('kept.js');
    expect(note).not.toContain('legacy.js');
  });

  it("waits for this turn's snapshot to be stored only when something changed (its content is read from it)", async () => {
    const snapshots = reader({ s1: before, s2: { ...before, 'notes.md': 'a\nb\nc\n' } });
    const previous = { snapshotId: 's1', changedFiles: [] };
    const never = new Promise<never>(() => undefined);
    const unchanged = { files: snapshots.manifest('s1'), stored: never };
    expect(await describeUserEdits(snapshots, { projectId: 'p1', previous, now: unchanged })).toBe('');
    let stored!: () => void;
    const changed = { files: snapshots.manifest('s2'), stored: new Promise<void>((r) => (stored = r)) };
    let note: string | undefined;
    const telling = describeUserEdits(snapshots, { projectId: 'p1', previous, now: changed }).then((n) => (note = n));
    await new Promise((r) => setTimeout(r, 20));
    expect(note).toBeUndefined();
    stored();
    await telling;
    expect(note).toContain('+++ b/notes.md');
  });

  it('names files past the cap without their diffs', async () => {
    const big = (n: number) => Array.from({ length: 400 }, (_, i) => `${n} line ${i}`).join('\n') + '\n';
    const then: Record<string, string> = {};
    const now: Record<string, string> = {};
    for (let n = 0; n < 10; n++) {
      then[`f${n}.txt`] = '';
      now[`f${n}.txt`] = big(n);
    }
    const snapshots = reader({ s1: then, s2: now });
    const note = await describeUserEdits(snapshots, {
      projectId: 'p1',
      previous: { snapshotId: 's1', changedFiles: [] },
      now: await nowOf(snapshots, 's2'),
    });
    expect(note.length).toBeLessThanOrEqual(USER_EDITS_MAX_CHARS + 200);
    expect(note).toContain('+++ b/f0.txt');
    expect(note).toMatch(/Also changed \(no diff, too long to show\): .*f9\.txt \(modified\)$/);
  });
});
