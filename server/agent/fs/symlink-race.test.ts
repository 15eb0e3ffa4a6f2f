// Writes racing a symlink, on the host: a child process keeps swapping root/d between a folder
// and a symlink to a folder outside the root while write, mkdir, move and delete aim into d.
// Whatever each call answers, nothing may appear in (or vanish from) the outside folder.
// (The same race inside a real container: agent-symlink-race.int.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FileWriter } from './content';
import { deletePath } from './delete';
import { makeDir } from './mkdir';
import { movePath } from './move';
import { PathGuard } from './path-guard';

const ROUNDS = 400;

let base: string;
let root: string;
let outside: string;
let swapper: ChildProcess | undefined;

beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'berth-race-')));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'd'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'victim.txt'), 'must survive');
});

afterEach(async () => {
  if (swapper && swapper.exitCode === null) {
    const exited = new Promise((resolve) => swapper!.once('exit', resolve));
    swapper.kill('SIGKILL');
    await exited;
  }
  rmSync(base, { recursive: true, force: true });
});

/** Swaps root/d between a folder and a symlink to `outside` as fast as it can. */
function startSwapper(): ChildProcess {
  const script = `
    const fs = require('fs');
    const [d, target] = process.argv.slice(1);
    for (;;) {
      try { fs.rmSync(d, { recursive: true, force: true }); fs.mkdirSync(d); } catch {}
      try { fs.rmSync(d, { recursive: true, force: true }); fs.symlinkSync(target, d); } catch {}
    }`;
  return spawn(process.execPath, ['-e', script, path.join(root, 'd'), outside], { stdio: 'ignore' });
}

const settle = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { code?: string }) => error.code ?? 'thrown');

it('never writes, makes, moves or deletes outside the root while a folder is swapped for a symlink', async () => {
  const guard = new PathGuard(root);
  const writer = new FileWriter(guard);
  swapper = startSwapper();
  const outcomes = new Map<string, number>();
  const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  for (let round = 0; round < ROUNDS; round++) {
    writeFileSync(path.join(root, `src-${round}.txt`), 'moving');
    const results = await Promise.all([
      settle(writer.write(`d/file-${round}.txt`, Readable.from([Buffer.from('data')]), 1024, null)),
      settle(makeDir(guard, `d/dir-${round}/sub`)),
      settle(movePath(guard, `src-${round}.txt`, `d/moved-${round}/file.txt`)),
      settle(deletePath(guard, 'd/victim.txt')),
    ]);
    results.forEach((result, index) => count(`${['write', 'mkdir', 'move', 'delete'][index]}:${result}`));
  }
  console.log('outcomes under the race (host):', Object.fromEntries(outcomes));
  expect(readdirSync(outside)).toEqual(['victim.txt']);
  // The race really ran: some calls met the folder, others the link.
  expect(outcomes.get('write:ok') ?? 0).toBeGreaterThan(0);
}, 120_000);
