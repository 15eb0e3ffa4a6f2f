// FolderPeer keeping the user's files safe: present() names what stands on disk though the scan
// left it out; an apply never unlinks or renames over a file that changed since the scan (a save
// during the apply, a file recreated before a crashed apply is finished); on a case-folding file
// system, names that would land on one file are held instead of written; nothing resolves outside.
import { writeFileSync } from 'node:fs';
import { readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../agent/snapshot/file-hash';
import { S_IFREG } from '../sync/core/manifest-checks';
import { insideRoot, readJournal } from './apply-journal';
import { folderLayout } from './folder-layout';
import { useTempFolders } from './temp-folders.test-support';
import { FolderPeer, HeldPathsError, probeCaseInsensitive, type FolderPeerOptions } from './folder-peer';

const tempFolder = useTempFolders('berth-folder-safety-');

const peerOf = (root: string, options: Partial<FolderPeerOptions> = {}) =>
  new FolderPeer({
    layout: folderLayout(root),
    name: 'folder',
    project: { id: 'p1', name: 'app', template: 'blank-node' },
    ...options,
  });

const entry = (relative: string, content: string) => ({
  path: relative,
  mode: S_IFREG | 0o644,
  size: Buffer.byteLength(content),
  sha256: sha256Hex(content),
});

async function putContents(peer: FolderPeer, contents: string[]): Promise<void> {
  async function* blobs() {
    for (const content of contents) yield { sha256: sha256Hex(content), content: Buffer.from(content) };
  }
  await peer.putBlobs(blobs());
}

describe('FolderPeer.present', () => {
  it('names the paths the scan left out that stand on disk: ignored, too large, a symlink, a folder', async () => {
    const outside = await tempFolder({ 'secret.txt': 's' });
    const root = await tempFolder({
      '.gitignore': 'build/\n*.log\n',
      'build/out.js': 'o',
      'debug.log': 'l',
      'big.bin': 'x'.repeat(64),
      'dir/inner.txt': 'i',
      'a.txt': 'a',
    });
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'dangling-or-not'));
    const peer = peerOf(root, { maxFileBytes: 16 });
    const state = await peer.scan();
    expect(state.files.map((file) => file.path)).not.toContain('big.bin');
    const asked = [
      'build/out.js',
      'debug.log',
      'big.bin',
      'dir',
      'dangling-or-not',
      'gone.txt',
      'a.txt/not-a-folder',
      '../' + path.basename(outside) + '/secret.txt',
    ];
    expect((await peer.present(asked)).sort()).toEqual([
      'big.bin',
      'build/out.js',
      'dangling-or-not',
      'debug.log',
      'dir',
    ]);
  });
});

