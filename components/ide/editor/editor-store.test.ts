// The editor's store against a scripted Socket.IO server (real client socket, real acks): opening
// tabs, dirty state, saving on a base version, conflicts (stale save, change on disk, deletion),
// a change that arrives during a save, autosave, moves and closes. Monaco's text model is
// replaced by a small one with the same contract the store relies on (text, an alternative
// version id that moves on every edit, change events): Monaco itself needs a browser.
import type { Monaco } from '@monaco-editor/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedFileServer, untilState } from '../files/scripted-file-server';
import type { WorkbenchSocket } from '../workbench-socket';
import { EditorStore } from './editor-store';
import { keepMine, takeTheirs } from './tab-sync';

class TextModel {
  private alternativeVersionId = 1;
  private readonly listeners = new Set<() => void>();
  disposed = false;

  constructor(private value: string) {}

  getValue = () => this.value;
  getAlternativeVersionId = () => this.alternativeVersionId;
  getFullModelRange = () => ({});
  onDidChangeContent = (listener: () => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  pushEditOperations = (_selections: unknown, [edit]: { text: string }[]) => this.replace(edit!.text);
  dispose = () => (this.disposed = true);

  /** What typing in the editor does. */
  type(text: string): void {
    this.replace(this.value + text);
  }

  private replace(text: string): null {
    this.value = text;
    this.alternativeVersionId++;
    for (const listener of this.listeners) listener();
    return null;
  }
}

function fakeMonaco() {
  const models = new Map<string, TextModel>();
  const monaco = {
    Uri: { file: (path: string) => ({ toString: () => `file://${path}` }) },
    editor: {
      getModel: (uri: { toString(): string }) => models.get(uri.toString()) ?? null,
      createModel: (content: string, _language: unknown, uri: { toString(): string }) => {
        const model = new TextModel(content);
        models.set(uri.toString(), model);
        return model;
      },
    },
  };
  return { monaco: monaco as unknown as Monaco, models };
}

let server: ScriptedFileServer;
let socket: WorkbenchSocket;
let store: EditorStore;
let detach: () => void;

beforeEach(async () => {
  server = await ScriptedFileServer.start('p1');
  socket = await server.connect();
  store = new EditorStore('p1');
  detach = store.attach(socket);
  store.setMonaco(fakeMonaco().monaco);
  store.running = true;
});
afterEach(async () => {
  detach();
  store.dispose();
  await server.close();
});

const model = (path: string) => store.model(path) as unknown as TextModel;
const tab = (path: string) => store.tab(path)!;

async function openText(path: string, content: string) {
  const version = server.put(path, content);
  await store.open(path);
  expect(tab(path)).toMatchObject({ status: 'ready', version, dirty: false });
  return version;
}

describe('EditorStore', () => {
  it('opens a file into a model at its disk version, once; no call while the workspace is stopped', async () => {
    await openText('src/a.ts', 'one\n');
    expect(model('src/a.ts').getValue()).toBe('one\n');
    await store.open('src/a.ts');
    expect(server.count('fs:read', 'src/a.ts')).toBe(1);
    expect(store.getState().active).toBe('src/a.ts');

    store.running = false;
    server.put('b.ts', 'b');
    await store.open('b.ts');
    expect(tab('b.ts')).toMatchObject({ status: 'error', error: 'The workspace is not running' });
    expect(server.count('fs:read', 'b.ts')).toBe(0);
  });

  it('shows a file that cannot be read as an error tab; an image needs no read', async () => {
    await store.open('missing.ts');
    expect(tab('missing.ts')).toMatchObject({ status: 'error', error: 'missing.ts does not exist' });
    await store.open('logo.png');
    expect(tab('logo.png')).toMatchObject({ kind: 'image', status: 'ready' });
    expect(server.count('fs:read', 'logo.png')).toBe(0);
  });

  it('marks an edited tab dirty and saves it on its base version', async () => {
    const base = await openText('a.ts', 'one\n');
    model('a.ts').type('two\n');
    expect(tab('a.ts').dirty).toBe(true);
    expect(await store.save('a.ts')).toBe('saved');
    expect(server.files.get('a.ts')?.content).toBe('one\ntwo\n');
    expect(tab('a.ts')).toMatchObject({ dirty: false, saving: false, conflict: null });
    expect(tab('a.ts').version).not.toBe(base);
    expect(tab('a.ts').version).toBe(String(server.files.get('a.ts')!.version));
  });

  it('turns a save on a stale version into a conflict with the disk text; keep mine writes over it', async () => {
    await openText('a.ts', 'one\n');
    const theirs = server.put('a.ts', 'theirs\n'); // changed elsewhere, no event yet
    model('a.ts').type('mine\n');
    expect(await store.save('a.ts')).toBe('conflict');
    expect(tab('a.ts').conflict).toEqual({ reason: 'save', version: theirs, content: 'theirs\n' });
    expect(server.files.get('a.ts')?.content).toBe('theirs\n');

    await keepMine(store, 'a.ts');
    expect(server.files.get('a.ts')?.content).toBe('one\nmine\n');
    expect(tab('a.ts')).toMatchObject({ conflict: null, dirty: false });
  });

  it('takes a change on disk into a clean tab, and makes it a conflict in a dirty one', async () => {
    await openText('clean.ts', 'old\n');
    await openText('dirty.ts', 'old\n');
    model('dirty.ts').type('mine\n');
    const cleanVersion = server.put('clean.ts', 'new on disk\n');
    const dirtyVersion = server.put('dirty.ts', 'new on disk\n');
    server.announce([
      { type: 'changed', path: 'clean.ts', kind: 'file', version: cleanVersion },
      { type: 'changed', path: 'dirty.ts', kind: 'file', version: dirtyVersion },
    ]);
    await untilState(store, () => tab('clean.ts').version === cleanVersion && tab('dirty.ts').conflict !== null);
    expect(model('clean.ts').getValue()).toBe('new on disk\n');
    expect(tab('clean.ts')).toMatchObject({ dirty: false, conflict: null });
    expect(model('dirty.ts').getValue()).toBe('old\nmine\n');
    expect(tab('dirty.ts').conflict).toEqual({ reason: 'disk', version: dirtyVersion, content: 'new on disk\n' });

    takeTheirs(store, 'dirty.ts');
    expect(model('dirty.ts').getValue()).toBe('new on disk\n');
    expect(tab('dirty.ts')).toMatchObject({ dirty: false, conflict: null, version: dirtyVersion });
  });

  it('ignores the echo of its own save, and reports a deletion on disk as a conflict', async () => {
    await openText('a.ts', 'one\n');
    model('a.ts').type('two\n');
    await store.save('a.ts');
    server.announce([{ type: 'changed', path: 'a.ts', kind: 'file', version: tab('a.ts').version! }]);
    server.files.delete('a.ts');
    server.announce([{ type: 'deleted', path: 'a.ts', kind: 'file' }]);
    await untilState(store, () => tab('a.ts').conflict !== null);
    expect(tab('a.ts').conflict).toEqual({ reason: 'deleted', version: null, content: null });
    expect(server.count('fs:read', 'a.ts')).toBe(2); // the open, and the deletion's check; not the echo
  });

  it('checks a change that arrived during a save once the save is answered', async () => {
    await openText('a.ts', 'one\n');
    model('a.ts').type('two\n');
    const write = server.hold('fs:write');
    const saving = store.save('a.ts');
    await write.entered;
    // Listeners run in order: the store's own 'fs:changed' handler has run when this one does.
    const delivered = new Promise((resolve) => socket.once('fs:changed', resolve));
    server.announce([{ type: 'changed', path: 'a.ts', kind: 'file', version: 'someone-else' }]);
    await delivered;
    expect(store.deferred.has('a.ts')).toBe(true);
    expect(server.count('fs:read', 'a.ts')).toBe(1); // not read while the save is under way
    const check = server.hold('fs:read');
    write.release();
    expect(await saving).toBe('saved');
    await check.entered;
    expect(store.deferred.has('a.ts')).toBe(false);
    check.release();
  });

  it('saves an edited tab by itself a moment after the last keystroke', async () => {
    await openText('a.ts', 'one\n');
    model('a.ts').type('t');
    model('a.ts').type('wo\n');
    await untilState(store, () => !tab('a.ts').dirty && server.count('fs:write', 'a.ts') === 1, 5000);
    expect(server.files.get('a.ts')?.content).toBe('one\ntwo\n');
  });

  it('refuses to save while the workspace is stopped, or a file someone else locked', async () => {
    await openText('a.ts', 'one\n');
    model('a.ts').type('two\n');
    store.running = false;
    expect(await store.save('a.ts')).toBe('failed');
    expect(tab('a.ts').saveError).toBe('The workspace is not running; start it to save.');
    store.running = true;
    const later = new Date(Date.now() + 60_000).toISOString();
    server.locks = [{ path: 'a.ts', holder: 'assistant', expiresAt: later }];
    store.refreshLocks();
    await untilState(store, (state) => state.locks.length === 1);
    expect(store.lockFor('a.ts')?.holder).toBe('assistant');
    expect(await store.save('a.ts')).toBe('skipped');
    expect(server.count('fs:write')).toBe(0);
  });

  it('keeps edits of tabs below a moved folder, and closes tabs below a deleted one', async () => {
    await openText('src/a.ts', 'a\n');
    await openText('src/b.ts', 'b\n');
    await openText('top.ts', 'top\n');
    model('src/a.ts').type('edit\n');
    store.activate('src/a.ts');
    store.didMove('src', 'lib');
    expect(store.getState().tabs.map((item) => item.path)).toEqual(['lib/a.ts', 'lib/b.ts', 'top.ts']);
    expect(store.getState().active).toBe('lib/a.ts');
    expect(model('lib/a.ts').getValue()).toBe('a\nedit\n');
    expect(tab('lib/a.ts').dirty).toBe(true);

    store.didDelete('lib');
    expect(store.getState().tabs.map((item) => item.path)).toEqual(['top.ts']);
    expect(store.getState().active).toBe('top.ts');
  });
});
