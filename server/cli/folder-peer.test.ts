// FolderPeer on real temp folders: the scan (ignore rules, .berth/ and .git left out, the hash
// cache kept on disk), applies (staged, journalled, never through a symlinked folder), and two
// folders synced by runSync — the whole planner path a CLI sync takes, without a Berth.
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { S_IFLNK, S_IFREG } from '../sync/core/manifest-checks';
import { runSync, type SyncBase } from '../sync/core/run-sync';
import { ChangedMeanwhileError } from '../sync/core/sync-peer';
import { readJournal, stagePath, writeJournal } from './apply-journal';
import { folderLayout } from './folder-layout';
import { useTempFolders } from './temp-folders.test-support';
import { FolderPeer, folderStateId } from './folder-peer';
import { sha256Hex } from '../agent/snapshot/file-hash';

const tempFolder = useTempFolders('berth-folder-peer-');

function peerOf(root: string, name = path.basename(root), onRead?: (relative: string) => void): FolderPeer {
  return new FolderPeer({
    layout: folderLayout(root),
    name,
    project: { id: 'p1', name: 'app', template: 'blank-node' },
    onRead,
  });
}

const entry = (relative: string, content: string, mode = S_IFREG | 0o644) => ({
  path: relative,
  mode,
  size: Buffer.byteLength(content),
  sha256: sha256Hex(content),
});

async function putContents(peer: FolderPeer, contents: string[]): Promise<void> {
  async function* blobs() {
    for (const content of contents) yield { sha256: sha256Hex(content), content: Buffer.from(content) };
  }
  await peer.putBlobs(blobs());
}

describe('FolderPeer scan', () => {
  it('lists files with the snapshot rules and leaves out .berth/, .git/, ignored and temp files', async () => {
    const root = await tempFolder({
      'src/a.ts': 'a',
      '.gitignore': 'out/\n*.log\n',
      'out/x.js': 'x',
      'debug.log': 'log',
      'node_modules/m/index.js': 'm',
      '.env': 'SECRET=1',
      '.git/HEAD': 'ref',
      'sub/.git/config': 'c',
      '.berth/config.json': '{}',
      '.berth-tmp-123': 'half',
      '.berthignore': 'private/\n',
      'private/p.txt': 'p',
    });
    await symlink('src/a.ts', path.join(root, 'link'));
    const { files, skipped } = await peerOf(root).scan();
    expect(files.map((file) => file.path)).toEqual(['.berthignore', '.gitignore', 'link', 'src/a.ts']);
    expect(files.find((file) => file.path === 'link')).toMatchObject({ mode: S_IFLNK | 0o777, size: 8 });
    expect(files.find((file) => file.path === 'src/a.ts')).toEqual(entry('src/a.ts', 'a'));
    expect(skipped).toEqual([]);
  });

  it('keeps hashes in .berth/hashes.json: a new run reads only what changed', async () => {
    const root = await tempFolder({ 'a.txt': 'a', 'b.txt': 'b', 'c/d.txt': 'd' });
    const firstReads: string[] = [];
    const first = await peerOf(root, 'x', (file) => firstReads.push(file)).scan();
    expect(firstReads.sort()).toEqual(['a.txt', 'b.txt', 'c/d.txt']);
    await writeFile(path.join(root, 'b.txt'), 'changed');
    const reads: string[] = [];
    const second = await peerOf(root, 'x', (file) => reads.push(file)).scan();
    expect(reads).toEqual(['b.txt']);
    expect(second.stateId).not.toBe(first.stateId);
    expect(second.files.find((file) => file.path === 'b.txt')?.sha256).toBe(sha256Hex('changed'));
  });

  it('asks the ignore rules again for a cached file once they changed (a new pattern, a new .gitignore below)', async () => {
    const root = await tempFolder({ 'a.log': 'a', 'keep.txt': 'k', 'sub/b.log': 'b', 'sub/c.txt': 'c' });
    const listed = async () => (await peerOf(root).scan()).files.map((file) => file.path);
    expect(await listed()).toEqual(['a.log', 'keep.txt', 'sub/b.log', 'sub/c.txt']);
    expect(await listed()).toEqual(['a.log', 'keep.txt', 'sub/b.log', 'sub/c.txt']);
    await writeFile(path.join(root, '.berthignore'), '*.log\n');
    expect(await listed()).toEqual(['.berthignore', 'keep.txt', 'sub/c.txt']);
    await writeFile(path.join(root, '.berthignore'), '');
    expect(await listed()).toEqual(['.berthignore', 'a.log', 'keep.txt', 'sub/b.log', 'sub/c.txt']);
    await writeFile(path.join(root, 'sub/.gitignore'), 'c.txt\n');
    expect(await listed()).toEqual(['.berthignore', 'a.log', 'keep.txt', 'sub/.gitignore', 'sub/b.log']);
  });

  it('trusts a cached listing only for the very file it was made for (a planted hashes.json cannot list .env)', async () => {
    const root = await tempFolder({ 'a.txt': 'a' });
    await peerOf(root).scan();
    const file = folderLayout(root).hashes;
    const stored = JSON.parse(await readFile(file, 'utf8')) as { entries: Record<string, unknown[]> };
    stored.entries['.env'] = ['6', '1', '1', '1', sha256Hex('SECRET'), 0];
    await writeFile(file, JSON.stringify(stored));
    await writeFile(path.join(root, '.env'), 'SECRET');
    expect((await peerOf(root).scan()).files.map((entry) => entry.path)).toEqual(['a.txt']);
  });

  it('names equal contents with equal state ids', async () => {
    const one = await peerOf(await tempFolder({ 'a.txt': 'a', 'b/c.txt': 'c' })).scan();
    const two = await peerOf(await tempFolder({ 'b/c.txt': 'c', 'a.txt': 'a' })).scan();
    expect(one.stateId).toBe(two.stateId);
    expect(one.stateId).toBe(folderStateId(one.files));
  });
});

