// Writes racing a symlink, on the host: a child process keeps swapping root/d between a folder
// and a symlink to a folder outside the root while write, mkdir, move and delete aim into d.
// Whatever each call answers, nothing may appear in (or vanish from) the outside folder.
// (The same race inside a real container: agent-symlink-race.int.test.ts.)
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { useSymlinkRace } from './symlink-race-fixture';
import { FileWriter } from './content';
import { deletePath } from './delete';
import { makeDir } from './mkdir';
import { movePath } from './move';
import { PathGuard } from './path-guard';

const ROUNDS = 400;

const race = useSymlinkRace('berth-race-');

const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'thrown',
  );

it('never writes, makes, moves or deletes outside the root while a folder is swapped for a symlink', async () => {
  const guard = new PathGuard(race.root);
  const writer = new FileWriter(guard);
  race.startSwapper();
  const outcomes = new Map<string, number>();
  const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  for (let round = 0; round < ROUNDS; round++) {
    writeFileSync(path.join(race.root, `src-${round}.txt`), 'moving');
    const results = await Promise.all([
      settle(writer.write(`d/file-${round}.txt`, Readable.from([Buffer.from('data')]), 1024, null)),
      settle(makeDir(guard, `d/dir-${round}/sub`)),
      settle(movePath(guard, `src-${round}.txt`, `d/moved-${round}/file.txt`)),
      settle(deletePath(guard, 'd/victim.txt')),
    ]);
    results.forEach((result, index) => count(`${['write', 'mkdir', 'move', 'delete'][index]}:${result}`));
  }
  console.log('outcomes under the race (host):', Object.fromEntries(outcomes));
  expect(readdirSync(race.outside)).toEqual(['victim.txt']);
  // The race really ran: some calls met the folder, others the link.
  expect(outcomes.get('write:ok') ?? 0).toBeGreaterThan(0);
}, 120_000);
