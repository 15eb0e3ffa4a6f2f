import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../contracts/sync';
import { ManifestRefusedError } from './manifest-checks';
import { conversation, EXEC_MODE, MemoryPeer, sha256 } from './memory-peer.test-support';
import { runSync, type RunSyncOutcome, type SyncBase } from './run-sync';
import { ChangedMeanwhileError, PeerRefusedError, type SyncProgress } from './sync-peer';

const both: SyncRequest = { mode: 'both', onConflict: 'merge' };

function peers(): { local: MemoryPeer; remote: MemoryPeer } {
  return { local: new MemoryPeer('laptop'), remote: new MemoryPeer('team') };
}

async function sync(
  local: MemoryPeer,
  remote: MemoryPeer,
  base: SyncBase | null,
  request: SyncRequest = both,
): Promise<RunSyncOutcome> {
  return runSync({ local, remote, base, request });
}

/** Both peers start from the same files, with the base a first sync agreed on. */
async function synced(
  files: Record<string, string>,
): Promise<{ local: MemoryPeer; remote: MemoryPeer; base: SyncBase }> {
  const { local, remote } = peers();
  for (const [path, content] of Object.entries(files)) local.write(path, content);
  const first = await sync(local, remote, null);
  expect(first.result.success).toBe(true);
  expect(remote.contents()).toEqual(files);
  return { local, remote, base: first.base };
}

