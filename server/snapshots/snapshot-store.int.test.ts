// The snapshot store on a real (embedded) PostgreSQL: blobs deduplicated across projects,
// a snapshot whole or absent, retention, and garbage collection that never takes a blob in use.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db';
import { makeTempDir, silentLog } from '../db/test-support';
import { encodeBlob } from './blob-codec';
import { SnapshotStore, type ManifestEntry } from './snapshot-store';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let db: Database;
let store: SnapshotStore;
let projectA: string;
let projectB: string;

beforeAll(async () => {
  tmp = await makeTempDir('berth-snapshot-store-');
  db = await openDatabase({ dataDir: tmp.path, migrationsDir, log: silentLog });
  store = new SnapshotStore(db.prisma);
  const user = await db.prisma.user.create({ data: { email: 'snap@example.com', name: 'Snap' } });
  projectA = (await db.prisma.project.create({ data: { ownerId: user.id, name: 'A', template: 'blank-node' } })).id;
  projectB = (await db.prisma.project.create({ data: { ownerId: user.id, name: 'B', template: 'blank-node' } })).id;
}, 60_000);

afterAll(async () => {
  await db?.close();
  await tmp?.remove();
});

function file(
  path: string,
  content: string,
  mode = 0o100644,
): { entry: ManifestEntry; blob: ReturnType<typeof encodeBlob> } {
  const blob = encodeBlob(Buffer.from(content));
  return { entry: { path, mode, size: blob.size, sha256: blob.sha256 }, blob };
}

