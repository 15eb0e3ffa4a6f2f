// Backups and berth undo on real temp folders: a sync between two FolderPeers (runSync, the base
// kept in .berth/ as berth sync keeps it) that overwrote, deleted and created files in the folder,
// undone; a file edited after the sync left alone; a crash mid-undo finished by the next run; the
// last ten backups kept and the contents only older ones needed pruned.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../agent/snapshot/file-hash';
import { S_IFREG } from '../sync/core/manifest-checks';
import { runSync } from '../sync/core/run-sync';
import { readJournal } from './apply-journal';
import { BACKUPS_KEPT, contentsInUse } from './folder-backups';
import { folderLayout } from './folder-layout';
import { useTempFolders } from './temp-folders.test-support';
import { FolderPeer } from './folder-peer';
import { readBaseFile, writeBaseFile } from './folder-state';
import { undoBackup } from './undo-folder';
import type { ConflictStrategy } from '../contracts/sync';

const tempFolder = useTempFolders('berth-undo-');

function peerOf(root: string, options: { onJournalWritten?: () => void } = {}): FolderPeer {
  return new FolderPeer({
    layout: folderLayout(root),
    name: path.basename(root),
    project: { id: 'p1', name: 'app', template: 'blank-node' },
    ...options,
  });
}

const read = (root: string, file: string) => readFile(path.join(root, file), 'utf8').catch(() => null);

/** One sync as berth sync runs it: runSync, then the base and its contents kept, unneeded objects pruned. */
async function syncFolders(local: FolderPeer, remote: FolderPeer, root: string, onConflict: ConflictStrategy) {
  const layout = folderLayout(root);
  const previous = await readBaseFile(layout);
  const outcome = await runSync({
    local,
    remote,
    base: previous?.base ?? null,
    request: { mode: 'both', onConflict },
  });
  expect(outcome.result.errors).toEqual([]);
  await local.keepContents(outcome.base.files);
  await writeBaseFile(layout, outcome.base, {
    localStateId: outcome.localStateId,
    remoteStateId: outcome.remoteStateId,
  });
  await local.objects.prune(await contentsInUse(layout, outcome.base.files));
  return outcome;
}

/** A folder and a "Berth" (another folder) in step, then changed on both sides and synced with remote-wins. */
async function syncedThenOverwritten() {
  const root = await tempFolder({ 'keep.txt': 'keep', 'edit.txt': 'base\n', 'gone.txt': 'gone', 'later.txt': 'l1' });
  const other = await tempFolder();
  await syncFolders(peerOf(root), peerOf(other), root, 'ask');
  expect(await read(other, 'gone.txt')).toBe('gone');

  await writeFile(path.join(root, 'edit.txt'), 'mine\n');
  await writeFile(path.join(other, 'edit.txt'), 'theirs\n');
  await rm(path.join(other, 'gone.txt'));
  await writeFile(path.join(other, 'later.txt'), 'l2');
  await mkdir(path.join(other, 'new'));
  await writeFile(path.join(other, 'new/file.txt'), 'created');
  const outcome = await syncFolders(peerOf(root), peerOf(other), root, 'remote');
  expect(await read(root, 'edit.txt')).toBe('theirs\n');
  expect(await read(root, 'gone.txt')).toBeNull();
  expect(await read(root, 'new/file.txt')).toBe('created');
  const id = outcome.result.beforeSnapshots?.local;
  expect(id).toBeTruthy();
  return { root, other, id: id! };
}

describe('folder backups', () => {
  it('a sync records each file it overwrote, deleted or created, with the contents it replaced kept', async () => {
    const { root, id } = await syncedThenOverwritten();
    const peer = peerOf(root);
    const backup = await peer.backups.read(id);
    expect(backup).toMatchObject({ kind: 'sync', label: expect.stringMatching(/^before sync with /) });
    const files = Object.fromEntries(backup!.files.map((file) => [file.path, file]));
    expect(Object.keys(files).sort()).toEqual(['edit.txt', 'gone.txt', 'later.txt', 'new/file.txt']);
    expect(files['edit.txt']).toMatchObject({
      before: { sha256: sha256Hex('mine\n') },
      after: { sha256: sha256Hex('theirs\n') },
      base: { sha256: sha256Hex('base\n') },
    });
    expect(files['gone.txt']).toMatchObject({ before: { sha256: sha256Hex('gone') }, after: null });
    expect(files['new/file.txt']).toMatchObject({ before: null, after: { sha256: sha256Hex('created') }, base: null });
    // The local edit the sync overwrote is kept, though no base names it.
    expect((await peer.objects.get(sha256Hex('mine\n')))?.toString()).toBe('mine\n');
  });

  it('keeps the last ten backups, and prunes contents only pruned backups needed', async () => {
    const root = await tempFolder({ 'f.txt': 'v0' });
    const layout = folderLayout(root);
    const peer = peerOf(root);
    const ids: string[] = [];
    for (let version = 1; version <= BACKUPS_KEPT + 2; version++) {
      const state = await peer.scan();
      const content = `v${version}`;
      await peer.objects.put(sha256Hex(content), Buffer.from(content));
      const entry = { path: 'f.txt', mode: S_IFREG | 0o644, size: content.length, sha256: sha256Hex(content) };
      const result = await peer.apply({ expectedStateId: state.stateId, files: [entry], label: `before v${version}` });
      ids.push(result.beforeSnapshotId!);
    }
    expect(new Set(ids).size).toBe(BACKUPS_KEPT + 2);
    expect(await peer.backups.ids()).toEqual(ids.slice(2));
    // v0 and v1 were needed only by the two backups pruned; v2…v11 stay for the ten left.
    await peer.objects.prune(await contentsInUse(layout, []));
    expect(await peer.objects.has(sha256Hex('v0'))).toBe(false);
    expect(await peer.objects.has(sha256Hex('v1'))).toBe(false);
    for (let version = 2; version <= BACKUPS_KEPT + 1; version++)
      expect(await peer.objects.has(sha256Hex(`v${version}`)), `v${version}`).toBe(true);
    // An older backup's file was changed since (by the later applies): left alone.
    const oldest = await undoBackup(layout, peer, ids[2]!);
    expect(oldest.changedSince).toEqual(['f.txt']);
    expect(await read(root, 'f.txt')).toBe(`v${BACKUPS_KEPT + 2}`);
  });
});

