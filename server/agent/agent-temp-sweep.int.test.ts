// Leftover temp files in a real workspace container: an upload cut off mid-body leaves none,
// and the ones an earlier agent left behind (killed mid-save) are gone once the workspace
// starts again — except inside node_modules, which the sweep does not walk.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureWorkspaceImage } from '../../scripts/workspace-image.mjs';
import { makeTestDriver } from '../runtime/docker/docker-test-support';
import type { AgentEndpoint } from '../runtime/runtime-driver';
import { run, waitUntil } from '../runtime/runtime-test-helpers';
import { contentClient } from './agent-test-client';

const projectId = `test-sweep-${randomBytes(5).toString('hex')}`;
let testDriver: Awaited<ReturnType<typeof makeTestDriver>>;
let agent: AgentEndpoint;
const sh = async (script: string) => {
  const result = await run(testDriver.driver, projectId, ['bash', '-c', script]);
  if (result.code !== 0) throw new Error(`"${script}" failed (${result.code}): ${result.output}`);
  return result.output;
};
const content = contentClient(() => agent);
const temps = () => sh(`find /workspace -name '.berth-tmp-*' | sort`);

beforeAll(async () => {
  const image = await ensureWorkspaceImage({ quiet: true });
  testDriver = await makeTestDriver({ image });
  agent = (await testDriver.driver.ensureRunning({ projectId })).agent!;
}, 300_000);

afterAll(async () => {
  await testDriver?.driver.remove(projectId);
  await testDriver?.cleanup();
});

it('removes the temp file of an upload cut off mid-body', async () => {
  expect((await content.put('big.bin', 'before')).status).toBe(200);
  const req = request(`${agent.url}/fs/content?path=big.bin&maxBytes=10000000`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${agent.secret}` },
  });
  req.on('error', () => undefined);
  req.write(Buffer.alloc(256 * 1024, 7));
  await waitUntil(async () => (await temps()) !== '', 10_000);
  req.destroy();
  await waitUntil(async () => (await temps()) === '', 10_000);
  expect(await (await content.get('big.bin')).text()).toBe('before');
});

it('sweeps temp files an earlier agent left, once the workspace starts again', async () => {
  await sh(
    [
      'mkdir -p src/deep node_modules/pkg',
      'touch -d "-1 hour" .berth-tmp-0123456789abcdef src/deep/.berth-tmp-aaaaaaaaaaaaaaaa node_modules/pkg/.berth-tmp-bbbbbbbbbbbbbbbb',
      'echo mine > src/keep.txt',
    ].join(' && '),
  );
  await testDriver.driver.stop(projectId);
  agent = (await testDriver.driver.ensureRunning({ projectId })).agent!;
  // The sweep runs in the background right after the agent starts.
  await waitUntil(async () => !(await temps()).includes('src/deep'), 10_000);
  expect(await temps()).toBe('/workspace/node_modules/pkg/.berth-tmp-bbbbbbbbbbbbbbbb\n');
  expect(await sh('cat src/keep.txt')).toBe('mine\n');
}, 120_000);
