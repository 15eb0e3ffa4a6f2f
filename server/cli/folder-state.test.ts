import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncManifestSchema } from '../contracts/sync';
import { folderLayout } from './folder-layout';
import { isManifest, lastSyncedAt, noteSyncedAt, readBaseFile, writeBaseFile } from './folder-state';

const sha = 'c'.repeat(64);
const good = { path: 'src/a.ts', mode: 0o100644, size: 3, sha256: sha };

describe('isManifest (base.json file list, checked by a loop)', () => {
  it.each([
    ['a good list', [good]],
    ['an empty list', []],
    ['not a list', { 0: good }],
    ['an empty path', [{ ...good, path: '' }]],
    ['a path too long', [{ ...good, path: 'x'.repeat(1025) }]],
    ['a fractional mode', [{ ...good, mode: 1.5 }]],
    ['a negative size', [{ ...good, size: -1 }]],
    ['a size as text', [{ ...good, size: '3' }]],
    ['an upper-case hash', [{ ...good, sha256: 'C'.repeat(64) }]],
    ['a short hash', [{ ...good, sha256: 'c'.repeat(63) }]],
    ['a null entry', [null]],
    ['a missing field', [{ path: 'a', mode: 1, size: 1 }]],
  ])('agrees with syncManifestSchema on %s', (_name, value) => {
    expect(isManifest(value)).toBe(syncManifestSchema.safeParse(value).success);
  });
});

describe('base.json and the note of a later sync with nothing to do', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the later of the two dates, ignores a torn note, and refuses a damaged file list', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-folder-state-'));
    const layout = folderLayout(dir);
    await mkdir(layout.state);
    const base = { files: [good], conversations: {}, localStateId: 'l', remoteStateId: 'r', clean: true };
    await writeBaseFile(layout, base, { localStateId: 'l', remoteStateId: 'r' }, new Date('2026-01-01T00:00:00Z'));
    const read = await readBaseFile(layout);
    expect(read?.base.files).toEqual([good]);
    expect(await lastSyncedAt(layout, read)).toBe('2026-01-01T00:00:00.000Z');

    await noteSyncedAt(layout, new Date('2026-02-01T00:00:00Z'));
    expect(await lastSyncedAt(layout, read)).toBe('2026-02-01T00:00:00.000Z');
    await noteSyncedAt(layout, new Date('2025-12-01T00:00:00Z'));
    expect(await lastSyncedAt(layout, read)).toBe('2026-01-01T00:00:00.000Z');
    await writeFile(layout.syncedAt, '2026-0');
    expect(await lastSyncedAt(layout, read)).toBe('2026-01-01T00:00:00.000Z');
    expect(await lastSyncedAt(layout, undefined)).toBeNull();

    await writeFile(layout.base, JSON.stringify({ ...read, base: { ...base, files: [{ ...good, size: -1 }] } }));
    await expect(readBaseFile(layout)).rejects.toThrow(/does not hold a sync base/);
  });
});
