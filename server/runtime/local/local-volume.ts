// A local workspace's "volume": a folder, made and seeded once (from the template folder or an
// archive, like the Docker driver's volume), then owned by the workspace's user. It is made under
// a temporary name and renamed into place, so a start that fails halfway leaves no half-seeded
// folder that the next start would take for an existing one.
import { randomBytes } from 'node:crypto';
import { chown, cp, lchown, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tarFsModule from 'tar-fs';
import { cjsDefault } from '../../core/cjs-default';
import type { WorkspaceSpec } from '../runtime-driver';
import type { WorkspaceUser } from './workspace-process';

const tarFs = cjsDefault(tarFsModule);
// Never copied from a template folder: installed or version-control state of the host (as Docker's seed).
const SKIPPED = new Set(['node_modules', '.git']);

export async function exists(folder: string): Promise<boolean> {
  return (await stat(folder).catch(() => undefined))?.isDirectory() ?? false;
}

/** Makes `folder` with the seed's files, owned by `user` when given. */
export async function makeVolume(folder: string, spec: WorkspaceSpec, user: WorkspaceUser | undefined): Promise<void> {
  if (spec.seedFrom && !(await exists(spec.seedFrom)))
    throw new Error(`Seed folder ${spec.seedFrom} is not a directory`);
  // Beside the projects' folders, under a name no project id can have.
  const partial = path.join(
    path.dirname(folder),
    '.partial',
    `${path.basename(folder)}-${randomBytes(4).toString('hex')}`,
  );
  try {
    await mkdir(partial, { recursive: true, mode: 0o755 });
    if (spec.seedArchive) await pipeline(await spec.seedArchive(), tarFs.extract(partial));
    else if (spec.seedFrom) {
      const from = spec.seedFrom;
      for (const name of await readdir(from)) {
        if (SKIPPED.has(name)) continue;
        await cp(path.join(from, name), path.join(partial, name), {
          recursive: true,
          verbatimSymlinks: true,
          filter: (source) => !SKIPPED.has(path.basename(source)),
        });
      }
    }
    if (user) await chownTree(partial, user);
    await rename(partial, folder);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

async function chownTree(folder: string, { uid, gid }: WorkspaceUser): Promise<void> {
  await chown(folder, uid, gid);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await chownTree(full, { uid, gid });
    else await lchown(full, uid, gid);
  }
}
