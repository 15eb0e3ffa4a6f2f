// The static server that deployment images run, started from its source with this Node.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATIC_SERVER_SOURCE } from './static-server-source';

let dir: string;
let child: ChildProcess;
let base: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'berth-static-'));
  mkdirSync(path.join(dir, 'site', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'site', 'index.html'), '<h1>home</h1>');
  writeFileSync(path.join(dir, 'site', 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  writeFileSync(path.join(dir, 'serve.cjs'), STATIC_SERVER_SOURCE);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [path.join(dir, 'serve.cjs'), path.join(dir, 'site')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Ready when it says so.
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Serving') && resolve());
    child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
});

afterAll(() => {
  child?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('static server', () => {
  it('serves index.html for / and files with their type; hashed assets are cached for good', async () => {
    const home = await fetch(`${base}/`);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await home.text()).toBe('<h1>home</h1>');
    const asset = await fetch(`${base}/assets/app-1a2b.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('answers index.html for client-side routes, 404 for missing files with an extension', async () => {
    expect(await (await fetch(`${base}/settings/profile`)).text()).toBe('<h1>home</h1>');
    expect((await fetch(`${base}/missing.js`)).status).toBe(404);
  });

  it('never serves outside its folder', async () => {
    // An encoded slash survives URL normalisation and decodes to ../ on the server.
    const response = await fetch(`${base}/..%2fsecret.txt`);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('outside');
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
  });

  it('refuses other methods', async () => {
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });
});
