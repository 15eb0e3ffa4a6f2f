// /snapshot/archive over real HTTP on temp folders (no container): tar out then in is
// byte-identical (modes, symlinks, long names, big files); hostile tars are refused.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract as tarExtract, pack as tarPack, type Header } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathGuard } from '../fs/path-guard';
import { createHttpRoutes } from '../http-routes';
import { health } from '../rpc-handlers';
import { SnapshotScanner } from './scanner';

const cleanup: (() => Promise<void> | void)[] = [];
let source: string;
let target: string;
let outside: string;

function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
async function startAgent(root: string): Promise<string> {
  const route = createHttpRoutes({ guard: new PathGuard(root), health });
  const server: Server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/snapshot/archive`;
}
function write(root: string, relative: string, content: string | Buffer, mode?: number): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
  if (mode !== undefined) chmodSync(path.join(root, relative), mode);
}
async function makeTar(
  entries: { header: Partial<Header> & { name: string }; content?: Buffer | string }[],
): Promise<Buffer> {
  const pack = tarPack();
  for (const { header, content } of entries) {
    if (content === undefined) pack.entry(header);
    else pack.entry(header, content);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
async function readTar(data: Buffer): Promise<{ header: Header; content: Buffer }[]> {
  const extract = tarExtract();
  const out: { header: Header; content: Buffer }[] = [];
  extract.end(data);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    out.push({ header: entry.header, content: Buffer.concat(chunks) });
  }
  return out;
}
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
const put = (url: string, body: Buffer) => fetch(url, { method: 'PUT', body: new Uint8Array(body) });

beforeEach(() => {
  source = tempDir('berth-arch-src-');
  target = tempDir('berth-arch-dst-');
  outside = tempDir('berth-arch-out-');
});
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

describe('POST then PUT /snapshot/archive', () => {
  it('round-trips files, modes and symlinks byte-identically, in the order asked', async () => {
    const big = randomBytes(6 * 1024 * 1024 + 5);
    write(source, 'bin/all.bytes', Buffer.from(Array.from({ length: 256 }, (_, index) => index)));
    write(source, 'run.sh', '#!/bin/sh\necho hi\n', 0o755);
    write(source, 'private', 'secret', 0o600);
    write(source, 'empty', '');
    write(source, 'big.bin', big);
    write(source, `${'deep/'.repeat(40)}long-name-${'x'.repeat(150)}.txt`, 'long');
    symlinkSync('bin/all.bytes', path.join(source, 'link'));
    symlinkSync('/etc/passwd', path.join(source, 'passwd'));
    mkdirSync(path.join(source, 'a-folder'));
    const scan = await new SnapshotScanner(new PathGuard(source)).scan({ maxFileBytes: 64 << 20, includeEnv: false });
    const paths = [...scan.files.map((file) => file.path).reverse(), 'vanished.txt', 'a-folder'];
    const response = await post(await startAgent(source), { paths });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-tar');
    const tar = Buffer.from(await response.arrayBuffer());
    const entries = await readTar(tar);
    expect(entries.map((entry) => entry.header.name)).toEqual(scan.files.map((file) => file.path).reverse());
    expect(entries.find((entry) => entry.header.name === 'passwd')?.header).toMatchObject({
      type: 'symlink',
      linkname: '/etc/passwd',
    });
    expect(entries.find((entry) => entry.header.name === 'run.sh')?.header.mode).toBe(0o755);

    const restored = await put(await startAgent(target), tar);
    expect(await restored.json()).toEqual({ written: scan.files.length });
    const rescan = await new SnapshotScanner(new PathGuard(target)).scan({ maxFileBytes: 64 << 20, includeEnv: false });
    expect(rescan).toEqual(scan);
    expect(readFileSync(path.join(target, 'big.bin')).equals(big)).toBe(true);
    expect(readlinkSync(path.join(target, 'passwd'))).toBe('/etc/passwd');
    expect(statSync(path.join(target, 'private')).mode & 0o777).toBe(0o600);
  });

  it('replaces files and symlinks in place, never writing through an existing link', async () => {
    write(outside, 'victim', 'untouched');
    symlinkSync(path.join(outside, 'victim'), path.join(target, 'a'));
    write(target, 'b', 'old');
    const tar = await makeTar([
      { header: { name: 'a', mode: 0o644 }, content: 'new a' },
      { header: { name: 'b', type: 'symlink', linkname: 'a' } },
      { header: { name: 'dir/', type: 'directory' } },
    ]);
    const response = await put(await startAgent(target), tar);
    expect(await response.json()).toEqual({ written: 3 });
    expect(readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('untouched');
    expect(lstatSync(path.join(target, 'a')).isFile()).toBe(true);
    expect(readlinkSync(path.join(target, 'b'))).toBe('a');
    expect(lstatSync(path.join(target, 'dir')).isDirectory()).toBe(true);
  });

  it('keeps entry order where paths repeat, nest, or go through a symlink the archive made', async () => {
    const many = Array.from({ length: 40 }, (_, index) => ({
      header: { name: `sub/f${index}` },
      content: `f${index}`,
    }));
    const tar = await makeTar([
      { header: { name: 'x' }, content: 'one' },
      ...many,
      { header: { name: 'x' }, content: 'two' },
      { header: { name: 'via', type: 'symlink', linkname: 'sub' } },
      { header: { name: 'via/f3' }, content: 'through the link' },
    ]);
    const response = await put(await startAgent(target), tar);
    expect(await response.json()).toEqual({ written: 44 });
    expect(readFileSync(path.join(target, 'x'), 'utf8')).toBe('two');
    expect(readFileSync(path.join(target, 'sub/f3'), 'utf8')).toBe('through the link');
    expect(readFileSync(path.join(target, 'sub/f39'), 'utf8')).toBe('f39');
    const nested = await put(
      await startAgent(target),
      await makeTar([
        { header: { name: 'n' }, content: 'file' },
        { header: { name: 'n/inner' }, content: 'x' },
      ]),
    );
    expect(nested.status).toBe(400);
    expect(readFileSync(path.join(target, 'n'), 'utf8')).toBe('file');
  });

  it('refuses bad paths in the list', async () => {
    const url = await startAgent(source);
    for (const bad of ['../x', '/etc/passwd', './a', 'a//b', 'a\0b']) {
      const response = await post(url, { paths: [bad] });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('bad_path');
    }
    expect((await post(url, 'not json')).status).toBe(400);
    expect((await post(url, { paths: 'a' })).status).toBe(400);
  });

  it('leaves out a path under a symlinked folder that leaves the root', async () => {
    write(outside, 'secret', 'nope');
    symlinkSync(outside, path.join(source, 'out'));
    write(source, 'ok', 'ok');
    const response = await post(await startAgent(source), { paths: ['out/secret', 'ok'] });
    expect((await readTar(Buffer.from(await response.arrayBuffer()))).map((entry) => entry.header.name)).toEqual([
      'ok',
    ]);
  });
});

describe('PUT /snapshot/archive refuses hostile archives', () => {
  const refusals: [string, () => Promise<Buffer>, string][] = [
    ['a parent path', () => makeTar([{ header: { name: '../escaped' }, content: 'x' }]), 'bad_path'],
    ['an absolute path', () => makeTar([{ header: { name: '/etc/escaped' }, content: 'x' }]), 'bad_path'],
    ['a hard link', () => makeTar([{ header: { name: 'hard', type: 'link', linkname: 'ok' } }]), 'bad_archive'],
    ['a FIFO', () => makeTar([{ header: { name: 'fifo', type: 'fifo' } }]), 'bad_archive'],
    [
      'a device',
      () => makeTar([{ header: { name: 'dev', type: 'character-device', devmajor: 1, devminor: 3 } }]),
      'bad_archive',
    ],
    ['garbage', async () => randomBytes(2048), 'bad_archive'],
  ];
  for (const [what, tar, code] of refusals) {
    it(`refuses ${what}`, async () => {
      const response = await put(await startAgent(target), await tar());
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe(code);
      expect(existsSync(path.join(path.dirname(target), 'escaped'))).toBe(false);
    });
  }

  it('refuses writing through a symlink the archive planted, keeping the entries before it', async () => {
    const tar = await makeTar([
      { header: { name: 'first.txt' }, content: 'kept' },
      { header: { name: 'evil', type: 'symlink', linkname: outside } },
      { header: { name: 'evil/pwned' }, content: 'x' },
      { header: { name: 'after.txt' }, content: 'never' },
    ]);
    const response = await put(await startAgent(target), tar);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('bad_path');
    expect(existsSync(path.join(outside, 'pwned'))).toBe(false);
    expect(readFileSync(path.join(target, 'first.txt'), 'utf8')).toBe('kept');
    expect(existsSync(path.join(target, 'after.txt'))).toBe(false);
  });

  it('answers a bad entry while the client is still sending', async () => {
    const url = new URL(await startAgent(target));
    const bad = await makeTar([{ header: { name: '../escaped' }, content: 'x' }]);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'PUT' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(bad.subarray(0, 1024)); // the header only, and the body never ends
      cleanup.push(() => void req.destroy());
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'bad_path' });
  });

  it('refuses a file where a folder is, and a truncated archive', async () => {
    mkdirSync(path.join(target, 'folder'));
    const url = await startAgent(target);
    const inTheWay = await put(url, await makeTar([{ header: { name: 'folder' }, content: 'x' }]));
    expect(inTheWay.status).toBe(400);
    expect(lstatSync(path.join(target, 'folder')).isDirectory()).toBe(true);
    const whole = await makeTar([{ header: { name: 'cut.bin' }, content: randomBytes(100_000) }]);
    const truncated = await put(url, whole.subarray(0, 50_000));
    expect(truncated.status).toBe(400);
    expect(((await truncated.json()) as { error: string }).error).toBe('bad_archive');
    expect(existsSync(path.join(target, 'cut.bin'))).toBe(false);
  });
});
