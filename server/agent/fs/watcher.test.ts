// The watcher on a temp folder: classification, coalescing, new and deleted folders, heavy
// folders skipped unless asked, temp files ignored, the watcher cap.
import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileChange } from '../../contracts/files';
import { WorkspaceWatcher } from './watcher';

let root: string;
let watcher: WorkspaceWatcher;
let batches: FileChange[][];
let logs: string[];

async function startWatcher(maxWatchers?: number) {
  watcher = new WorkspaceWatcher({
    root,
    onChanges: (changes) => batches.push(changes),
    maxWatchers,
    log: (message) => logs.push(message),
  });
  await watcher.start();
}

/** Waits until a change matching `predicate` has arrived (or fails after `timeoutMs`). */
async function waitFor(predicate: (change: FileChange) => boolean, timeoutMs = 2000): Promise<FileChange> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = batches.flat().find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such change; got ${JSON.stringify(batches)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const quiet = () => new Promise((resolve) => setTimeout(resolve, 150));

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-watch-')));
  mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(path.join(root, 'node_modules', 'pkg'), { recursive: true });
  mkdirSync(path.join(root, '.git', 'objects'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'a.txt'), 'a');
  batches = [];
  logs = [];
});
afterEach(() => {
  watcher?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('WorkspaceWatcher', () => {
  it('watches every folder but heavy ones', async () => {
    await startWatcher();
    expect(watcher.isWatched('')).toBe(true);
    expect(watcher.isWatched('src/deep')).toBe(true);
    expect(watcher.isWatched('node_modules')).toBe(false);
    expect(watcher.isWatched('.git')).toBe(false);
  });

  it('reports created, changed and deleted files with kind and version, coalesced per path', async () => {
    await startWatcher();
    writeFileSync(path.join(root, 'src', 'deep', 'new.txt'), 'one');
    appendFileSync(path.join(root, 'src', 'deep', 'new.txt'), 'two');
    const created = await waitFor((change) => change.path === 'src/deep/new.txt');
    expect(created).toMatchObject({ type: 'created', kind: 'file' });
    expect(created.version).toMatch(/-6-/);
    expect(batches.flat().filter((change) => change.path === 'src/deep/new.txt')).toHaveLength(1);
    batches = [];
    appendFileSync(path.join(root, 'src', 'a.txt'), 'b');
    expect(await waitFor((change) => change.path === 'src/a.txt')).toMatchObject({ type: 'changed', kind: 'file' });
    rmSync(path.join(root, 'src', 'a.txt'));
    expect(await waitFor((change) => change.type === 'deleted')).toEqual({
      type: 'deleted',
      path: 'src/a.txt',
      kind: 'file',
    });
  });

  it('an atomic save (temp + rename) is one change; its temp file is never reported', async () => {
    await startWatcher();
    writeFileSync(path.join(root, 'src', '.berth-tmp-abc'), 'new');
    renameSync(path.join(root, 'src', '.berth-tmp-abc'), path.join(root, 'src', 'a.txt'));
    expect(await waitFor((change) => change.path === 'src/a.txt')).toMatchObject({ type: 'changed' });
    await quiet();
    expect(batches.flat().map((change) => change.path)).toEqual(['src/a.txt']);
  });

  it('watches new folders as they appear and forgets deleted ones', async () => {
    await startWatcher();
    mkdirSync(path.join(root, 'fresh'));
    expect(await waitFor((change) => change.path === 'fresh')).toMatchObject({ type: 'created', kind: 'dir' });
    await watcher.settle();
    expect(watcher.isWatched('fresh')).toBe(true);
    writeFileSync(path.join(root, 'fresh', 'inside.txt'), 'x');
    expect(await waitFor((change) => change.path === 'fresh/inside.txt')).toMatchObject({ type: 'created' });
    rmSync(path.join(root, 'src'), { recursive: true });
    expect(await waitFor((change) => change.path === 'src')).toMatchObject({ type: 'deleted', kind: 'dir' });
    await watcher.settle();
    expect(watcher.isWatched('src')).toBe(false);
    expect(watcher.isWatched('src/deep')).toBe(false);
  });

  it('reports a heavy folder itself but nothing inside it unless asked', async () => {
    await startWatcher();
    writeFileSync(path.join(root, 'node_modules', 'pkg', 'index.js'), '');
    writeFileSync(path.join(root, '.git', 'HEAD'), 'ref');
    mkdirSync(path.join(root, 'dist'));
    expect(await waitFor((change) => change.path === 'dist')).toMatchObject({ type: 'created', kind: 'dir' });
    await quiet();
    expect(batches.flat().map((change) => change.path)).toEqual(['dist']);
    await watcher.watchOnRequest('node_modules');
    writeFileSync(path.join(root, 'node_modules', 'other.js'), '');
    expect(await waitFor((change) => change.path === 'node_modules/other.js')).toMatchObject({ type: 'created' });
    // Only the folder asked for, not its sub-folders.
    expect(watcher.isWatched('node_modules/pkg')).toBe(false);
  });

  it('caps the number of folder watchers and says so once', async () => {
    for (let index = 0; index < 10; index++) mkdirSync(path.join(root, `d${index}`));
    await startWatcher(5);
    expect(watcher.watchedCount).toBe(5);
    expect(logs).toHaveLength(1);
  });

  it('stops reporting once disposed', async () => {
    await startWatcher();
    watcher.dispose();
    writeFileSync(path.join(root, 'late.txt'), '');
    await quiet();
    expect(batches).toEqual([]);
  });
});