describe('SnapshotStore', () => {
  it('stores a blob once, however many projects and snapshots use it', async () => {
    const shared = file('index.js', 'console.log("shared");\n'.repeat(50));
    expect(await store.missingBlobs([shared.entry.sha256])).toEqual(new Set([shared.entry.sha256]));
    const added = await store.putBlobs([shared.blob]);
    expect(added).toBe(shared.blob.storedSize);
    expect(await store.putBlobs([shared.blob])).toBe(0);
    await store.create({
      projectId: projectA,
      reason: 'manual',
      label: 'first',
      files: [shared.entry],
      skipped: [],
      newBytes: added,
      changedFiles: 1,
    });
    await store.create({
      projectId: projectB,
      reason: 'duplicate',
      files: [shared.entry],
      skipped: [],
      newBytes: 0,
      changedFiles: 1,
    });
    expect(await db.prisma.snapshotBlob.count({ where: { sha256: shared.entry.sha256 } })).toBe(1);
    expect((await store.readBlob(shared.entry.sha256)).toString()).toBe('console.log("shared");\n'.repeat(50));
  });

  it('writes a snapshot whole or not at all (a file whose blob is missing fails the lot)', async () => {
    const present = file('a.txt', 'present');
    await store.putBlobs([present.blob]);
    const absent = file('b.txt', 'never uploaded');
    const before = await db.prisma.snapshot.count({ where: { projectId: projectA } });
    await expect(
      store.create({
        projectId: projectA,
        reason: 'auto',
        files: [present.entry, absent.entry],
        skipped: [],
        newBytes: 0,
        changedFiles: 2,
      }),
    ).rejects.toThrow();
    expect(await db.prisma.snapshot.count({ where: { projectId: projectA } })).toBe(before);
  });

  it('lists newest first, with the manifest sorted by path and the totals', async () => {
    const one = file('src/one.ts', 'export const one = 1;\n');
    const link = file('link', 'src/one.ts', 0o120777);
    await store.putBlobs([one.blob, link.blob]);
    const made = await store.create({
      projectId: projectA,
      reason: 'auto',
      files: [one.entry, link.entry],
      skipped: [{ path: 'big.bin', size: 9e9, reason: 'too_large' }],
      newBytes: 10,
      changedFiles: 2,
    });
    const list = await store.list(projectA);
    expect(list[0]!.id).toBe(made.id);
    expect(made).toMatchObject({
      fileCount: 2,
      totalBytes: one.entry.size + link.entry.size,
      skipped: [{ path: 'big.bin', reason: 'too_large' }],
    });
    expect((await store.manifest(made.id)).map((entry) => [entry.path, entry.mode])).toEqual([
      ['link', 0o120777],
      ['src/one.ts', 0o100644],
    ]);
    expect((await store.latest(projectA))!.id).toBe(made.id);
    expect(await store.get(projectB, made.id)).toBeNull();
  });

  it('keeps every labelled snapshot and the newest N others', async () => {
    const content = file('x', 'x-content');
    await store.putBlobs([content.blob]);
    for (let i = 0; i < 5; i += 1)
      await store.create({
        projectId: projectB,
        reason: 'auto',
        files: [content.entry],
        skipped: [],
        newBytes: 0,
        changedFiles: 0,
      });
    await store.create({
      projectId: projectB,
      reason: 'manual',
      label: 'keep me',
      files: [content.entry],
      skipped: [],
      newBytes: 0,
      changedFiles: 0,
    });
    const removed = await store.prune(projectB, 2);
    const left = await store.list(projectB);
    expect(removed).toBe(4);
    expect(left.filter((s) => s.label === null)).toHaveLength(2);
    expect(left.map((s) => s.label)).toContain('keep me');
  });

  it("prunes a sync's snapshots apart: targets never push restore points out, before-sync ones kept to 20, none an applying apply needs", async () => {
    const owner = await db.prisma.project.findUniqueOrThrow({ where: { id: projectA }, select: { ownerId: true } });
    const projectId = (
      await db.prisma.project.create({ data: { ownerId: owner.ownerId, name: 'C', template: 'blank-node' } })
    ).id;
    let minute = 0;
    const make = async (reason: 'auto' | 'sync', label: string | null = null) =>
      (
        await store.create({
          projectId,
          reason,
          label,
          files: [],
          skipped: [],
          newBytes: 0,
          changedFiles: 0,
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute++)),
        })
      ).id;
    const restorePoints = [await make('auto'), await make('auto')];
    const befores: string[] = [];
    const targets: string[] = [];
    for (let i = 0; i < 25; i++) {
      befores.push(await make('sync', `before sync with other.example ${i}`));
      targets.push(await make('sync'));
    }
    // The oldest before snapshot and the oldest target belong to an apply still `applying`.
    await db.prisma.syncApply.create({
      data: { projectId, targetSnapshotId: targets[0]!, beforeSnapshotId: befores[0]!, status: 'applying' },
    });
    const manual = await make('sync', 'synced with other.example');
    await store.prune(projectId, 2);
    const left = new Set((await store.list(projectId)).map((snapshot) => snapshot.id));
    expect(restorePoints.every((id) => left.has(id))).toBe(true);
    expect(left.has(manual)).toBe(true);
    expect(befores.filter((id) => left.has(id))).toEqual([befores[0], ...befores.slice(5)]);
    expect(targets.filter((id) => left.has(id))).toEqual([targets[0], ...targets.slice(23)]);
  });

  it('collects unreferenced blobs past the grace period, never referenced ones', async () => {
    const orphan = file('orphan', 'nobody uses me');
    await store.putBlobs([orphan.blob]);
    // Within the grace period even an orphan stays (a snapshot may be about to use it).
    expect((await store.collectGarbage(60)).blobs).toBe(0);
    const referenced = (await store.manifest((await store.latest(projectA))!.id)).map((entry) => entry.sha256);
    const freed = await store.collectGarbage(0);
    expect(freed.blobs).toBeGreaterThanOrEqual(1);
    expect(await store.missingBlobs([orphan.entry.sha256])).toEqual(new Set([orphan.entry.sha256]));
    expect(await store.missingBlobs(referenced)).toEqual(new Set());
  });

  it('deleting a project deletes its snapshots; its blobs become collectable', async () => {
    const only = file('only-b', 'only in project B');
    await store.putBlobs([only.blob]);
    await store.create({
      projectId: projectB,
      reason: 'auto',
      files: [only.entry],
      skipped: [],
      newBytes: 0,
      changedFiles: 1,
    });
    await db.prisma.project.delete({ where: { id: projectB } });
    expect(await store.list(projectB)).toEqual([]);
    await store.collectGarbage(0);
    expect(await store.missingBlobs([only.entry.sha256])).toEqual(new Set([only.entry.sha256]));
  });
});