describe('berth undo', () => {
  it('puts back what a sync overwrote or deleted and removes what it created; the next sync asks again', async () => {
    const { root, other, id } = await syncedThenOverwritten();
    const layout = folderLayout(root);
    const outcome = await undoBackup(layout, peerOf(root), id);
    expect(outcome.restored.sort()).toEqual(['edit.txt', 'gone.txt', 'later.txt']);
    expect(outcome.removed).toEqual(['new/file.txt']);
    expect(outcome.changedSince).toEqual([]);
    expect(await read(root, 'edit.txt')).toBe('mine\n');
    expect(await read(root, 'gone.txt')).toBe('gone');
    expect(await read(root, 'later.txt')).toBe('l1');
    expect(await read(root, 'new/file.txt')).toBeNull();
    expect(await read(root, 'keep.txt')).toBe('keep');
    // The other side is not touched.
    expect(await read(other, 'edit.txt')).toBe('theirs\n');
    // Its own backup: undoing the undo is a redo.
    const own = await peerOf(root).backups.read(outcome.undoBackupId!);
    expect(own).toMatchObject({ kind: 'undo', undoes: id });
    // A second undo of the same sync finds nothing left to do.
    const again = await undoBackup(layout, peerOf(root), id);
    expect(again).toMatchObject({ restored: [], removed: [], undoBackupId: null });
    expect(again.already.sort()).toEqual(['edit.txt', 'gone.txt', 'later.txt', 'new/file.txt']);

    // The base went back too, so the next sync compares as that one did: the restored edit is a
    // conflict again (not an upload over the other side's), the other side's changes come again.
    const next = await runSync({
      local: peerOf(root),
      remote: peerOf(other),
      base: (await readBaseFile(layout))!.base,
      request: { mode: 'both', onConflict: 'ask' },
    });
    expect(next.result.conflicts).toMatchObject([{ path: 'edit.txt', outcome: 'unresolved' }]);
    expect(next.result.uploaded).toEqual([]);
    expect(await read(other, 'edit.txt')).toBe('theirs\n');
    expect(next.result.downloaded).toEqual(['gone.txt', 'later.txt', 'new/file.txt']);
  });

  it('leaves alone a file changed since the sync, and lists it', async () => {
    const { root, id } = await syncedThenOverwritten();
    await writeFile(path.join(root, 'edit.txt'), 'edited after the sync\n');
    await writeFile(path.join(root, 'new/file.txt'), 'kept working on it');
    const outcome = await undoBackup(folderLayout(root), peerOf(root), id);
    expect(outcome.changedSince.sort()).toEqual(['edit.txt', 'new/file.txt']);
    expect(outcome.restored.sort()).toEqual(['gone.txt', 'later.txt']);
    expect(await read(root, 'edit.txt')).toBe('edited after the sync\n');
    expect(await read(root, 'new/file.txt')).toBe('kept working on it');
    expect(await read(root, 'gone.txt')).toBe('gone');
  });

  it('an undo cut short after its journal is finished by the next run', async () => {
    const { root, id } = await syncedThenOverwritten();
    const layout = folderLayout(root);
    const crashing = peerOf(root, {
      onJournalWritten: () => {
        throw new Error('killed');
      },
    });
    await expect(undoBackup(layout, crashing, id)).rejects.toThrow('killed');
    // Nothing renamed yet: the folder is as the sync left it, the journal and the undo's backup wait.
    expect(await read(root, 'edit.txt')).toBe('theirs\n');
    expect(await readJournal(layout)).toBeDefined();
    const backups = await peerOf(root).backups.list();
    expect(backups.map((stored) => stored.backup.kind)).toEqual(['sync', 'undo']);

    const state = await peerOf(root).scan();
    expect(await readJournal(layout)).toBeUndefined();
    expect(await read(root, 'edit.txt')).toBe('mine\n');
    expect(await read(root, 'gone.txt')).toBe('gone');
    expect(await read(root, 'new/file.txt')).toBeNull();
    expect(state.files.map((file) => file.path)).toEqual(['edit.txt', 'gone.txt', 'keep.txt', 'later.txt']);
  });
});
