// A snapshot restore racing a symlink, on the host: a child process keeps swapping root/d
// between a folder and a symlink to a folder outside the root while archives are restored
// into d (small files written in the background, a big streamed file, new folders, files in
// missing folders, symlinks). Whatever each restore answers, nothing may appear outside.
// (The same race inside a real container: archive-in-race.int.test.ts.)
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header } from 'tar-stream';
import { expect, it } from 'vitest';
import { useSymlinkRace } from '../fs/symlink-race-fixture';
import { PathGuard } from '../fs/path-guard';
import { extractArchive } from './archive-in';

const ROUNDS = Number(process.env.RACE_ROUNDS ?? 300);

const race = useSymlinkRace('berth-restore-race-');

async function tar(
  entries: { header: Partial<Header> & { name: string }; content?: Buffer | string }[],
): Promise<Buffer> {
  const pack = tarPack();
  // Read while packing: a big entry's callback waits for its bytes to be taken.
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const { header, content } of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content === undefined) pack.entry(header, done);
      else pack.entry(header, content, done);
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

const BIG = Buffer.alloc(1024 * 1024 + 1, 7); // past SMALL_FILE_BYTES: streamed in the foreground

/** One archive per kind of write, so that a refusal of one does not stop the others. */
async function archivesFor(round: number): Promise<Record<string, Buffer>> {
  const small = Array.from({ length: 8 }, (_, index) => ({
    header: { name: `d/small-${round}-${index}.txt`, mode: 0o644 },
    content: `data ${round}`,
  }));
  return {
    small: await tar(small),
    folder: await tar([{ header: { name: `d/dir-${round}/sub/`, type: 'directory', mode: 0o755 } }]),
    nested: await tar([{ header: { name: `d/new-${round}/deep/file.txt`, mode: 0o644 }, content: 'nested' }]),
    symlink: await tar([{ header: { name: `d/link-${round}`, type: 'symlink', linkname: 'victim.txt' } }]),
    ...(round % 10 === 0
      ? { big: await tar([{ header: { name: `d/big-${round}.bin`, mode: 0o644 }, content: BIG }]) }
      : {}),
  };
}

it('never restores a file, folder or symlink outside the root while a folder is swapped for a symlink', async () => {
  const guard = new PathGuard(race.root);
  const prepared = await Promise.all(Array.from({ length: ROUNDS }, (_, round) => archivesFor(round)));
  race.startSwapper();
  const outcomes = new Map<string, number>();
  for (const archives of prepared) {
    const kinds = Object.keys(archives);
    const results = await Promise.all(
      kinds.map((kind) =>
        extractArchive(guard, Readable.from([archives[kind]!])).then(
          () => 'ok',
          (error: { code?: string }) => error.code ?? 'thrown',
        ),
      ),
    );
    results.forEach((result, index) =>
      outcomes.set(`${kinds[index]}:${result}`, (outcomes.get(`${kinds[index]}:${result}`) ?? 0) + 1),
    );
  }
  console.log('restore outcomes under the race (host):', Object.fromEntries(outcomes));
  expect(readdirSync(race.outside)).toEqual(['victim.txt']);
  // The race really ran: some restores met the folder.
  expect(outcomes.get('small:ok') ?? 0).toBeGreaterThan(0);
}, 180_000);
