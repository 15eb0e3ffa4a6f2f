// The bundle manifest is checked whole before anything is written: a path twice in one snapshot,
// an unsafe path, an unsupported mode or a malformed base are refused; a full and an incremental
// manifest both read back as written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedFileCount, readBundleManifest } from './bundle-format';
import { readZip } from './zip';
import { rawZip } from './zip/test-raw-zip';

const SHA = 'a'.repeat(64);
const file = (p: string, mode = 0o100644) => ({ path: p, mode, size: 1, sha256: SHA });
const snapshot = (files: object[]) => ({
  createdAt: '2026-01-01T00:00:00.000Z',
  reason: 'manual',
  label: null,
  skipped: [],
  files,
});
const manifest = (extra: object) => ({
  format: 'berth-bundle/1',
  project: { name: 'P', template: 'blank-node' },
  snapshots: [snapshot([file('a.txt')])],
  ...extra,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'berth-bundle-format-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

let count = 0;
async function read(json: object) {
  const zipFile = path.join(dir, `${count++}.zip`);
  await writeFile(zipFile, rawZip([{ name: 'berth-bundle.json', data: Buffer.from(JSON.stringify(json)) }]));
  const zip = await readZip(zipFile, {});
  try {
    return await readBundleManifest(zip);
  } finally {
    zip.close();
  }
}

describe('readBundleManifest', () => {
  it('reads a full and an incremental manifest', async () => {
    expect((await read(manifest({}))).incremental).toBeUndefined();
    const base = { manifestHash: SHA, fileCount: 3, createdAt: '2026-01-01T00:00:00.000Z', label: 'Base' };
    const incremental = await read(manifest({ incremental: { base }, snapshots: [] }));
    expect(incremental.incremental).toEqual({ base });
    expect(incremental.snapshots).toEqual([]);
  });

  it('refuses a path twice in one snapshot, an unsafe path, a directory mode and a malformed base', async () => {
    await expect(read(manifest({ snapshots: [snapshot([file('a'), file('a')])] }))).rejects.toMatchObject({
      code: 'bad_bundle',
      message: 'a appears twice in one snapshot',
    });
    await expect(read(manifest({ snapshots: [snapshot([file('x/../../etc')])] }))).rejects.toMatchObject({
      code: 'bad_path',
    });
    await expect(read(manifest({ snapshots: [snapshot([file('d', 0o040755)])] }))).rejects.toMatchObject({
      code: 'bad_bundle',
      message: 'd has an unsupported mode 40755',
    });
    await expect(
      read(manifest({ incremental: { base: { manifestHash: 'nope', fileCount: 1, createdAt: 'x', label: null } } })),
    ).rejects.toMatchObject({ code: 'bad_bundle' });
  });
});

describe('changedFileCount', () => {
  it('counts added, changed (content or mode) and removed files', () => {
    const before = [file('same'), file('changed'), file('mode'), file('removed')];
    const after = [file('same'), { ...file('changed'), sha256: 'b'.repeat(64) }, file('mode', 0o100755), file('added')];
    expect(changedFileCount(before, after)).toBe(4);
    expect(changedFileCount(after, after)).toBe(0);
  });
});
