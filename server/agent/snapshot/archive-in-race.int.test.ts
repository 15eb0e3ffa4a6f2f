// A snapshot restore racing a symlink inside a real workspace container: a shell loop keeps
// swapping /workspace/d between a folder and a symlink to /tmp/outside while tars are PUT to
// the agent's /snapshot/archive, many times over (small files written in the background,
// folders, files in missing folders, symlinks). Whatever each restore answers, nothing may
// land in /tmp/outside and the file there must survive. (On the host: archive-in-race.test.ts.)
import { randomBytes } from 'node:crypto';
import { pack as tarPack, type Header } from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWorkspaceImage } from '../../../scripts/workspace-image.mjs';
import { makeTestDriver } from '../../runtime/docker/docker-test-support';
import type { AgentEndpoint } from '../../runtime/runtime-driver';
import { run } from '../../runtime/runtime-test-helpers';

const ROUNDS = 200;
const projectId = `test-restore-race-${randomBytes(5).toString('hex')}`;
let testDriver: Awaited<ReturnType<typeof makeTestDriver>>;
let agent: AgentEndpoint;
const sh = async (script: string) => {
  const result = await run(testDriver.driver, projectId, ['bash', '-c', script]);
  if (result.code !== 0) throw new Error(`"${script}" failed (${result.code}): ${result.output}`);
  return result.output;
};

beforeAll(async () => {
  // Rebuilds the image when the agent's bundle changed.
  const image = await ensureWorkspaceImage({ quiet: true });
  testDriver = await makeTestDriver({ image });
  agent = (await testDriver.driver.ensureRunning({ projectId })).agent!;
}, 300_000);

afterAll(async () => {
  await testDriver?.driver.remove(projectId);
  await testDriver?.cleanup();
});

async function tar(entries: { header: Partial<Header> & { name: string }; content?: string }[]): Promise<Buffer> {
  const pack = tarPack();
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

/** PUT /snapshot/archive; the answer's error code, or 'ok'. */
async function restore(archive: Buffer): Promise<string> {
  const response = await fetch(`${agent.url}/snapshot/archive`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${agent.secret}`, 'Content-Type': 'application/x-tar' },
    body: new Uint8Array(archive),
  });
  const body = (await response.json()) as { error?: string };
  return response.status === 200 ? 'ok' : (body.error ?? String(response.status));
}

it('never restores a file, folder or symlink outside /workspace while a folder is swapped for a symlink', async () => {
  await sh('mkdir -p /tmp/outside d && echo keep > /tmp/outside/victim.txt');
  // The swapper outlives this exec (reparented to the container's init); bounded by timeout.
  await sh(
    `nohup timeout 300 bash -c 'cd /workspace; while :; do rm -rf d; mkdir d; rm -rf d; ln -s /tmp/outside d; done' >/dev/null 2>&1 & echo $! > /tmp/swapper.pid`,
  );
  const outcomes = new Map<string, number>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const archives = {
        small: await tar(
          Array.from({ length: 8 }, (_, index) => ({
            header: { name: `d/small-${round}-${index}.txt`, mode: 0o644 },
            content: `data ${round}`,
          })),
        ),
        folder: await tar([{ header: { name: `d/dir-${round}/sub/`, type: 'directory', mode: 0o755 } }]),
        nested: await tar([{ header: { name: `d/new-${round}/deep/file.txt`, mode: 0o644 }, content: 'nested' }]),
        symlink: await tar([{ header: { name: `d/link-${round}`, type: 'symlink', linkname: 'victim.txt' } }]),
      };
      const kinds = Object.keys(archives) as (keyof typeof archives)[];
      const results = await Promise.all(kinds.map((kind) => restore(archives[kind])));
      results.forEach((result, index) =>
        outcomes.set(`${kinds[index]}:${result}`, (outcomes.get(`${kinds[index]}:${result}`) ?? 0) + 1),
      );
    }
  } finally {
    await sh('kill $(cat /tmp/swapper.pid) 2>/dev/null; true');
  }
  console.log('restore outcomes under the race (container):', Object.fromEntries(outcomes));
  const leaked = await sh('ls -A /tmp/outside');
  expect(leaked.split('\n').filter(Boolean).length, leaked.slice(0, 2000)).toBe(1);
  expect(leaked).toBe('victim.txt\n');
  expect(await sh('cat /tmp/outside/victim.txt')).toBe('keep\n');
  // The race really ran: some restores got through while d was a folder.
  expect(outcomes.get('small:ok') ?? 0).toBeGreaterThan(0);
}, 300_000);
