// The fallback of ADR 0006 on the real engine: where no filesystem per volume can be made
// (Berth not root, or in a container; forced here), /workspace is a plain volume and the limit
// is only measured — `du` in the container plus the writable layer — so that the disk watch
// can stop the workspace past it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../runtime-test-helpers';
import { makeTestDriver } from './docker-test-support';

const LIMIT = Math.round(0.05 * 1024 ** 3);
const MiB = 1024 * 1024;

describe('DockerDriver disk limit, watched', () => {
  let t: Awaited<ReturnType<typeof makeTestDriver>>;
  let disksDir: string;
  const projectId = `test-${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    disksDir = await mkdtemp(path.join(tmpdir(), 'berth-disks-'));
    t = await makeTestDriver({ diskLimitBytes: LIMIT, disksDir, diskFilesystem: false });
    await t.driver.ensureRunning({ projectId });
  }, 60_000);
  afterAll(async () => {
    if (!t) return;
    await t.driver.remove(projectId).catch(() => undefined);
    await t.cleanup();
    await rm(disksDir, { recursive: true, force: true });
  });

  it('says the volume is watched, and why', async () => {
    expect(await t.driver.diskMechanisms()).toMatchObject({
      volume: 'watch',
      volumeNote: 'a filesystem per volume is turned off',
      layer: 'watch',
    });
    expect(await readdir(disksDir)).toEqual([]);
  });

  it('measures /workspace and the writable layer, past the limit', async () => {
    const filled = await run(t.driver, projectId, [
      'sh',
      '-c',
      'fallocate -l 60M /workspace/big && head -c 2000000 /dev/zero > /tmp/scratch && echo done',
    ]);
    expect(filled.output).toMatch(/done/);
    const usage = await t.driver.diskUsage(projectId);
    expect(usage).toMatchObject({ limitBytes: LIMIT, enforcement: 'watch' });
    expect(usage!.volumeBytes).toBeGreaterThanOrEqual(60 * MiB);
    expect(usage!.layerBytes).toBeGreaterThanOrEqual(2_000_000);
    expect(usage!.usedBytes).toBeGreaterThan(LIMIT);
  });
});
