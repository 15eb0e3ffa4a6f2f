// File operations on a temp folder: list, stat, mkdir, move, delete, read and atomic write.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWriter, openForRead } from './content';
import { deletePath } from './delete';
import { listDir } from './list';
import { makeDir } from './mkdir';
import { movePath } from './move';
import { PathGuard } from './path-guard';
import { statPath } from './stat';

let base: string;
let root: string;
let guard: PathGuard;

beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-ops-')));
  root = path.join(base, 'root');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
  mkdirSync(path.join(root, '.git'));
  writeFileSync(path.join(root, 'b.txt'), 'bee');
  writeFileSync(path.join(root, 'A.txt'), 'a');
  writeFileSync(path.join(base, 'outside.txt'), 'outside');
  symlinkSync('/etc/passwd', path.join(root, 'passwd-link'));
  guard = new PathGuard(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const bytes = (body: Buffer | string) => Readable.from([Buffer.from(body)]);
async function readAll(value: string): Promise<{ version: string; data: Buffer }> {
  const file = await openForRead(guard, value);
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  return { version: file.version, data: Buffer.concat(chunks) };
}

describe('list and stat', () => {
  it('lists folders first, then by name, with kind, size, version and heavy marks', async () => {
    const entries = await listDir(guard, '');
    expect(entries.map((entry) => entry.name)).toEqual([
      '.git',
      'node_modules',
      'src',
      'A.txt',
      'b.txt',
      'passwd-link',
    ]);
    expect(entries.find((entry) => entry.name === 'node_modules')).toMatchObject({
      kind: 'dir',
      heavy: true,
      path: 'node_modules',
    });
    expect(entries.find((entry) => entry.name === '.git')).toMatchObject({ heavy: true });
    expect(entries.find((entry) => entry.name === 'src')?.heavy).toBeUndefined();
    const file = entries.find((entry) => entry.name === 'b.txt')!;
    expect(file).toMatchObject({ kind: 'file', size: 3, path: 'b.txt' });
    expect(file.version).toMatch(/^\d+-3-\d+$/);
    expect(file.mtimeMs).toBeCloseTo(statSync(path.join(root, 'b.txt')).mtimeMs, 0);
    expect(entries.find((entry) => entry.name === 'passwd-link')).toMatchObject({ kind: 'symlink' });
    expect((await listDir(guard, 'node_modules'))[0]).toMatchObject({ path: 'node_modules/x', kind: 'dir' });
  });

  it('refuses listing a file, a missing folder or through an escaping symlink', async () => {
    await expect(listDir(guard, 'b.txt')).rejects.toMatchObject({ code: 'not_a_dir' });
    await expect(listDir(guard, 'missing')).rejects.toMatchObject({ code: 'not_found' });
    await expect(listDir(guard, '../')).rejects.toMatchObject({ code: 'bad_path' });
  });

  it('lists a folder of 10,000 files', async () => {
    // How fast is a figure of bench/files.bench.ts (fs:list of 10,000 files next to ls).
    mkdirSync(path.join(root, 'big'));
    for (let index = 0; index < 10_000; index++) writeFileSync(path.join(root, 'big', `f${index}`), '');
    const entries = await listDir(guard, 'big');
    expect(entries).toHaveLength(10_000);
    expect(new Set(entries.map((entry) => entry.path)).size).toBe(10_000);
    expect(entries.find((entry) => entry.name === 'f9999')).toMatchObject({ path: 'big/f9999', kind: 'file', size: 0 });
  });

  it('stats by lstat, including the root and symlinks', async () => {
    expect(await statPath(guard, '')).toMatchObject({ name: '', path: '', kind: 'dir' });
    expect(await statPath(guard, 'passwd-link')).toMatchObject({ kind: 'symlink' });
    await expect(statPath(guard, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('mkdir, move, delete', () => {
  it('mkdir -p creates parents, accepts an existing folder, refuses a file', async () => {
    expect(await makeDir(guard, 'x/y/z')).toMatchObject({ path: 'x/y/z', name: 'z', kind: 'dir' });
    expect(await makeDir(guard, 'x/y/z')).toMatchObject({ kind: 'dir' });
    await expect(makeDir(guard, 'b.txt')).rejects.toMatchObject({ code: 'exists' });
    await expect(makeDir(guard, '')).rejects.toMatchObject({ code: 'bad_path' });
  });

  it('moves into missing folders, never over an existing target', async () => {
    expect(await movePath(guard, 'b.txt', 'deep/er/c.txt')).toMatchObject({ path: 'deep/er/c.txt', kind: 'file' });
    expect(readFileSync(path.join(root, 'deep', 'er', 'c.txt'), 'utf8')).toBe('bee');
    await expect(movePath(guard, 'A.txt', 'deep/er/c.txt')).rejects.toMatchObject({ code: 'exists' });
    expect(readFileSync(path.join(root, 'deep', 'er', 'c.txt'), 'utf8')).toBe('bee');
    await expect(movePath(guard, 'nope', 'other')).rejects.toMatchObject({ code: 'not_found' });
    await expect(movePath(guard, 'src', 'src/inner')).rejects.toMatchObject({ code: 'bad_path' });
    await expect(movePath(guard, '', 'x')).rejects.toMatchObject({ code: 'bad_path' });
    await expect(movePath(guard, 'A.txt', '../A.txt')).rejects.toMatchObject({ code: 'bad_path' });
  });

  it('moves a symlink as the link', async () => {
    await movePath(guard, 'passwd-link', 'moved-link');
    expect(lstatSync(path.join(root, 'moved-link')).isSymbolicLink()).toBe(true);
  });

  it('deletes files, links (not their targets) and folders recursively; never the root', async () => {
    await deletePath(guard, 'node_modules');
    expect(existsSync(path.join(root, 'node_modules'))).toBe(false);
    await deletePath(guard, 'passwd-link');
    expect(existsSync('/etc/passwd')).toBe(true);
    await expect(deletePath(guard, '')).rejects.toMatchObject({ code: 'bad_path' });
    await expect(deletePath(guard, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('read and write', () => {
  it('round-trips all 256 byte values; the version changes with each write', async () => {
    const writer = new FileWriter(guard);
    const data = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const first = await writer.write('bin/all.bytes', bytes(data), 1024, { ifNoneMatch: true });
    expect(first.size).toBe(256);
    const read = await readAll('bin/all.bytes');
    expect(read.data.equals(data)).toBe(true);
    expect(read.version).toBe(first.version);
    const second = await writer.write('bin/all.bytes', bytes('x'), 1024, { ifMatch: first.version });
    expect(second.version).not.toBe(first.version);
    expect(readdirSync(path.join(root, 'bin'))).toEqual(['all.bytes']);
  });

  it('refuses stale and create-only writes with the current version, file untouched', async () => {
    const writer = new FileWriter(guard);
    const current = (await statPath(guard, 'b.txt')).version!;
    await expect(writer.write('b.txt', bytes('new'), 1024, { ifMatch: 'stale' })).rejects.toMatchObject({
      code: 'conflict',
      currentVersion: current,
    });
    await expect(writer.write('b.txt', bytes('new'), 1024, { ifNoneMatch: true })).rejects.toMatchObject({
      code: 'conflict',
      currentVersion: current,
    });
    await expect(writer.write('gone.txt', bytes('new'), 1024, { ifMatch: current })).rejects.toMatchObject({
      code: 'conflict',
      currentVersion: null,
    });
    expect(readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('bee');
    expect(readdirSync(root).filter((name) => name.startsWith('.berth-tmp-'))).toEqual([]);
  });

  it('enforces maxBytes while streaming and removes the temp file', async () => {
    const writer = new FileWriter(guard);
    const chunks = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(writer.write('b.txt', chunks, 1000, null)).rejects.toMatchObject({ code: 'too_large' });
    expect(readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('bee');
    expect(readdirSync(root).filter((name) => name.startsWith('.berth-tmp-'))).toEqual([]);
  });

  it('never writes or reads through a symlink out of the root; in-root links write their target', async () => {
    const writer = new FileWriter(guard);
    const before = readFileSync('/etc/passwd');
    await expect(writer.write('passwd-link', bytes('pwned'), 1024, null)).rejects.toMatchObject({ code: 'bad_path' });
    await expect(openForRead(guard, 'passwd-link')).rejects.toMatchObject({ code: 'bad_path' });
    expect(readFileSync('/etc/passwd').equals(before)).toBe(true);
    symlinkSync('b.txt', path.join(root, 'b-link'));
    await writer.write('b-link', bytes('via link'), 1024, null);
    expect(lstatSync(path.join(root, 'b-link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('via link');
  });

  it('reads empty files and refuses folders', async () => {
    writeFileSync(path.join(root, 'empty'), '');
    expect((await readAll('empty')).data.length).toBe(0);
    await expect(openForRead(guard, 'src')).rejects.toMatchObject({ code: 'not_a_file' });
    await expect(new FileWriter(guard).write('src', bytes('x'), 10, null)).rejects.toMatchObject({
      code: 'not_a_file',
    });
  });

  it('keeps the mode of the file it replaces', async () => {
    writeFileSync(path.join(root, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await new FileWriter(guard).write('run.sh', bytes('#!/bin/sh\necho hi\n'), 1024, null);
    expect(statSync(path.join(root, 'run.sh')).mode & 0o777).toBe(0o755);
  });

  it('gives the file the mode asked for, new or replaced (undo brings a deleted script back executable)', async () => {
    const writer = new FileWriter(guard);
    await writer.write('new.sh', bytes('#!/bin/sh\n'), 1024, { ifNoneMatch: true }, 0o755);
    expect(statSync(path.join(root, 'new.sh')).mode & 0o777).toBe(0o755);
    await writer.write('new.sh', bytes('#!/bin/sh\necho\n'), 1024, null, 0o600);
    expect(statSync(path.join(root, 'new.sh')).mode & 0o777).toBe(0o600);
    await writer.write('plain.txt', bytes('x'), 1024, null);
    expect(statSync(path.join(root, 'plain.txt')).mode & 0o777).toBe(0o644);
  });
});
