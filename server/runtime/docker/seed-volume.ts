// Seeds a brand-new workspace volume with a template's files. The archive goes in through the
// engine (putArchive on the created, not yet started container, which mounts the volume), so
// nothing runs as root inside the workspace; every entry is owned by the workspace user.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Container } from 'dockerode';
import tarFsModule from 'tar-fs';
import { cjsDefault } from '../../core/cjs-default';
import { WORKSPACE_DIR } from './container-spec';

const tarFs = cjsDefault(tarFsModule);
const WORKSPACE_UID = 1000;
// Never copied from a template folder: installed or version-control state of the host.
const SKIPPED = new Set(['node_modules', '.git']);

export function assertSeedFolder(folder: string): void {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`Seed folder ${folder} is not a directory`);
}

export async function seedWorkspace(container: Container, folder: string): Promise<number> {
  // Top-level entries only: packing '.' would also rewrite /workspace's own mode and owner.
  const entries = readdirSync(folder).filter((name) => !SKIPPED.has(name));
  if (entries.length === 0) return 0;
  let count = 0;
  const archive = tarFs.pack(folder, {
    entries,
    ignore: (name) => SKIPPED.has(path.basename(name)),
    map: (header) => {
      count += 1;
      return { ...header, uid: WORKSPACE_UID, gid: WORKSPACE_UID, uname: 'dev', gname: 'dev' };
    },
  });
  // tar-stream's Pack is a streamx Readable: a Node-compatible stream the types do not know.
  await container.putArchive(archive as unknown as NodeJS.ReadableStream, { path: WORKSPACE_DIR });
  return count;
}
