// Files written whole or not at all: the content goes to a temp file beside the target, is
// flushed, then renamed over it (a rename within one folder is atomic). A crash leaves the old
// file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_PREFIX } from './folder-layout';

export function tempPathBeside(target: string): string {
  return path.join(path.dirname(target), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
}

export async function writeFileAtomic(target: string, data: string | Buffer, mode = 0o644): Promise<void> {
  const temp = tempPathBeside(target);
  try {
    // 'wx': a fresh file, never one someone planted (or a symlink) at the temp name.
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`);
}