describe('FolderPeer apply', () => {
  it('writes, replaces and deletes to match the manifest, removing folders it emptied', async () => {
    const root = await tempFolder({ 'keep.txt': 'keep', 'old/gone.txt': 'gone', 'change.txt': 'v1' });
    const peer = peerOf(root);
    const state = await peer.scan();
    await putContents(peer, ['v2', 'new', '#!/bin/sh\n']);
    const files = [
      entry('change.txt', 'v2'),
      entry('keep.txt', 'keep'),
      entry('new/dir/file.txt', 'new'),
      entry('run.sh', '#!/bin/sh\n', S_IFREG | 0o755),
      entry('to-keep', 'keep.txt', S_IFLNK | 0o777),
    ];
    await putContents(peer, ['keep.txt']);
    const result = await peer.apply({ expectedStateId: state.stateId, files, label: 'before sync with test' });
    expect(result).toMatchObject({ written: 4, deleted: 1 });
    // The backup of what it replaced (berth undo): its id is the apply's beforeSnapshotId.
    expect(result.beforeSnapshotId).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await readFile(path.join(root, 'change.txt'), 'utf8')).toBe('v2');
    expect(await readFile(path.join(root, 'new/dir/file.txt'), 'utf8')).toBe('new');
    expect((await lstat(path.join(root, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readlink(path.join(root, 'to-keep'))).toBe('keep.txt');
    await expect(lstat(path.join(root, 'old'))).rejects.toThrow(/ENOENT/);
    const after = await peer.scan();
    expect(after.stateId).toBe(result.stateId);
    expect(await readJournal(folderLayout(root))).toBeUndefined();
  });

  it('refuses an apply when the folder changed since its state was read', async () => {
    const root = await tempFolder({ 'a.txt': 'a' });
    const peer = peerOf(root);
    const state = await peer.scan();
    await writeFile(path.join(root, 'a.txt'), 'edited meanwhile');
    await expect(peer.apply({ expectedStateId: state.stateId, files: [], label: 'x' })).rejects.toBeInstanceOf(
      ChangedMeanwhileError,
    );
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('edited meanwhile');
  });

  it('never writes through a symlinked folder, and changes nothing when it refuses', async () => {
    const outside = await tempFolder({ 'victim.txt': 'safe' });
    const root = await tempFolder({ 'a.txt': 'a' });
    // An ignored symlink (not in the manifest, so not deleted first) standing where a folder goes.
    await writeFile(path.join(root, '.gitignore'), 'escape\n');
    await symlink(outside, path.join(root, 'escape'));
    const peer = peerOf(root);
    const state = await peer.scan();
    await putContents(peer, ['pwned']);
    const files = [...state.files, entry('escape/victim.txt', 'pwned')];
    await expect(peer.apply({ expectedStateId: state.stateId, files, label: 'x' })).rejects.toThrow(/symlink/);
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('safe');
  });

  it('refuses, before changing anything, a file where a folder of ignored files stands', async () => {
    const root = await tempFolder({ '.gitignore': 'cache/\n', 'out/cache/big.bin': 'x', 'out/keep.txt': 'k' });
    const peer = peerOf(root);
    const state = await peer.scan();
    await putContents(peer, ['now a file']);
    const files = [...state.files.filter((file) => file.path !== 'out/keep.txt'), entry('out', 'now a file')];
    await expect(peer.apply({ expectedStateId: state.stateId, files, label: 'x' })).rejects.toThrow(/other files/);
    expect(await readFile(path.join(root, 'out/keep.txt'), 'utf8')).toBe('k');
    expect(await readJournal(folderLayout(root))).toBeUndefined();
  });

  it('a journal step that can no longer be done is reported and skipped, not left to block the folder', async () => {
    const outside = await tempFolder();
    const root = await tempFolder({ 'a.txt': 'a' });
    const layout = folderLayout(root);
    await mkdir(layout.incoming, { recursive: true });
    await writeFile(stagePath(layout, 'w-0'), 'x');
    await writeFile(stagePath(layout, 'w-1'), 'b');
    await symlink(outside, path.join(root, 'link'));
    const target = [entry('a.txt', 'a'), entry('b.txt', 'b'), entry('link/x.txt', 'x')];
    const writes = [
      { path: 'link/x.txt', stage: 'w-0' },
      { path: 'b.txt', stage: 'w-1' },
    ];
    await writeJournal(layout, { version: 1, stateId: folderStateId(target), deletes: [], writes });
    const notes: string[] = [];
    const peer = new FolderPeer({
      layout,
      name: 'x',
      project: { id: 'p1', name: 'app', template: 'blank-node' },
      onNote: (note) => notes.push(note),
    });
    const state = await peer.scan();
    expect(notes).toEqual([expect.stringMatching(/link\/x\.txt: .*symlink/)]);
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('b');
    expect(state.files.map((file) => file.path)).toEqual(['a.txt', 'b.txt', 'link']);
    expect(await readJournal(layout)).toBeUndefined();
  });

  it('refuses a manifest with paths that leave the folder or touch .berth/', async () => {
    const root = await tempFolder({ 'a.txt': 'a' });
    const peer = peerOf(root);
    const state = await peer.scan();
    for (const bad of ['../x', '/etc/passwd', '.berth/config.json', 'a/../../x', '.git/hooks/pre-commit']) {
      await expect(
        peer.apply({ expectedStateId: state.stateId, files: [entry(bad, 'x')], label: 'x' }),
      ).rejects.toThrow();
    }
    expect((await peer.scan()).stateId).toBe(state.stateId);
  });

  it('finishes an apply an earlier run left journalled before reading the folder again', async () => {
    const root = await tempFolder({ 'a.txt': 'old', 'b.txt': 'b' });
    const layout = folderLayout(root);
    await mkdir(layout.incoming, { recursive: true });
    await writeFile(stagePath(layout, 'w-0'), 'new');
    const target = [entry('a.txt', 'new')];
    await writeJournal(layout, {
      version: 1,
      stateId: folderStateId(target),
      deletes: ['b.txt'],
      writes: [{ path: 'a.txt', stage: 'w-0' }],
    });
    // As if the run died after renaming nothing.
    const state = await peerOf(root).scan();
    expect(state.files).toEqual(target);
    expect(state.stateId).toBe(folderStateId(target));
    expect(await readJournal(layout)).toBeUndefined();
  });
});

describe('two folders synced with runSync', () => {
  async function syncPair(
    local: FolderPeer,
    remote: FolderPeer,
    base: SyncBase | null,
    onConflict: 'merge' | 'ask' = 'merge',
  ) {
    const outcome = await runSync({ local, remote, base, request: { mode: 'both', onConflict } });
    expect(outcome.result.errors).toEqual([]);
    await local.keepContents(outcome.base.files);
    return outcome;
  }

  it('copies both ways, then merges a file changed on both sides with markers where lines overlap', async () => {
    const a = await tempFolder({ 'shared.txt': 'one\ntwo\nthree\n', 'only-a.txt': 'a' });
    const b = await tempFolder({ 'only-b.txt': 'b' });
    const local = peerOf(a, 'a');
    const remote = peerOf(b, 'b');
    const first = await syncPair(local, remote, null);
    expect(first.result).toMatchObject({ filesUploaded: 2, filesDownloaded: 1 });
    expect(await readFile(path.join(b, 'shared.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(await readFile(path.join(a, 'only-b.txt'), 'utf8')).toBe('b');

    await writeFile(path.join(a, 'shared.txt'), 'ONE\ntwo\nthree-a\n');
    await writeFile(path.join(b, 'shared.txt'), 'one\ntwo\nthree-b\n');
    const second = await syncPair(local, remote, first.base);
    expect(second.result.conflicts).toMatchObject([{ path: 'shared.txt', outcome: 'markers' }]);
    const merged = await readFile(path.join(a, 'shared.txt'), 'utf8');
    expect(merged).toContain('ONE\n');
    expect(merged).toContain('<<<<<<< local');
    expect(merged).toContain('three-a');
    expect(merged).toContain('three-b');
    expect(await readFile(path.join(b, 'shared.txt'), 'utf8')).toBe(merged);

    // Nothing left to do: a third sync moves nothing.
    const third = await syncPair(local, remote, second.base);
    expect(third.result).toMatchObject({ filesUploaded: 0, filesDownloaded: 0, conflicts: [] });
  });

  it('with ask, leaves a conflict untouched on both sides and lists it', async () => {
    const a = await tempFolder({ 'f.txt': 'base' });
    const b = await tempFolder();
    const local = peerOf(a, 'a');
    const remote = peerOf(b, 'b');
    const first = await syncPair(local, remote, null);
    await writeFile(path.join(a, 'f.txt'), 'mine');
    await writeFile(path.join(b, 'f.txt'), 'theirs');
    const second = await syncPair(local, remote, first.base, 'ask');
    expect(second.result.conflicts).toMatchObject([{ path: 'f.txt', outcome: 'unresolved' }]);
    expect(await readFile(path.join(a, 'f.txt'), 'utf8')).toBe('mine');
    expect(await readFile(path.join(b, 'f.txt'), 'utf8')).toBe('theirs');
  });
});
