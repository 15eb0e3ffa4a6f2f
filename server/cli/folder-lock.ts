// One berth command at a time changes a folder: `berth sync` while `berth watch` runs would
// apply two journals at once. .berth/lock holds the owner's pid, made with O_EXCL; a lock whose
// process is gone (killed, crashed) is taken over.
import { readFileSync, rmSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FolderLayout } from './folder-layout';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock for `command`; the returned function releases it (also done at exit). */
export async function lockFolder(layout: FolderLayout, command: string): Promise<() => Promise<void>> {
  const file = path.join(layout.state, 'lock');
  for (let attempt = 0; ; attempt++) {
    const handle = await open(file, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (handle) {
      await handle.writeFile(JSON.stringify({ pid: process.pid, command }));
      await handle.close();
      break;
    }
    const owner = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as { pid?: unknown; command?: unknown })
      .catch(() => ({ pid: undefined, command: undefined }));
    if (typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid))
      throw new Error(
        `berth ${typeof owner.command === 'string' ? owner.command : ''} (pid ${owner.pid}) is using this folder; wait for it or stop it`,
      );
    if (attempt > 0) throw new Error(`Could not take ${file}`);
    await rm(file, { force: true }); // its process is gone
  }
  const releaseAtExit = () => {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid === process.pid)
        rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.once('exit', releaseAtExit);
  return async () => {
    process.off('exit', releaseAtExit);
    releaseAtExit();
  };
}
