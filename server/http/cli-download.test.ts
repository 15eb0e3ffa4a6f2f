// GET /cli asks whether the CLI file is up to date at most every 10 s, whoever asks how often:
// the answer (and the file) is kept, and checked again once that time has passed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_META, CLI_OUTFILE } from '../../scripts/cli-bundle.mjs';
import { createLogger } from '../core/logger';
import { CLI_FRESHNESS_MS, createCliDownload } from './cli-download';

let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

describe('GET /cli', () => {
  it('checks freshness at most once per period, then again', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'berth-cli-download-'));
    await mkdir(path.join(dir, 'dist'), { recursive: true });
    await writeFile(path.join(dir, CLI_OUTFILE), 'console.log("v1");\n');
    // Its sources absent, as in the image: the built file is up to date.
    await writeFile(path.join(dir, CLI_META), JSON.stringify({ inputs: ['server/cli/main.ts'], hash: 'x' }));
    let clock = 1_000;
    let checks = 0;
    const handler = createCliDownload({
      appDir: dir,
      log: createLogger('silent'),
      now: () => clock,
      onCheck: () => checks++,
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cli`;
    const body = async () => (await fetch(url)).text();

    expect(await body()).toBe('console.log("v1");\n');
    await writeFile(path.join(dir, CLI_OUTFILE), 'console.log("v2");\n');
    for (let i = 0; i < 5; i++) expect(await body()).toBe('console.log("v1");\n');
    expect(checks).toBe(1);
    clock += CLI_FRESHNESS_MS;
    expect(await body()).toBe('console.log("v2");\n');
    expect(checks).toBe(2);
  });
});
