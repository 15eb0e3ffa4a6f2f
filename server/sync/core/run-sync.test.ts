import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../contracts/sync';
import { MemoryPeer } from './memory-peer.test-support';
import { runSync, type RunSyncOutcome, type SyncBase } from './run-sync';

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
});