describe('FolderPeer apply keeps files that changed since the scan', () => {
  it('a save during the apply is kept, reported as held, and the rest applied', async () => {
    const root = await tempFolder({ 'edit.txt': 'old', 'drop.txt': 'drop', 'other.txt': 'o' });
    const peer = peerOf(root, {
      onJournalWritten: () => {
        // The user saves both files after the scan, while the apply runs.
        writeFileSync(path.join(root, 'edit.txt'), 'saved by the user');
        writeFileSync(path.join(root, 'drop.txt'), 'saved too, longer');
      },
    });
    const state = await peer.scan();
    await putContents(peer, ['incoming', 'new']);
    const files = [entry('edit.txt', 'incoming'), entry('other.txt', 'o'), entry('new.txt', 'new')];
    const error = await peer.apply({ expectedStateId: state.stateId, files, label: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeldPathsError);
    expect([...(error as HeldPathsError).held].sort()).toEqual(['drop.txt', 'edit.txt']);
    expect(await readFile(path.join(root, 'edit.txt'), 'utf8')).toBe('saved by the user');
    expect(await readFile(path.join(root, 'drop.txt'), 'utf8')).toBe('saved too, longer');
    expect(await readFile(path.join(root, 'new.txt'), 'utf8')).toBe('new');
    expect(await readJournal(folderLayout(root))).toBeUndefined();
  });

  it('a file created where a new one goes, during the apply, is kept', async () => {
    const root = await tempFolder({ 'a.txt': 'a' });
    const peer = peerOf(root, {
      onJournalWritten: () => writeFileSync(path.join(root, 'b.txt'), 'mine'),
    });
    const state = await peer.scan();
    await putContents(peer, ['theirs']);
    await expect(
      peer.apply({
        expectedStateId: state.stateId,
        files: [entry('a.txt', 'a'), entry('b.txt', 'theirs')],
        label: 'x',
      }),
    ).rejects.toThrow(/b\.txt/);
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('mine');
  });

  it('replaying a journal after a crash leaves a file the user recreated since', async () => {
    const root = await tempFolder({ 'gone.txt': 'to delete', 'edit.txt': 'old' });
    const crash = new Error('crash');
    const crashing = peerOf(root, {
      onJournalWritten: () => {
        throw crash;
      },
    });
    const state = await crashing.scan();
    await putContents(crashing, ['incoming']);
    const files = [entry('edit.txt', 'incoming')];
    await expect(crashing.apply({ expectedStateId: state.stateId, files, label: 'x' })).rejects.toBe(crash);
    expect(await readJournal(folderLayout(root))).toBeDefined();
    // Before the next run: the delete had happened, then the user made the file again; and edited the other.
    await unlink(path.join(root, 'gone.txt'));
    await writeFile(path.join(root, 'gone.txt'), 'recreated by the user');
    await writeFile(path.join(root, 'edit.txt'), 'edited after the crash');
    const notes: string[] = [];
    const next = await peerOf(root, { onNote: (note) => notes.push(note) }).scan();
    expect(await readFile(path.join(root, 'gone.txt'), 'utf8')).toBe('recreated by the user');
    expect(await readFile(path.join(root, 'edit.txt'), 'utf8')).toBe('edited after the crash');
    expect(notes.join('\n')).toMatch(/gone\.txt/);
    expect(notes.join('\n')).toMatch(/edit\.txt/);
    expect(next.files.map((file) => file.path)).toEqual(['edit.txt', 'gone.txt']);
  });

  it('replaying a journal whose files are untouched finishes it', async () => {
    const root = await tempFolder({ 'gone.txt': 'to delete', 'edit.txt': 'old' });
    const crashing = peerOf(root, {
      onJournalWritten: () => {
        throw new Error('crash');
      },
    });
    const state = await crashing.scan();
    await putContents(crashing, ['incoming']);
    await crashing
      .apply({ expectedStateId: state.stateId, files: [entry('edit.txt', 'incoming')], label: 'x' })
      .catch(() => undefined);
    const next = await peerOf(root).scan();
    expect(next.files).toEqual([entry('edit.txt', 'incoming')]);
  });
});

describe('FolderPeer on a case-folding file system', () => {
  it('holds names of the target that fold to one file instead of writing both, and deletes neither', async () => {
    const root = await tempFolder({ 'README.md': 'upper', 'a.txt': 'a' });
    const peer = peerOf(root, { caseInsensitive: async () => true });
    const state = await peer.scan();
    await putContents(peer, ['lower', 'b', 'cafe']);
    const files = [
      entry('README.md', 'upper'),
      entry('Readme.md', 'lower'),
      entry('a.txt', 'a'),
      entry('b.txt', 'b'),
      // The same name composed (NFC) and decomposed (NFD).
      entry('caf\u00e9.txt', 'cafe'),
      entry('cafe\u0301.txt', 'cafe'),
    ];
    const error = await peer.apply({ expectedStateId: state.stateId, files, label: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeldPathsError);
    expect([...(error as HeldPathsError).held].sort()).toEqual(
      ['README.md', 'Readme.md', 'caf\u00e9.txt', 'cafe\u0301.txt'].sort(),
    );
    expect(await readFile(path.join(root, 'README.md'), 'utf8')).toBe('upper');
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('b');
    const after = await peer.scan();
    expect(after.files.map((file) => file.path)).toEqual(['README.md', 'a.txt', 'b.txt']);
  });

  it('renames a file to another case (the old name deleted first) without a collision', async () => {
    const root = await tempFolder({ 'Readme.md': 'doc' });
    const peer = peerOf(root, { caseInsensitive: async () => true });
    const state = await peer.scan();
    const result = await peer.apply({ expectedStateId: state.stateId, files: [entry('README.md', 'doc')], label: 'x' });
    expect(result).toMatchObject({ written: 1, deleted: 1 });
    expect((await peer.scan()).files.map((file) => file.path)).toEqual(['README.md']);
  });

  it('on a case-sensitive file system writes both', async () => {
    const root = await tempFolder({ 'README.md': 'upper' });
    const peer = peerOf(root, { caseInsensitive: async () => false });
    const state = await peer.scan();
    await putContents(peer, ['lower']);
    const files = [entry('README.md', 'upper'), entry('Readme.md', 'lower')];
    await peer.apply({ expectedStateId: state.stateId, files, label: 'x' });
    expect(await readFile(path.join(root, 'Readme.md'), 'utf8')).toBe('lower');
  });

  it('the probe tells this file system apart (Linux tmp: case-sensitive)', async () => {
    const root = await tempFolder();
    expect(await probeCaseInsensitive(folderLayout(root).state)).toBe(process.platform === 'darwin');
  });
});

describe('insideRoot', () => {
  it('refuses paths that resolve outside the folder', () => {
    expect(insideRoot('/srv/app', 'src/a.ts')).toBe(path.resolve('/srv/app/src/a.ts'));
    for (const bad of ['../x', '/etc/passwd', 'a/../../x', '.', ''])
      expect(() => insideRoot('/srv/app', bad)).toThrow(/outside/);
  });
});
