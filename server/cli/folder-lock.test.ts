import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderLayout } from './folder-layout';
import { lockFolder } from './folder-lock';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('lockFolder', () => {
  it('lets one command at a time change a folder, and takes over a lock whose process is gone', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'berth-lock-'));
    const layout = folderLayout(root);
    await mkdir(layout.state);
    // Another live process holds it (this test's parent).
    await writeFile(path.join(layout.state, 'lock'), JSON.stringify({ pid: process.ppid, command: 'watch' }));
    await expect(lockFolder(layout, 'sync')).rejects.toThrow(`berth watch (pid ${process.ppid}) is using this folder`);
    // A dead one: taken over.
    await writeFile(path.join(layout.state, 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'watch' }));
    const release = await lockFolder(layout, 'sync');
    expect(JSON.parse(await readFile(path.join(layout.state, 'lock'), 'utf8'))).toEqual({
      pid: process.pid,
      command: 'sync',
    });
    await release();
    const again = await lockFolder(layout, 'watch');
    await again();
  });
});