describe('runSync', () => {
  it('copies both ways on the first sync and agrees on what both hold', async () => {
    const { local, remote } = peers();
    local.write('src/a.ts', 'a').write('same.txt', 'same');
    remote.write('README.md', 'readme').write('same.txt', 'same');
    const { result, base, localStateId, remoteStateId } = await sync(local, remote, null);
    expect(result).toMatchObject({ success: true, filesUploaded: 1, filesDownloaded: 1, conflicts: [], errors: [] });
    expect(result.uploaded).toEqual(['src/a.ts']);
    expect(result.downloaded).toEqual(['README.md']);
    expect(result.beforeSnapshots).toEqual({ local: 'laptop-before-1', remote: 'team-before-1' });
    expect(local.contents()).toEqual(remote.contents());
    expect(base.files.map((entry) => entry.path)).toEqual(['README.md', 'same.txt', 'src/a.ts']);
    expect(localStateId).toBe(local.stateId);
    expect(remoteStateId).toBe(remote.stateId);
    // The remote's apply is labelled with the local side's name and the other way round.
    expect(remote.applies[0]!.label).toBe('before sync with laptop');
    expect(local.applies[0]!.label).toBe('before sync with team');

    const again = await sync(local, remote, base);
    expect(again.result).toMatchObject({ success: true, filesUploaded: 0, filesDownloaded: 0 });
    expect(local.applies).toHaveLength(1);
    expect(remote.applies).toHaveLength(1);
    expect(again.base).toEqual(base);
  });

  it('sends only the blobs the other side lacks', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a', 'b.txt': 'b' });
    remote.blobsPut = 0;
    local.write('c.txt', 'a'); // same content as a.txt: the remote has it
    local.write('d.txt', 'new');
    const { result } = await sync(local, remote, base);
    expect(result.uploaded).toEqual(['c.txt', 'd.txt']);
    expect(remote.blobsPut).toBe(1);
  });

  it('upload changes only the remote and download only the local; the other side’s changes wait', async () => {
    const { local, remote, base } = await synced({ 'l.txt': 'l0', 'r.txt': 'r0' });
    local.write('l.txt', 'l1');
    remote.write('r.txt', 'r1');
    const up = await sync(local, remote, base, { mode: 'upload', onConflict: 'ask' });
    expect(up.result).toMatchObject({ filesUploaded: 1, filesDownloaded: 0, uploaded: ['l.txt'] });
    expect(up.result.beforeSnapshots).toEqual({ local: null, remote: 'team-before-2' });
    expect(local.read('r.txt')).toBe('r0');
    expect(remote.read('l.txt')).toBe('l1');
    // The local side's stateId stays: it was not applied.
    expect(up.localStateId).toBe(local.stateId);

    const down = await sync(local, remote, up.base, { mode: 'download', onConflict: 'ask' });
    expect(down.result).toMatchObject({ filesUploaded: 0, filesDownloaded: 1, downloaded: ['r.txt'], conflicts: [] });
    expect(local.contents()).toEqual(remote.contents());
    expect(down.base.files.map((entry) => entry.sha256)).toEqual(local.manifest().map((entry) => entry.sha256));
  });

  it('deletes on the other side and carries modes', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a', 'run.sh': 'echo' });
    local.remove('a.txt');
    remote.write('run.sh', 'echo', EXEC_MODE);
    const { result } = await sync(local, remote, base);
    expect(result).toMatchObject({ uploaded: ['a.txt'], downloaded: ['run.sh'], conflicts: [] });
    expect(remote.files.has('a.txt')).toBe(false);
    expect(local.files.get('run.sh')!.mode).toBe(EXEC_MODE);
  });

  describe('conflicts', () => {
    const start = { 'notes.md': 'one\ntwo\nthree\nfour\nfive\n' };

    it('local wins and remote wins', async () => {
      for (const strategy of ['local', 'remote'] as const) {
        const { local, remote, base } = await synced(start);
        local.write('notes.md', 'local\n');
        remote.write('notes.md', 'remote\n');
        const { result } = await sync(local, remote, base, { mode: 'both', onConflict: strategy });
        expect(result.conflicts).toMatchObject([{ kind: 'file', path: 'notes.md', outcome: strategy, text: true }]);
        expect(local.read('notes.md')).toBe(`${strategy}\n`);
        expect(remote.read('notes.md')).toBe(`${strategy}\n`);
      }
    });

    it('merge: a clean three-way merge on both sides', async () => {
      const { local, remote, base } = await synced(start);
      local.write('notes.md', 'ONE\ntwo\nthree\nfour\nfive\n');
      remote.write('notes.md', 'one\ntwo\nthree\nfour\nFIVE\n');
      const { result, base: after } = await sync(local, remote, base);
      const merged = 'ONE\ntwo\nthree\nfour\nFIVE\n';
      expect(result.conflicts).toMatchObject([{ path: 'notes.md', outcome: 'merged', text: true }]);
      expect(result).toMatchObject({ uploaded: ['notes.md'], downloaded: ['notes.md'] });
      expect(local.read('notes.md')).toBe(merged);
      expect(remote.read('notes.md')).toBe(merged);
      expect(after.files).toEqual(local.manifest());
    });

    it('merge: markers where both changed the same lines, on both sides, then nothing more to do', async () => {
      const { local, remote, base } = await synced(start);
      local.write('notes.md', 'one\ntwo\nthree (laptop)\nfour\nfive\n');
      remote.write('notes.md', 'one\ntwo\nthree (team)\nfour\nfive\n');
      const { result, base: after } = await sync(local, remote, base);
      const marked = 'one\ntwo\n<<<<<<< local\nthree (laptop)\n=======\nthree (team)\n>>>>>>> remote\nfour\nfive\n';
      expect(result.conflicts).toMatchObject([{ path: 'notes.md', outcome: 'markers', text: true }]);
      expect(local.read('notes.md')).toBe(marked);
      expect(remote.read('notes.md')).toBe(marked);
      const again = await sync(local, remote, after);
      expect(again.result).toMatchObject({ filesUploaded: 0, filesDownloaded: 0, conflicts: [] });
    });

    it('merge: a base the local side no longer holds makes the merge two-way', async () => {
      const { local, remote, base } = await synced(start);
      local.write('notes.md', 'one\ntwo\nthree\nfour\nfive\nlocal\n');
      remote.write('notes.md', 'remote\none\ntwo\nthree\nfour\nfive\n');
      local.blobs.delete(sha256(start['notes.md']));
      const { result } = await sync(local, remote, base);
      expect(result.conflicts).toMatchObject([{ outcome: 'markers' }]);
      expect(local.read('notes.md')).toBe(
        '<<<<<<< local\none\ntwo\nthree\nfour\nfive\nlocal\n=======\nremote\none\ntwo\nthree\nfour\nfive\n>>>>>>> remote\n',
      );
    });

    it('merge: a binary keeps both — the local file stays, the remote one is added as "name (remote).ext" on both', async () => {
      const { local, remote } = peers();
      local.write('logo.png', Buffer.from([0x89, 0x50, 0x00, 0x01]));
      const first = await sync(local, remote, null);
      local.write('logo.png', Buffer.from([0x89, 0x50, 0x00, 0x02]));
      remote.write('logo.png', Buffer.from([0x89, 0x50, 0x00, 0x03]));
      remote.write('logo (remote).png', 'someone else’s file');
      remote.blobsRead = 0;
      const { result, base } = await sync(local, remote, first.base);
      // The remote's logo once (read to tell text from binary, then kept), the other file once.
      expect(remote.blobsRead).toBe(2);
      expect(result.conflicts).toMatchObject([
        { path: 'logo.png', outcome: 'kept-both', keptAs: 'logo (remote 2).png', text: false },
      ]);
      for (const peer of [local, remote]) {
        expect(peer.files.get('logo.png')!.sha256).toBe(sha256(Buffer.from([0x89, 0x50, 0x00, 0x02])));
        expect(peer.files.get('logo (remote 2).png')!.sha256).toBe(sha256(Buffer.from([0x89, 0x50, 0x00, 0x03])));
      }
      expect(local.read('logo (remote).png')).toBe('someone else’s file');
      expect(result.uploaded).toEqual(['logo (remote 2).png', 'logo.png']);
      expect(result.downloaded).toEqual(['logo (remote 2).png', 'logo (remote).png']);
      const again = await sync(local, remote, base);
      expect(again.result.conflicts).toEqual([]);
      expect(again.result.filesUploaded + again.result.filesDownloaded).toBe(0);
    });

    it('ask changes nothing and lists the conflict; answering with resolutions settles it', async () => {
      const { local, remote, base } = await synced({ ...start, 'other.txt': 'x' });
      local.write('notes.md', 'local\n');
      remote.write('notes.md', 'remote\n');
      remote.write('other.txt', 'y');
      const asked = await sync(local, remote, base, { mode: 'both', onConflict: 'ask' });
      expect(asked.result.conflicts).toEqual([
        {
          kind: 'file',
          path: 'notes.md',
          base: sha256(start['notes.md']),
          local: sha256('local\n'),
          remote: sha256('remote\n'),
          text: true,
          outcome: 'unresolved',
        },
      ]);
      expect(asked.result.downloaded).toEqual(['other.txt']);
      expect(local.read('notes.md')).toBe('local\n');
      expect(remote.read('notes.md')).toBe('remote\n');
      // The base keeps the old entry: the conflict is still one next time.
      expect(asked.base.files.find((entry) => entry.path === 'notes.md')!.sha256).toBe(sha256(start['notes.md']));

      const answered = await sync(local, remote, asked.base, {
        mode: 'both',
        onConflict: 'ask',
        resolutions: { 'notes.md': 'remote' },
      });
      expect(answered.result.conflicts).toMatchObject([{ path: 'notes.md', outcome: 'remote' }]);
      expect(local.read('notes.md')).toBe('remote\n');
      expect(answered.result.filesUploaded).toBe(0);
    });

    it('ask reports a binary conflict as not text', async () => {
      const { local, remote, base } = await synced({ 'data.bin': 'start' });
      local.write('data.bin', Buffer.from([0, 1, 2]));
      remote.write('data.bin', Buffer.from([0, 1, 3]));
      const { result } = await sync(local, remote, base, { mode: 'both', onConflict: 'ask' });
      expect(result.conflicts).toMatchObject([{ path: 'data.bin', outcome: 'unresolved', text: false }]);
    });

    it('a file deleted on one side and changed on the other: merge keeps the changed file', async () => {
      const { local, remote, base } = await synced(start);
      local.remove('notes.md');
      remote.write('notes.md', 'changed\n');
      const { result } = await sync(local, remote, base);
      expect(result.conflicts).toMatchObject([{ path: 'notes.md', outcome: 'remote', local: null }]);
      expect(local.read('notes.md')).toBe('changed\n');
    });
  });

  it('plans again after a changed_meanwhile refusal and then succeeds', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a' });
    local.write('a.txt', 'mine');
    let refusals = 0;
    remote.beforeApply = (_input, peer) => {
      if (refusals++ === 0) peer.write('b.txt', 'written meanwhile');
    };
    const { result, base: after } = await sync(local, remote, base);
    expect(result).toMatchObject({ success: true, uploaded: ['a.txt'], downloaded: ['b.txt'] });
    expect(remote.applies).toHaveLength(3);
    expect(local.contents()).toEqual({ 'a.txt': 'mine', 'b.txt': 'written meanwhile' });
    expect(remote.contents()).toEqual(local.contents());
    expect(after.files).toEqual(local.manifest());
  });

  it('gives up after four refusals with a failed result and the old base', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a' });
    local.write('a.txt', 'mine');
    remote.beforeApply = (_input, peer) => void peer.write('busy.txt', String(peer.applies.length));
    const { result, base: after } = await sync(local, remote, base);
    expect(result.success).toBe(false);
    expect(result.errors[0]).toContain('kept changing');
    expect(remote.applies).toHaveLength(1 + 4);
    expect(after).toEqual(base);
  });

  it('a local refusal after the remote applied: the next plan takes up from there', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a', 'b.txt': 'b' });
    local.write('a.txt', 'local change');
    remote.write('b.txt', 'remote change');
    let first = true;
    local.beforeApply = () => {
      if (first) {
        first = false;
        throw new ChangedMeanwhileError();
      }
    };
    const { result } = await sync(local, remote, base);
    expect(result).toMatchObject({ success: true, uploaded: ['a.txt'], downloaded: ['b.txt'], conflicts: [] });
    expect(result.beforeSnapshots).toEqual({ local: 'laptop-before-1', remote: 'team-before-2' });
    expect(remote.applies).toHaveLength(2);
    expect(local.applies).toHaveLength(2);
    expect(local.contents()).toEqual(remote.contents());
  });

  it('an interrupted run (remote applied, local apply fails) is completed by the next run without conflicts', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    local.write('a.txt', 'local change').write('new.txt', 'new');
    remote.write('b.txt', 'remote change');
    remote.remove('c.txt');
    local.beforeApply = () => {
      throw new Error('connection reset');
    };
    const broken = await sync(local, remote, base);
    expect(broken.result).toMatchObject({
      success: false,
      errors: ['connection reset'],
      uploaded: ['a.txt', 'new.txt'],
    });
    expect(broken.result.beforeSnapshots).toEqual({ local: null, remote: 'team-before-2' });
    expect(broken.base).toEqual(base);
    expect(local.read('b.txt')).toBe('b');

    local.beforeApply = undefined;
    const resumed = await sync(local, remote, broken.base, { mode: 'both', onConflict: 'ask' });
    expect(resumed.result).toMatchObject({ success: true, conflicts: [], filesUploaded: 0 });
    expect(resumed.result.downloaded).toEqual(['b.txt', 'c.txt']);
    expect(remote.applies).toHaveLength(2);
    expect(local.contents()).toEqual(remote.contents());
    expect(resumed.base.files).toEqual(local.manifest());
  });

  it('refuses a hostile remote manifest before anything moves or is applied', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a' });
    local.write('a.txt', 'mine');
    remote.extraEntries = [{ path: '../../.bashrc', mode: 0o100644, size: 1, sha256: sha256('x') }];
    await expect(sync(local, remote, base)).rejects.toThrow(ManifestRefusedError);
    await expect(sync(local, remote, base)).rejects.toThrow('"../../.bashrc"');
    remote.extraEntries = [{ path: '.git/hooks/post-checkout', mode: 0o100755, size: 1, sha256: sha256('x') }];
    await expect(sync(local, remote, base)).rejects.toThrow('.git');
    expect(remote.applies).toHaveLength(1);
    expect(local.applies).toHaveLength(0);
    expect(remote.read('a.txt')).toBe('a');
  });

  it('never sends the local side’s .git/ and keeps it through the local apply', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a' });
    local.write('.git/HEAD', 'ref: refs/heads/main\n').write('vendor/.git/config', '[core]\n');
    remote.write('a.txt', 'remote change');
    const { result, base: after } = await sync(local, remote, base);
    expect(result).toMatchObject({ uploaded: [], downloaded: ['a.txt'] });
    expect(local.applies.at(-1)!.files.map((entry) => entry.path)).toEqual([
      'a.txt',
      '.git/HEAD',
      'vendor/.git/config',
    ]);
    expect(local.read('.git/HEAD')).toBe('ref: refs/heads/main\n');
    expect([...remote.files.keys()]).toEqual(['a.txt']);
    expect(after.files.map((entry) => entry.path)).toEqual(['a.txt']);
  });

  it('passes a refused token on to the caller', async () => {
    const { local, remote } = peers();
    remote.state = () => Promise.reject(new PeerRefusedError('The token was revoked'));
    await expect(sync(local, remote, null)).rejects.toThrow(PeerRefusedError);
  });

  it('a blob that fails on the way is a failed sync with nothing applied', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'a' });
    local.write('a.txt', 'changed');
    remote.putBlobs = () => Promise.reject(new Error('blob 1234 does not match its hash'));
    const { result } = await sync(local, remote, base);
    expect(result).toMatchObject({ success: false, errors: ['blob 1234 does not match its hash'], filesUploaded: 0 });
    expect(remote.applies).toHaveLength(1);
  });

  it('keeps the base it returns on the local side, fetching it from the remote when needed', async () => {
    const { local, remote, base } = await synced({ 'a.txt': 'agreed' });
    local.write('a.txt', 'local only');
    local.blobs.delete(sha256('agreed'));
    const { base: after } = await sync(local, remote, base, { mode: 'download', onConflict: 'ask' });
    expect(after.files).toEqual(base.files);
    expect(local.blobs.has(sha256('agreed'))).toBe(true);
  });

  it('reports progress: state, bytes up and down, applies', async () => {
    const { local, remote } = peers();
    local.write('up.bin', Buffer.alloc(1000, 1));
    remote.write('down.bin', Buffer.alloc(300, 2));
    const seen: SyncProgress[] = [];
    await runSync({ local, remote, base: null, request: both, onProgress: (progress) => seen.push(progress) });
    expect(seen).toContainEqual({ phase: 'state', done: 2, total: 2 });
    expect(seen.filter((p) => p.phase === 'upload').at(-1)).toEqual({ phase: 'upload', done: 1000, total: 1000 });
    expect(seen.filter((p) => p.phase === 'download').at(-1)).toEqual({ phase: 'download', done: 300, total: 300 });
    expect(seen.filter((p) => p.phase === 'apply').at(-1)).toEqual({ phase: 'apply', done: 2, total: 2 });
  });

  it('stops when the signal aborts', async () => {
    const { local, remote } = peers();
    local.write('a.txt', 'a');
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(runSync({ local, remote, base: null, request: both, signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
    expect(remote.applies).toHaveLength(0);
  });

  describe('conversations', () => {
    it('copies them both ways, keeps both when both changed, and leaves them out for a plain folder', async () => {
      const { local, remote } = peers();
      local.putConversation('c1', conversation('Plan', 'hello'));
      remote.putConversation('c2', conversation('Review', 'hi'));
      const first = await sync(local, remote, null);
      expect(first.result).toMatchObject({ conversationsUploaded: 1, conversationsDownloaded: 1 });
      expect([...remote.conversationsById.keys()].sort()).toEqual(['c1', 'c2']);
      expect(Object.keys(first.base.conversations).sort()).toEqual(['c1', 'c2']);

      local.putConversation('c1', conversation('Plan', 'hello', 'from the laptop'));
      remote.putConversation('c1', conversation('Plan', 'hello', 'from the team'));
      const second = await sync(local, remote, first.base);
      const [kept] = second.result.conflicts;
      expect(kept).toMatchObject({ kind: 'conversation', path: 'c1', title: 'Plan', outcome: 'kept-both' });
      for (const peer of [local, remote]) {
        expect(peer.conversationsById.get('c1')!.messages.map((m) => m.content)).toEqual(['hello', 'from the laptop']);
        const copy = peer.conversationsById.get(kept!.keptAs!)!;
        expect(copy.title).toBe('Plan (remote)');
        expect(copy.messages.map((m) => m.content)).toEqual(['hello', 'from the team']);
      }
      const third = await sync(local, remote, second.base);
      expect(third.result).toMatchObject({ conversationsUploaded: 0, conversationsDownloaded: 0, conflicts: [] });
      expect(local.applies).toHaveLength(2);

      const folder = new MemoryPeer('~/code/app', false).write('index.html', '<p>');
      const withFolder = await sync(folder, remote, null);
      expect(withFolder.result).toMatchObject({ uploaded: ['index.html'], conversationsDownloaded: 0 });
      expect(remote.applies.at(-1)!.files.map((entry) => entry.path)).toContain('index.html');
      expect(remote.applies.at(-1)!.conversations).toBeUndefined();
      expect(remote.conversationsById.size).toBe(3);
    });

    it('ask leaves a conversation changed on both sides as it is', async () => {
      const { local, remote } = peers();
      local.putConversation('c1', conversation('Plan', 'a'));
      const first = await sync(local, remote, null);
      local.putConversation('c1', conversation('Plan', 'b'));
      remote.putConversation('c1', conversation('Plan', 'c'));
      const { result } = await sync(local, remote, first.base, { mode: 'both', onConflict: 'ask' });
      expect(result.conflicts).toMatchObject([{ kind: 'conversation', outcome: 'unresolved', text: false }]);
      expect(result.conversationsUploaded + result.conversationsDownloaded).toBe(0);
    });
  });

  describe('paths a side holds on disk outside its state (ignored, too large, unreadable)', () => {
    it('a path the remote stops syncing (now ignored there) is not deleted locally; the base keeps it', async () => {
      const { local, remote, base } = await synced({ 'data/big.csv': 'precious', 'x.txt': 'x' });
      // The remote ignores data/ from now on: the file stays on its disk, out of its state.
      remote.remove('data/big.csv');
      remote.unlisted.add('data/big.csv');
      const askedBefore = [local.presentAsked.length, remote.presentAsked.length];
      const { result, base: next } = await sync(local, remote, base);
      expect(result.success).toBe(true);
      expect(local.read('data/big.csv')).toBe('precious');
      expect(result.downloaded).toEqual([]);
      expect(result.held).toEqual([{ path: 'data/big.csv', reason: expect.stringContaining('not deleted on laptop') }]);
      expect(next.files.map((entry) => entry.path)).toEqual(['data/big.csv', 'x.txt']);
      // Asked once, of the one side that lacks the path.
      expect(remote.presentAsked.slice(askedBefore[1])).toEqual([['data/big.csv']]);
      expect(local.presentAsked.slice(askedBefore[0])).toEqual([]);

      // Still held on the next run; a path gone from disk too is deleted as before.
      expect((await sync(local, remote, next)).result.held).toHaveLength(1);
      remote.unlisted.delete('data/big.csv');
      const gone = await sync(local, remote, next);
      expect(gone.result.downloaded).toEqual(['data/big.csv']);
      expect(local.read('data/big.csv')).toBeUndefined();
    });

    it('the same holds the other way round (skipped locally for its size → kept on the remote)', async () => {
      const { local, remote, base } = await synced({ 'big.bin': 'grew', 'x.txt': 'x' });
      local.remove('big.bin');
      local.unlisted.add('big.bin');
      const { result } = await sync(local, remote, base, { mode: 'both', onConflict: 'remote' });
      expect(remote.read('big.bin')).toBe('grew');
      expect(result.uploaded).toEqual([]);
      expect(result.held).toMatchObject([{ path: 'big.bin' }]);
    });

    it('a write over a file the receiver holds outside its state is an unresolved conflict, whatever the strategy', async () => {
      for (const onConflict of ['local', 'remote', 'merge', 'ask'] as const) {
        const { local, remote, base } = await synced({ 'a.txt': 'a' });
        local.write('.env', 'SECRET=laptop');
        // The remote has its own .env, ignored there.
        remote.unlisted.add('.env');
        const { result } = await sync(local, remote, base, { mode: 'both', onConflict });
        expect(result.success).toBe(true);
        expect(remote.files.has('.env')).toBe(false);
        expect(result.uploaded).toEqual([]);
        expect(result.conflicts).toEqual([
          expect.objectContaining({ kind: 'file', path: '.env', outcome: 'unresolved', text: false }),
        ]);
        expect(result.held).toMatchObject([{ path: '.env', reason: expect.stringContaining('not written over') }]);
        expect(remote.applies.slice(1)).toEqual([]);
      }
    });

    it('on a first sync too, and a kept-both copy avoids a name the other side holds unlisted', async () => {
      const { local, remote } = peers();
      local.write('.env', 'mine').write('img.png', Buffer.from([0, 1, 2]));
      remote.write('img.png', Buffer.from([0, 9, 9]));
      remote.unlisted.add('.env').add('img (remote).png');
      const { result } = await sync(local, remote, null);
      expect(remote.files.has('.env')).toBe(false);
      expect(result.conflicts).toEqual([
        expect.objectContaining({ path: '.env', outcome: 'unresolved' }),
        expect.objectContaining({ path: 'img.png', outcome: 'kept-both', keptAs: 'img (remote 2).png' }),
      ]);
    });

    it('a peer without present() is asked nothing: its absence is a deletion as before', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a', 'b.txt': 'b' });
      remote.remove('b.txt');
      remote.unlisted.add('b.txt');
      Object.defineProperty(remote, 'present', { value: undefined });
      const { result } = await sync(local, remote, base);
      expect(result.downloaded).toEqual(['b.txt']);
      expect(local.read('b.txt')).toBeUndefined();
      expect(result.held).toBeUndefined();
    });

    it('ignores paths a peer names present that were not asked about', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a', 'b.txt': 'b' });
      remote.remove('b.txt');
      remote.present = () => Promise.resolve(['a.txt', 'elsewhere.txt']);
      const { result } = await sync(local, remote, base);
      expect(result.downloaded).toEqual(['b.txt']);
      expect(result.held).toBeUndefined();
    });
  });

  describe('blob sizes', () => {
    it('refuses a blob longer than the manifest gave, before anything is applied', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a' });
      remote.write('a.txt', 'remote change');
      const entry = remote.manifest().find((e) => e.path === 'a.txt')!;
      // The remote's state gives a smaller size than the content it then sends.
      const realState = remote.state.bind(remote);
      remote.state = async () => {
        const state = await realState();
        if ('unchanged' in state) return state;
        return { ...state, files: state.files.map((e) => (e.path === 'a.txt' ? { ...e, size: entry.size - 5 } : e)) };
      };
      const { result } = await sync(local, remote, base);
      expect(result.success).toBe(false);
      expect(result.errors[0]).toMatch(
        /sent 13 bytes for the content .* does not match the size its manifest gave \(8\)/,
      );
      expect(local.read('a.txt')).toBe('a');
      expect(local.applies).toHaveLength(0);
    });
  });

  describe('resolutions bound to the versions they were made on', () => {
    it('applies while both sides hold those versions and lists the conflict again after a newer change', async () => {
      const { local, remote, base } = await synced({ 'notes.md': 'base\n' });
      local.write('notes.md', 'local A\n');
      remote.write('notes.md', 'remote B\n');
      const ask = await sync(local, remote, base, { mode: 'both', onConflict: 'ask' });
      const [shown] = ask.result.conflicts;
      expect(shown).toMatchObject({ outcome: 'unresolved' });
      const answer = { choice: 'remote' as const, local: shown!.local, remote: shown!.remote };

      // The remote changed again (C) after the user compared A with B: the answer no longer holds.
      remote.write('notes.md', 'remote C\n');
      const stale = await sync(local, remote, ask.base, {
        mode: 'both',
        onConflict: 'ask',
        resolutions: { 'notes.md': answer },
      });
      expect(stale.result.conflicts).toMatchObject([
        { path: 'notes.md', outcome: 'unresolved', remote: sha256('remote C\n') },
      ]);
      expect(local.read('notes.md')).toBe('local A\n');

      // Answered on what is there now: taken. A bare choice still applies whatever the versions.
      const fresh = await sync(local, remote, stale.base, {
        mode: 'both',
        onConflict: 'ask',
        resolutions: { 'notes.md': { choice: 'remote', local: sha256('local A\n'), remote: sha256('remote C\n') } },
      });
      expect(fresh.result.conflicts).toMatchObject([{ path: 'notes.md', outcome: 'remote' }]);
      expect(local.read('notes.md')).toBe('remote C\n');
    });

    it('holds for conversations by version too', async () => {
      const { local, remote } = peers();
      local.putConversation('c1', conversation('Chat', 'one'));
      const first = await sync(local, remote, null);
      local.putConversation('c1', conversation('Chat', 'local'));
      remote.putConversation('c1', conversation('Chat', 'remote'));
      const ask = await sync(local, remote, first.base, { mode: 'both', onConflict: 'ask' });
      const [shown] = ask.result.conflicts;
      remote.putConversation('c1', conversation('Chat', 'remote, later'));
      const stale = await sync(local, remote, ask.base, {
        mode: 'both',
        onConflict: 'ask',
        resolutions: { c1: { choice: 'remote', local: shown!.local, remote: shown!.remote } },
      });
      expect(stale.result.conflicts).toMatchObject([{ kind: 'conversation', outcome: 'unresolved' }]);
      expect(local.conversationsById.get('c1')!.messages[0]!.content).toBe('local');
    });
  });

  describe('nothing to do after a clean sync (the fast path)', () => {
    /** The calls each peer saw beyond state(): any of them means the fast path was not taken. */
    const work = (peer: MemoryPeer) => ({
      applies: peer.applies.length,
      blobsPut: peer.blobsPut,
      blobsRead: peer.blobsRead,
      missing: peer.missingCalls,
      conversations: peer.conversationCalls,
      present: peer.presentAsked.length,
    });

    it('a clean sync records both stateIds; with both unchanged the next one reads no manifest and changes nothing', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a', 'src/b.ts': 'b' });
      expect(base).toMatchObject({ localStateId: local.stateId, remoteStateId: remote.stateId, clean: true });
      const before = { local: work(local), remote: work(remote) };
      const asked = remote.statesAsked.length;

      const again = await sync(local, remote, base);
      expect(again.nothingToDo).toBe(true);
      expect(again.result).toMatchObject({
        success: true,
        filesUploaded: 0,
        filesDownloaded: 0,
        conversationsUploaded: 0,
        conversationsDownloaded: 0,
        conflicts: [],
        errors: [],
        uploaded: [],
        downloaded: [],
        beforeSnapshots: { local: null, remote: null },
      });
      expect(again.base).toBe(base);
      expect([again.localStateId, again.remoteStateId]).toEqual([local.stateId, remote.stateId]);
      // The remote was asked once, with the stateId it had: it answered "unchanged".
      expect(remote.statesAsked.slice(asked)).toEqual([base.remoteStateId]);
      expect({ local: work(local), remote: work(remote) }).toEqual(before);
    });

    it('is not taken when the local side changed: the remote is asked again for its full state', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a' });
      const asked = remote.statesAsked.length;
      local.write('a.txt', 'a2');
      const next = await sync(local, remote, base);
      expect(next.nothingToDo).toBeUndefined();
      expect(next.result.uploaded).toEqual(['a.txt']);
      expect(remote.read('a.txt')).toBe('a2');
      expect(remote.statesAsked.slice(asked)).toEqual([base.remoteStateId, undefined]);
      expect(next.base).toMatchObject({ localStateId: local.stateId, remoteStateId: remote.stateId, clean: true });
    });

    it('is not taken when the remote changed: its answer to known is the full state, asked once', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a' });
      const asked = remote.statesAsked.length;
      remote.write('b.txt', 'b');
      const next = await sync(local, remote, base);
      expect(next.nothingToDo).toBeUndefined();
      expect(next.result.downloaded).toEqual(['b.txt']);
      expect(local.read('b.txt')).toBe('b');
      expect(remote.statesAsked.slice(asked)).toEqual([base.remoteStateId]);
    });

    it('is not taken after a sync that left a conflict open: ask lists it again', async () => {
      const { local, remote, base } = await synced({ 'notes.md': 'one\n' });
      local.write('notes.md', 'local\n');
      remote.write('notes.md', 'remote\n');
      const ask = { mode: 'both', onConflict: 'ask' } as const;
      const asked = await sync(local, remote, base, ask);
      expect(asked.base.clean).toBe(false);
      const statesBefore = remote.statesAsked.length;
      const again = await sync(local, remote, asked.base, ask);
      expect(again.nothingToDo).toBeUndefined();
      expect(remote.statesAsked.slice(statesBefore)).toEqual([undefined]);
      expect(again.result.conflicts).toMatchObject([{ path: 'notes.md', outcome: 'unresolved' }]);
    });

    it('is not taken after a one-way sync, a failed one, or with a base from before these fields', async () => {
      const { local, remote, base } = await synced({ 'l.txt': 'l0', 'r.txt': 'r0' });
      local.write('l.txt', 'l1');
      remote.write('r.txt', 'r1');
      const up = await sync(local, remote, base, { mode: 'upload', onConflict: 'ask' });
      expect(up.base.clean).toBe(false);
      // Both sides are now at the stateIds that run saw, yet the remote's r.txt still waits.
      const down = await sync(local, remote, up.base);
      expect(down.nothingToDo).toBeUndefined();
      expect(local.read('r.txt')).toBe('r1');

      local.write('l.txt', 'l2');
      remote.beforeApply = () => {
        throw new Error('disk full');
      };
      const failed = await sync(local, remote, down.base);
      expect(failed.result.success).toBe(false);
      expect(failed.base).toBe(down.base);
      remote.beforeApply = undefined;

      const { files, conversations } = (await sync(local, remote, down.base)).base;
      const asked = remote.statesAsked.length;
      const old = await sync(local, remote, { files, conversations });
      expect(old.nothingToDo).toBeUndefined();
      expect(remote.statesAsked.slice(asked)).toEqual([undefined]);
      expect(old.base.clean).toBe(true);
    });

    it('takes the full path on a retry after changed_meanwhile (a fresh state, not known)', async () => {
      const { local, remote, base } = await synced({ 'a.txt': 'a' });
      local.write('a.txt', 'a2');
      let refused = false;
      remote.beforeApply = (_input, peer) => {
        if (refused) return;
        refused = true;
        peer.write('b.txt', 'b');
      };
      const asked = remote.statesAsked.length;
      const next = await sync(local, remote, base);
      expect(next.result.success).toBe(true);
      expect(remote.statesAsked.slice(asked)).toEqual([base.remoteStateId, undefined, undefined]);
      expect(local.contents()).toEqual(remote.contents());
    });
  });
});
