// The file tree's store against a scripted Socket.IO server (real client socket, real acks):
// lazy listings, heavy folders watched first, live re-listing on 'fs:changed', forgetting what
// was deleted, errors and retries, and no file call while the workspace is not running.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkbenchSocket } from '../workbench-socket';
import { FileTreeStore } from './file-tree-store';
import { ScriptedFileServer, untilState } from './scripted-file-server';

let server: ScriptedFileServer;
let socket: WorkbenchSocket;
let store: FileTreeStore;
let detach: () => void;

beforeEach(async () => {
  server = await ScriptedFileServer.start('p1');
  socket = await server.connect();
  store = new FileTreeStore('p1');
  detach = store.attach(socket);
  for (const path of ['src/app.ts', 'src/lib/util.ts', 'file10.txt', 'file2.txt', 'README.md', '.home/.bashrc'])
    server.put(path, `// ${path}\n`);
  server.folders.add('node_modules');
  server.heavy.add('node_modules');
});
afterEach(async () => {
  detach();
  await server.close();
});

const names = (dir: string) => store.getState().listings[dir]?.map((entry) => entry.name);

describe('FileTreeStore', () => {
  it('makes no file call until the workspace runs (a call would start a stopped one)', async () => {
    await store.reloadAll();
    expect(await store.load('src')).toBe(false);
    expect(server.calls).toEqual([]);
    expect(store.getState().status).toBe('waiting');
  });

  it('lists the root folders first, in natural order, without the home folder', async () => {
    store.setRunning(true);
    await store.reloadAll();
    expect(store.getState().status).toBe('ready');
    expect(names('')).toEqual(['node_modules', 'src', 'file2.txt', 'file10.txt', 'README.md']);
    expect(store.getState().listings.src).toBeUndefined(); // lazily: only what is open
  });

  it('expands a folder by listing it once; a heavy folder is watched before it is listed', async () => {
    store.setRunning(true);
    await store.reloadAll();
    await store.expand('src');
    expect(names('src')).toEqual(['lib', 'app.ts']);
    store.collapse('src');
    await store.expand('src');
    expect(server.count('fs:list', 'src')).toBe(1);
    await store.expand('node_modules');
    expect(server.calls.filter(([, path]) => path === 'node_modules')).toEqual([
      ['fs:watch', 'node_modules'],
      ['fs:list', 'node_modules'],
    ]);
    await store.reveal('src/lib/util.ts');
    expect(store.getState().expanded).toMatchObject({ src: true, 'src/lib': true });
    expect(names('src/lib')).toEqual(['util.ts']);
  });

  it('re-lists a loaded folder once for a burst of changes in it, and ignores folders never loaded', async () => {
    store.setRunning(true);
    await store.reloadAll();
    await store.expand('src');
    server.put('src/new-a.ts', 'a');
    server.put('src/new-b.ts', 'b');
    server.put('elsewhere/x.ts', 'x');
    server.announce([
      { type: 'created', path: 'src/new-a.ts', kind: 'file' },
      { type: 'created', path: 'src/new-b.ts', kind: 'file' },
      { type: 'created', path: 'elsewhere/x.ts', kind: 'file' },
    ]);
    await untilState(store, (state) => state.listings.src?.some((entry) => entry.name === 'new-b.ts') ?? false);
    expect(names('src')).toEqual(['lib', 'app.ts', 'new-a.ts', 'new-b.ts']);
    expect(server.count('fs:list', 'src')).toBe(2);
    expect(server.count('fs:list', 'elsewhere')).toBe(0);
  });

  it('forgets the listings under a deleted folder', async () => {
    store.setRunning(true);
    await store.reloadAll();
    await store.reveal('src/lib/util.ts');
    for (const path of ['src/app.ts', 'src/lib/util.ts']) server.files.delete(path);
    server.announce([{ type: 'deleted', path: 'src', kind: 'dir' }]);
    await untilState(store, (state) => !state.listings.src && !state.listings['src/lib']);
    expect(store.getState().expanded).not.toHaveProperty('src/lib');
    await untilState(store, (state) => !state.listings['']?.some((entry) => entry.name === 'src'));
  });

  it('shows a folder that failed to list, and lists it again when expanded again', async () => {
    store.setRunning(true);
    await store.reloadAll();
    server.failing.add('src');
    await store.expand('src');
    expect(store.getState().errors.src).toBe('cannot list src');
    expect(store.getState().loading).toEqual({});
    server.failing.delete('src');
    store.collapse('src');
    await store.expand('src');
    expect(store.getState().errors).toEqual({});
    expect(names('src')).toEqual(['lib', 'app.ts']);
  });

  it('stops following changes when the workspace stops', async () => {
    store.setRunning(true);
    await store.reloadAll();
    store.setRunning(false);
    expect(store.getState().status).toBe('waiting');
    store.applyChanges([{ type: 'created', path: 'late.txt', kind: 'file' }]);
    expect(await store.load('')).toBe(false);
    expect(server.count('fs:list', '')).toBe(1);
  });

  it('crawls folders that are not heavy for quick open, within its budget', async () => {
    store.setRunning(true);
    await store.reloadAll();
    await store.crawl(1);
    expect(Object.keys(store.getState().listings).sort()).toEqual(['', 'src']);
    await store.crawl();
    expect(store.loadedFiles().sort()).toEqual([
      'README.md',
      'file10.txt',
      'file2.txt',
      'src/app.ts',
      'src/lib/util.ts',
    ]);
    expect(server.count('fs:list', 'node_modules')).toBe(0);
  });
});
