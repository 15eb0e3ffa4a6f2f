// Paths a snapshot cannot hold (over 1,024 characters, names that are not UTF-8) are listed as
// skipped with their reason, and everything else is still recorded.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathGuard } from '../fs/path-guard';
import { SnapshotScanner } from './scanner';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-scan-skips-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const scan = () => new SnapshotScanner(new PathGuard(root)).scan({ maxFileBytes: 1 << 20, includeEnv: false });

describe('SnapshotScanner: paths that cannot be stored', () => {
  it('lists a folder whose path passes 1,024 characters once, and keeps the rest', async () => {
    // Eight nested 200-character folders: 1,607 characters before the file name.
    const segments = Array.from({ length: 8 }, (_, i) => String(i).repeat(200));
    const deep = path.join(root, ...segments);
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, 'deep.txt'), 'deep');
    writeFileSync(path.join(root, segments[0]!, 'shallow.txt'), 'shallow');
    writeFileSync(path.join(root, 'a.txt'), 'a');
    const result = await scan();
    expect(result.files.map((file) => file.path)).toEqual([`${segments[0]}/shallow.txt`, 'a.txt'].sort());
    // 5 segments + 4 slashes = 1,004 characters fit; the sixth folder (1,205) does not.
    expect(result.skipped).toEqual([{ path: segments.slice(0, 6).join('/'), size: 0, reason: 'path_too_long' }]);
  });

  it('lists a file whose own name makes the path too long', async () => {
    const folder = ['f'.repeat(250), 'g'.repeat(250), 'h'.repeat(250), 'i'.repeat(247)].join('/'); // 1,000 characters
    mkdirSync(path.join(root, folder), { recursive: true });
    writeFileSync(path.join(root, folder, `${'n'.repeat(30)}.txt`), 'x');
    writeFileSync(path.join(root, folder, 'ok.txt'), 'ok');
    const result = await scan();
    expect(result.files.map((file) => file.path)).toEqual([`${folder}/ok.txt`]);
    expect(result.skipped).toEqual([{ path: `${folder}/${'n'.repeat(30)}.txt`, size: 0, reason: 'path_too_long' }]);
  });

  it('lists files and folders whose names are not UTF-8 instead of dropping them silently', async () => {
    const rootBytes = Buffer.from(root);
    const join = (...parts: (string | Buffer)[]) =>
      Buffer.concat(parts.flatMap((part, i) => (i ? [Buffer.from('/'), Buffer.from(part)] : [Buffer.from(part)])));
    writeFileSync(join(rootBytes, Buffer.from([0x62, 0xff, 0x2e, 0x74, 0x78, 0x74])), 'latin'); // "b\xff.txt"
    mkdirSync(join(rootBytes, Buffer.from([0x64, 0xe9]))); // "d\xe9" (Latin-1 é)
    writeFileSync(join(rootBytes, Buffer.from([0x64, 0xe9]), 'inside.txt'), 'x');
    writeFileSync(path.join(root, 'é-fine.txt'), 'utf8 é is fine');
    symlinkSync(Buffer.from([0x74, 0xff]), join(rootBytes, 'odd-link')); // target "t\xff"
    symlinkSync('é-fine.txt', path.join(root, 'fine-link'));
    const result = await scan();
    expect(result.files.map((file) => file.path)).toEqual(['fine-link', 'é-fine.txt']);
    expect(result.skipped).toEqual([
      { path: 'b\uFFFD.txt', size: 0, reason: 'not_utf8' },
      { path: 'd\uFFFD', size: 0, reason: 'not_utf8' },
      { path: 'odd-link', size: 0, reason: 'not_utf8' },
    ]);
  });
});
