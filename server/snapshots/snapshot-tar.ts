// A snapshot's files as a tar stream (owned by the workspace user), for restores through the
// agent and for seeding a brand-new volume through the engine. Blobs are read from PostgreSQL
// in batches, so a large project neither waits for every blob first nor holds them all.
import type { Readable } from 'node:stream';
import tarStreamModule from 'tar-stream';
import { cjsDefault } from '../core/cjs-default';
import type { ManifestEntry } from './snapshot-store';

const tarStream = cjsDefault(tarStreamModule);
const WORKSPACE_UID = 1000;
const READ_BATCH = 200;
export const S_IFMT = 0o170000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;

export const isSymlinkMode = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;

export function packSnapshot(entries: ManifestEntry[], readBlobs: (hashes: string[]) => Promise<Map<string, Buffer>>): Readable {
  const pack = tarStream.pack();
  void (async () => {
    for (let i = 0; i < entries.length; i += READ_BATCH) {
      const batch = entries.slice(i, i + READ_BATCH);
      const blobs = await readBlobs([...new Set(batch.map((entry) => entry.sha256))]);
      for (const entry of batch) {
        const content = blobs.get(entry.sha256);
        if (!content) throw new Error(`blob ${entry.sha256} of ${entry.path} is missing`);
        const common = { name: entry.path, mode: entry.mode & 0o7777, uid: WORKSPACE_UID, gid: WORKSPACE_UID, uname: 'dev', gname: 'dev' };
        await new Promise<void>((resolve, reject) => {
          const done = (error?: Error | null) => (error ? reject(error) : resolve());
          if (isSymlinkMode(entry.mode)) pack.entry({ ...common, type: 'symlink', linkname: content.toString('utf8') }, done);
          else pack.entry({ ...common, type: 'file', size: content.length }, content, done);
        });
      }
    }
    pack.finalize();
  })().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return pack as unknown as Readable;
}
