// An export that fails after its headers went out can only be cut off; it must at least be
// logged. And a name ZIP cannot carry is refused before anything is written.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ProjectDto, SnapshotDto } from '../contracts';
import { createLogger } from '../core/logger';
import { ProjectTransfer } from './project-transfer';
import type { ManifestEntry, SnapshotService, SnapshotStore } from '../snapshots';

const project = { id: 'p1', name: 'Demo', template: 'blank-node' } as ProjectDto;
const snapshot = { id: 's1' } as SnapshotDto;

function transferOf(manifest: ManifestEntry[], readBlob: () => Promise<Buffer>) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()),
  });
  const projects = { get: async () => project, create: async () => project, delete: async () => undefined };
  const workspaces = { ensureRunning: async () => undefined, agent: () => undefined };
  const store = { latest: async () => snapshot, manifest: async () => manifest, readBlob } as unknown as SnapshotStore;
  const transfer = new ProjectTransfer(
    projects,
    workspaces,
    {} as SnapshotService,
    store,
    { exportAll: async () => [], importAll: async () => undefined },
    { record: async () => undefined, list: async () => [] },
    {},
    createLogger('info', sink),
  );
  return { transfer, lines };
}

const file = (path: string): ManifestEntry => ({ path, mode: 0o100644, size: 1, sha256: 'a'.repeat(64) });

describe('ProjectTransfer export', () => {
  it('logs a ZIP stream that fails after it started', async () => {
    const { transfer, lines } = transferOf([file('a.txt')], async () => {
      throw new Error('blob read failed');
    });
    const out = new PassThrough();
    out.resume();
    let started = false;
    await expect(transfer.exportZip('u1', 'p1', out, () => (started = true))).rejects.toThrow(/blob read failed/);
    expect(started).toBe(true);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'export stream aborted', projectId: 'p1', kind: 'zip' }),
    ]);
  });

  it('refuses a backslash name with 422 unexportable_name before starting', async () => {
    const { transfer } = transferOf([file('a.txt'), file('a\\b.txt')], async () => Buffer.from('x'));
    let started = false;
    await expect(transfer.exportZip('u1', 'p1', new PassThrough(), () => (started = true))).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'unexportable_name',
      details: { path: 'a\\b.txt', count: 1 },
    });
    expect(started).toBe(false);
  });
});
