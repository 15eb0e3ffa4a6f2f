// An apply racing the user's saves (review H3): a save between the state read and the before
// snapshot refuses the apply (409 changed_meanwhile, nothing written), and the volume write names
// only the paths the plan changes, so a file saved elsewhere after the before snapshot stays.
// PeerApplier with a real PeerStateReader over in-memory snapshots.
import { describe, expect, it } from 'vitest';
import type { SnapshotDto, SyncManifestEntry } from '../../contracts';
import type { PrismaClient } from '../../db';
import type { BlobScope } from './blob-scope';
import { PeerApplier, type ApplyDeps } from './peer-apply';
import { PeerStateReader } from './peer-state';

const entry = (path: string, hash: string): SyncManifestEntry => ({
  path,
  mode: 0o100644,
  size: 1,
  sha256: hash.repeat(64),
});

function setup(beforeFiles: SyncManifestEntry[]) {
  const manifests = new Map<string, SyncManifestEntry[]>([['s1', [entry('a.txt', 'a'), entry('b.txt', 'b')]]]);
  const snapshot = (id: string) => ({ id }) as SnapshotDto;
  const applied: { snapshotId: string; only?: ReadonlySet<string> }[] = [];
  const created: string[] = [];
  const state = new PeerStateReader(
    {
      take: () => Promise.resolve({ snapshot: snapshot('s1') }),
      latest: () => Promise.resolve(snapshot('s1')),
      manifest: (id) => Promise.resolve(manifests.get(id)!),
    },
    { syncFingerprints: () => Promise.resolve([]), exportWithIds: () => Promise.resolve([]) },
    () => true,
  );
  const tx = { syncApply: { create: () => Promise.resolve({}) } };
  const prisma = {
    syncApply: {
      findMany: () => Promise.resolve([]),
      updateMany: () => Promise.resolve({ count: 1 }),
    },
  } as unknown as PrismaClient;
  const deps: ApplyDeps = {
    prisma,
    snapshots: {
      take: (_projectId, _reason, label) => {
        manifests.set('before', beforeFiles);
        return Promise.resolve({ snapshot: { ...snapshot('before'), label: label ?? null }, created: true });
      },
      applySnapshot: (_projectId, snapshotId, options) => {
        applied.push({ snapshotId, ...(options?.only ? { only: options.only } : {}) });
        return Promise.resolve({ written: 1, deleted: 0 });
      },
    },
    store: {
      create: (async (data: { files: SyncManifestEntry[] }, inside: (t: unknown, id: string) => Promise<void>) => {
        manifests.set('target', data.files);
        created.push('target');
        await inside(tx, 'target');
        return snapshot('target');
      }) as unknown as ApplyDeps['store']['create'],
    },
    workspaces: { ensureRunning: () => Promise.resolve() },
    conversations: {
      assertReplaceable: () => Promise.resolve(),
      replaceWithIds: () => Promise.resolve(),
      announceChanges: () => undefined,
    },
    state,
    scope: { held: () => Promise.resolve(new Map([['c'.repeat(64), 1]])) } as unknown as BlobScope,
  };
  return { applier: new PeerApplier(deps), applied, created, state };
}

describe('PeerApplier racing saves', () => {
  it('writes only the paths the plan changes', async () => {
    const { applier, applied, state } = setup([entry('a.txt', 'a'), entry('b.txt', 'b')]);
    const expected = (await state.current('u', { id: 'p' })).stateId;
    await applier.apply(
      'u',
      { id: 'p' },
      { expectedStateId: expected, label: 'before sync with x', changes: { put: [entry('a.txt', 'c')], delete: [] } },
    );
    expect(applied).toHaveLength(1);
    expect([...(applied[0]!.only ?? ['(everything)'])]).toEqual(['a.txt']);
  });

  it('refuses with changed_meanwhile when the before snapshot differs from the planned state', async () => {
    // b.txt saved between the state read and the before snapshot.
    const { applier, applied, created, state } = setup([entry('a.txt', 'a'), entry('b.txt', 'd')]);
    const expected = (await state.current('u', { id: 'p' })).stateId;
    await expect(
      applier.apply(
        'u',
        { id: 'p' },
        { expectedStateId: expected, label: 'before sync with x', changes: { put: [entry('a.txt', 'c')], delete: [] } },
      ),
    ).rejects.toMatchObject({ code: 'changed_meanwhile' });
    expect(applied).toEqual([]);
    expect(created).toEqual([]);
  });
});
