// A snapshot's files as a tar stream (owned by the workspace user), for restores through the
// agent and for seeding a brand-new volume through the engine (folders included then). Blobs
// are read from PostgreSQL in batches, so a large project neither waits for every blob first
// nor holds them all.
import type { Readable } from 'node:stream';
import tarStreamModule from 'tar-stream';
import { cjsDefault } from '../core/cjs-default';
import type { ManifestEntry } from './snapshot-store';

const tarStream = cjsDefault(tarStreamModule);
const WORKSPACE_UID = 1000;
const READ_BATCH = 200;
/** Folders are not in manifests; a restored one gets the usual mode. */
const FOLDER_MODE = 0o755;
export const S_IFMT = 0o170000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;

export const isSymlinkMode = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;

export interface PackOptions {
  /**
   * Also write an entry for every folder, before its first file, owned by the workspace user.
   * Needed when the tar is extracted as root (seeding a new volume through the engine): folders
   * it would otherwise create on its own belong to root, and the user could no longer write
   * into them. Not for the agent, which runs as the user and keeps existing folders' modes.
   */
  folders?: boolean;
}

export function packSnapshot(
  entries: ManifestEntry[],
  readBlobs: (hashes: string[]) => Promise<Map<string, Buffer>>,
  options: PackOptions = {},
): Readable {
  const pack = tarStream.pack();
  const owner = { uid: WORKSPACE_UID, gid: WORKSPACE_UID, uname: 'dev', gname: 'dev' };
  const written = new Set<string>();
  const add = (header: Parameters<typeof pack.entry>[0], content?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content) pack.entry(header, content, done);
      else pack.entry(header, done);
    });
  const addFolders = async (file: string) => {
    const parts = file.split('/').slice(0, -1);
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const folder = parts.slice(0, depth).join('/');
      if (written.has(folder)) continue;
      written.add(folder);
      await add({ ...owner, name: folder, type: 'directory', mode: FOLDER_MODE });
    }
  };
  void (async () => {
    for (let i = 0; i < entries.length; i += READ_BATCH) {
      const batch = entries.slice(i, i + READ_BATCH);
      const blobs = await readBlobs([...new Set(batch.map((entry) => entry.sha256))]);
      for (const entry of batch) {
        const content = blobs.get(entry.sha256);
        if (!content) throw new Error(`blob ${entry.sha256} of ${entry.path} is missing`);
        if (options.folders) await addFolders(entry.path);
        const common = { ...owner, name: entry.path, mode: entry.mode & 0o7777 };
        if (isSymlinkMode(entry.mode)) await add({ ...common, type: 'symlink', linkname: content.toString('utf8') });
        else await add({ ...common, type: 'file', size: content.length }, content);
      }
    }
    pack.finalize();
  })().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  return pack as unknown as Readable;
}
