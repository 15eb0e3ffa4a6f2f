// Writes racing a symlink inside a real workspace container: a shell loop keeps swapping
// /workspace/d between a folder and a symlink to /tmp/outside while the agent is asked, many
// times over, to write, mkdir, move and delete into d. Whatever each call answers, nothing may
// land in /tmp/outside and the file there must survive.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWorkspaceImage } from '../../scripts/workspace-image.mjs';
import { makeTestDriver } from '../runtime/docker/docker-test-support';
import type { AgentEndpoint } from '../runtime/runtime-driver';
import { run } from '../runtime/runtime-test-helpers';
import { connectRpc, contentClient, type AgentRpcClient } from './agent-test-client';

const ROUNDS = 300;
const projectId = `test-race-${randomBytes(5).toString('hex')}`;
let testDriver: Awaited<ReturnType<typeof makeTestDriver>>;
let agent: AgentEndpoint;
let rpc: AgentRpcClient;
const sh = async (script: string) => {
  const result = await run(testDriver.driver, projectId, ['bash', '-c', script]);
  if (result.code !== 0) throw new Error(`"${script}" failed (${result.code}): ${result.output}`);
  return result.output;
};
const content = contentClient(() => agent);

beforeAll(async () => {
  // Rebuilds the image when the agent's bundle changed.
  const image = await ensureWorkspaceImage({ quiet: true });
  testDriver = await makeTestDriver({ image });
  agent = (await testDriver.driver.ensureRunning({ projectId })).agent!;
  rpc = await connectRpc(agent);
}, 300_000);

afterAll(async () => {
  rpc?.close();
  await testDriver?.driver.remove(projectId);
  await testDriver?.cleanup();
});

const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'thrown',
  );
const status = async (response: Promise<Response>) => {
  const answer = await response;
  return answer.status === 200 ? 'ok' : (((await answer.json()) as { error?: string }).error ?? String(answer.status));
};

it('never lands a write, mkdir, move or delete outside /workspace while a folder is swapped for a symlink', async () => {
  await sh('mkdir -p /tmp/outside d && echo keep > /tmp/outside/victim.txt');
  // The swapper outlives this exec (reparented to the container's init); bounded by timeout.
  await sh(
    `nohup timeout 300 bash -c 'cd /workspace; while :; do rm -rf d; mkdir d; rm -rf d; ln -s /tmp/outside d; done' >/dev/null 2>&1 & echo $! > /tmp/swapper.pid`,
  );
  const outcomes = new Map<string, number>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await content.put(`src-${round}.txt`, 'moving').then((response) => response.arrayBuffer());
      const results = await Promise.all([
        status(content.put(`d/file-${round}.txt`, `data ${round}`)),
        settle(rpc.call('fs.mkdir', { path: `d/dir-${round}/sub` })),
        settle(rpc.call('fs.move', { from: `src-${round}.txt`, to: `d/moved-${round}/file.txt` })),
        settle(rpc.call('fs.delete', { path: 'd/victim.txt' })),
      ]);
      results.forEach((result, index) => {
        const key = `${['write', 'mkdir', 'move', 'delete'][index]}:${result}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      });
    }
  } finally {
    await sh('kill $(cat /tmp/swapper.pid) 2>/dev/null; true');
  }
  console.log('outcomes under the race (container):', Object.fromEntries(outcomes));
  expect(await sh('ls -A /tmp/outside')).toBe('victim.txt\n');
  expect(await sh('cat /tmp/outside/victim.txt')).toBe('keep\n');
  // The race really ran: some calls got through while d was a folder.
  expect(outcomes.get('write:ok') ?? 0).toBeGreaterThan(0);
}, 300_000);
