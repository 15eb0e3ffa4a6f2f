// The /fs/content routes over real HTTP on a temp folder (no container): headers, binary
// round trip, preconditions, the size limit while streaming, refusals as JSON.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathGuard } from './fs/path-guard';
import { createHttpRoutes } from './http-routes';
import { health } from './rpc-handlers';

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-http-')));
  mkdirSync(path.join(root, 'dir'));
  writeFileSync(path.join(root, 'hello.txt'), 'hello');
  symlinkSync('/etc/passwd', path.join(root, 'passwd-link'));
  const route = createHttpRoutes({ guard: new PathGuard(root), health });
  server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const content = (file: string, extra = '') => `${base}/fs/content?path=${encodeURIComponent(file)}${extra}`;
const put = (file: string, body: BodyInit, headers: Record<string, string> = {}, extra = '&maxBytes=1048576') =>
  fetch(content(file, extra), { method: 'PUT', body, headers });

describe('/fs/content', () => {
  it('round-trips all 256 byte values with version, length and type headers', async () => {
    const data = new Uint8Array(Array.from({ length: 256 }, (_, index) => index));
    const written = await put('bin/all.bytes', data, { 'If-None-Match': '*' });
    expect(written.status).toBe(200);
    const { version, size } = (await written.json()) as { version: string; size: number };
    expect(size).toBe(256);
    const read = await fetch(content('bin/all.bytes'));
    expect(read.status).toBe(200);
    expect(read.headers.get('x-berth-version')).toBe(version);
    expect(read.headers.get('content-length')).toBe('256');
    expect(read.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await read.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
  });

  it('answers 412 with the current version on a stale If-Match or an existing If-None-Match: *', async () => {
    const current = (await fetch(content('hello.txt'))).headers.get('x-berth-version');
    const stale = await put('hello.txt', 'changed', { 'If-Match': 'stale-version' });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ error: 'conflict', currentVersion: current });
    const exists = await put('hello.txt', 'changed', { 'If-None-Match': '*' });
    expect(exists.status).toBe(412);
    expect(readFileSync(path.join(root, 'hello.txt'), 'utf8')).toBe('hello');
    const fresh = await put('hello.txt', 'changed', { 'If-Match': current! });
    expect(fresh.status).toBe(200);
  });

  it('answers 413 for a body over maxBytes, streamed or declared, leaving the file and no temp file', async () => {
    const declared = await put('hello.txt', Buffer.alloc(2000), {}, '&maxBytes=1000');
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'too_large' });
    // Chunked: no Content-Length, so the limit is hit while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(content('hello.txt', '&maxBytes=1000'), { method: 'PUT' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let index = 0; index < 20; index++) req.write(Buffer.alloc(100_000));
      req.end();
    });
    expect(status).toBe(413);
    expect(readFileSync(path.join(root, 'hello.txt'), 'utf8')).not.toHaveLength(0);
    expect(readdirSync(root).filter((name) => name.startsWith('.berth-tmp-'))).toEqual([]);
  });

  it('discards the temp file when the uploader goes away mid-body', async () => {
    const req = request(content('hello.txt', '&maxBytes=10000000'), { method: 'PUT' });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(100_000, 7));
    // Wait for the temp file to appear (not a fixed sleep: under load the agent may take longer).
    const appeared = Date.now() + 5000;
    while (!readdirSync(root).some((name) => name.startsWith('.berth-tmp-')) && Date.now() < appeared)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(readdirSync(root).filter((name) => name.startsWith('.berth-tmp-'))).toHaveLength(1);
    req.destroy();
    const deadline = Date.now() + 2000;
    while (readdirSync(root).some((name) => name.startsWith('.berth-tmp-')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(readdirSync(root).filter((name) => name.startsWith('.berth-tmp-'))).toEqual([]);
    expect(readFileSync(path.join(root, 'hello.txt'))[0]).not.toBe(7);
  });

  it('refuses bad paths with 400 JSON and touches nothing', async () => {
    const before = readFileSync('/etc/passwd');
    for (const bad of ['../x', '/etc/passwd', 'a\0b', 'passwd-link']) {
      const read = await fetch(content(bad));
      expect(read.status).toBe(400);
      expect(await read.json()).toMatchObject({ error: 'bad_path' });
      const write = await put(bad, 'pwned');
      expect(write.status).toBe(400);
    }
    expect(readFileSync('/etc/passwd').equals(before)).toBe(true);
  });

  it('answers 404, not_a_file and 405 as JSON', async () => {
    expect((await fetch(content('missing.txt'))).status).toBe(404);
    const dir = await fetch(content('dir'));
    expect(dir.status).toBe(400);
    expect(await dir.json()).toMatchObject({ error: 'not_a_file' });
    expect((await fetch(content('hello.txt'), { method: 'DELETE' })).status).toBe(405);
  });
});
