// The snapshot scanner on temp folders: ignore rules (defaults, nested .gitignore with
// negation, .berthignore, .env), too_large, symlinks recorded and not followed, the hash cache.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathGuard } from '../fs/path-guard';
import { createSnapshotHandlers } from './scan-handler';
import { SnapshotScanner } from './scanner';

let root: string;
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
function write(relative: string, content: string | Buffer = relative): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
}
const paths = (result: { files: { path: string }[] }) => result.files.map((file) => file.path);

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-scan-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('SnapshotScanner', () => {
  it('records files with mode, size and sha256, sorted by code unit, without empty folders', async () => {
    write('b.txt', 'bee');
    write('a/Z.txt', 'zed');
    write('a/a.txt', '');
    write('B.txt', 'big bee');
    chmodSync(path.join(root, 'b.txt'), 0o755);
    mkdirSync(path.join(root, 'empty'));
    const result = await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false });
    expect(paths(result)).toEqual(['B.txt', 'a/Z.txt', 'a/a.txt', 'b.txt']);
    expect(result.files.find((file) => file.path === 'b.txt')).toEqual({
      path: 'b.txt',
      type: 'file',
      mode: 0o755,
      size: 3,
      sha256: sha('bee'),
    });
    expect(result.files.find((file) => file.path === 'a/a.txt')).toMatchObject({ size: 0, sha256: sha('') });
    expect(result.skipped).toEqual([]);
  });

  it('applies the defaults, keeps .git and build/, and leaves .env out unless asked', async () => {
    for (const file of [
      'node_modules/x/index.js',
      'sub/node_modules/y.js',
      '.next/a',
      'dist/a.js',
      'coverage/c',
      '.cache/c',
      '.vite/v',
      'tsconfig.tsbuildinfo',
      'sub/.DS_Store',
      '.home/.bash_history',
      'sub/.home/kept',
      '.git/HEAD',
      'build/main.c',
      'src/a.ts',
      '.env',
      '.env.local',
      'sub/.env',
    ])
      write(file);
    const scanner = new SnapshotScanner(new PathGuard(root));
    expect(paths(await scanner.scan({ maxFileBytes: 1 << 20, includeEnv: false }))).toEqual([
      '.git/HEAD',
      'build/main.c',
      'src/a.ts',
      'sub/.home/kept',
    ]);
    expect(paths(await scanner.scan({ maxFileBytes: 1 << 20, includeEnv: true }))).toEqual([
      '.env',
      '.env.local',
      '.git/HEAD',
      'build/main.c',
      'src/a.ts',
      'sub/.env',
      'sub/.home/kept',
    ]);
  });

  it('follows nested .gitignore files with negations, then .berthignore', async () => {
    write('.gitignore', '*.log\n!keep.log\nsecret/\n');
    write('a.log');
    write('keep.log');
    write('secret/x');
    write('pkg/.gitignore', '!*.log\ngenerated.ts\n/local-only\n');
    write('pkg/b.log');
    write('pkg/generated.ts');
    write('pkg/local-only');
    write('pkg/deep/local-only');
    write('pkg/deep/generated.ts');
    write('.gitignore.d/x');
    write('.berthignore', 'keep.log\n!dist/\npkg/deep/\n');
    write('dist/out.js');
    const result = await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false });
    expect(paths(result)).toEqual([
      '.berthignore',
      '.gitignore',
      '.gitignore.d/x',
      'dist/out.js',
      'pkg/.gitignore',
      'pkg/b.log',
    ]);
  });

  it('keeps .env files out unless .berthignore opts in with !.env', async () => {
    write('.env', 'SECRET=1');
    write('.env.local', 'SECRET=2');
    expect(
      paths(await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false })),
    ).toEqual([]);
    write('.berthignore', '!.env\n');
    expect(
      paths(await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false })),
    ).toEqual(['.berthignore', '.env']);
  });

  it('does not apply .gitignore inside .git/ and cannot re-include under an ignored folder', async () => {
    write('.gitignore', 'objects/\nvendor/\n!vendor/keep.js\n');
    write('.git/objects/ab/cdef');
    write('vendor/keep.js');
    expect(
      paths(await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false })),
    ).toEqual(['.git/objects/ab/cdef', '.gitignore']);
  });

  it('scopes a .gitignore in a folder whose name has glob characters', async () => {
    write('a[1]/.gitignore', 'x\n/y\n');
    write('a[1]/x');
    write('a[1]/y');
    write('a[1]/deep/y');
    write('a1/x');
    expect(
      paths(await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false })),
    ).toEqual(['a1/x', 'a[1]/.gitignore', 'a[1]/deep/y']);
  });

  it('lists files above maxFileBytes as skipped with their size, unhashed', async () => {
    write('big.bin', Buffer.alloc(2001));
    write('ok.bin', Buffer.alloc(2000));
    const read: string[] = [];
    const result = await new SnapshotScanner(new PathGuard(root), { onRead: (file) => read.push(file) }).scan({
      maxFileBytes: 2000,
      includeEnv: false,
    });
    expect(paths(result)).toEqual(['ok.bin']);
    expect(result.skipped).toEqual([{ path: 'big.bin', size: 2001, reason: 'too_large' }]);
    expect(read).toEqual(['ok.bin']);
  });

  it('records symlinks by their target and never follows them (folders included)', async () => {
    write('real/inner.txt', 'inner');
    symlinkSync('real', path.join(root, 'linked-dir'));
    symlinkSync('/etc/passwd', path.join(root, 'passwd'));
    symlinkSync('missing', path.join(root, 'dangling'));
    const outside = mkdtempSync(path.join(tmpdir(), 'berth-outside-'));
    writeFileSync(path.join(outside, 'leak.txt'), 'leak');
    symlinkSync(outside, path.join(root, 'out'));
    try {
      const result = await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false });
      expect(paths(result)).toEqual(['dangling', 'linked-dir', 'out', 'passwd', 'real/inner.txt']);
      expect(result.files.find((file) => file.path === 'passwd')).toEqual({
        path: 'passwd',
        type: 'symlink',
        mode: 0o777,
        size: 11,
        sha256: sha('/etc/passwd'),
      });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reads only changed files on a second scan (cache by size, mtime, ctime, inode)', async () => {
    for (let index = 0; index < 50; index++) write(`f/${index}.txt`, `file ${index}`);
    const read: string[] = [];
    const scanner = new SnapshotScanner(new PathGuard(root), { onRead: (file) => read.push(file) });
    const first = await scanner.scan({ maxFileBytes: 1 << 20, includeEnv: false });
    expect(read).toHaveLength(50);
    read.length = 0;
    write('f/7.txt', 'changed');
    rmSync(path.join(root, 'f/8.txt'));
    const second = await scanner.scan({ maxFileBytes: 1 << 20, includeEnv: false });
    expect(read).toEqual(['f/7.txt']);
    expect(second.files.find((file) => file.path === 'f/7.txt')?.sha256).toBe(sha('changed'));
    expect(second.files).toHaveLength(49);
    expect(scanner.cachedCount).toBe(49);
    expect(second.files.find((file) => file.path === 'f/9.txt')).toEqual(
      first.files.find((file) => file.path === 'f/9.txt'),
    );
  });

  it('hashes a large file by streaming it', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 3, 7);
    write('big.bin', big);
    const result = await new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 64 << 20, includeEnv: false });
    expect(result.files[0]).toMatchObject({ path: 'big.bin', size: big.length, sha256: sha(big) });
  });

  it('answers bad_params for bad RPC params', async () => {
    const handler = createSnapshotHandlers(new SnapshotScanner(new PathGuard(root)))['snapshot.scan']!;
    await expect(Promise.resolve(handler({ maxFileBytes: -1, includeEnv: false }))).rejects.toMatchObject({
      code: 'bad_params',
    });
    await expect(Promise.resolve(handler({ maxFileBytes: 10 }))).rejects.toMatchObject({ code: 'bad_params' });
    await expect(Promise.resolve(handler({ maxFileBytes: 10, includeEnv: true }))).resolves.toEqual({
      files: [],
      skipped: [],
    });
  });
});
