// WORKSPACE_DISK_GB on the real engine (ADR 0006): on this host (root, loop devices) the volume
// is a fixed-size filesystem, so fallocate/dd past the limit fail with ENOSPC and nothing
// spills onto the host's disk; the filesystem survives a stop (unmounted) and a start
// (mounted again) with its files; usage is reported; remove deletes the image; and a
// workspace stopped with its writable layer over the limit gets a fresh container.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../runtime-test-helpers';
import { isMounted } from './disk-image';
import { makeTestDriver } from './docker-test-support';
import { containerName } from './names';

const LIMIT = Math.round(0.05 * 1024 ** 3); // WORKSPACE_DISK_GB=0.05
const MiB = 1024 * 1024;

describe('DockerDriver disk limit', () => {
  let t: Awaited<ReturnType<typeof makeTestDriver>>;
  let disksDir: string;
  const projectId = `test-${randomBytes(5).toString('hex')}`;
  const sh = (script: string) => run(t.driver, projectId, ['sh', '-c', script]);

  beforeAll(async () => {
    disksDir = await mkdtemp(path.join(tmpdir(), 'berth-disks-'));
    t = await makeTestDriver({ diskLimitBytes: LIMIT, disksDir });
    await t.driver.ensureRunning({ projectId });
  }, 60_000);
  afterAll(async () => {
    if (!t) return;
    await t.driver.remove(projectId).catch(() => undefined);
    await t.cleanup();
    await rm(disksDir, { recursive: true, force: true });
  });

  it('says which mechanism holds the limit on this host', async () => {
    // Root, loop devices and ext4 here; overlay2 sits on ext4, so no storage quota for the layer.
    expect(await t.driver.diskMechanisms()).toMatchObject({ volume: 'filesystem', layer: 'watch' });
  });

  it('refuses writes past the limit inside /workspace', async () => {
    const fallocate = await sh(
      'fallocate -l 200M /workspace/big; echo "rc=$?"; df -B1 --output=size /workspace | tail -1',
    );
    expect(fallocate.output).toMatch(/No space left on device/);
    expect(fallocate.output).toMatch(/rc=1/);
    const dd = await sh(
      'rm -f /workspace/big; dd if=/dev/zero of=/workspace/dd bs=1M count=200 2>&1; echo "rc=$?"; stat -c %s /workspace/dd',
    );
    expect(dd.output).toMatch(/No space left on device/);
    const written = Number(dd.output.trim().split('\n').at(-1));
    expect(written).toBeGreaterThan(20 * MiB);
    expect(written).toBeLessThanOrEqual(LIMIT);
    // The bytes live in the image file, which cannot grow past the limit.
    const image = await stat(path.join(disksDir, `${projectId}.img`));
    expect(image.size).toBe(LIMIT);
    expect(image.blocks * 512).toBeLessThanOrEqual(LIMIT);
  });

  it('reports usage: the volume and the writable layer against the limit', async () => {
    await sh('head -c 3000000 /dev/zero > /tmp/scratch');
    const usage = await t.driver.diskUsage(projectId);
    expect(usage).toMatchObject({ limitBytes: LIMIT, enforcement: 'filesystem' });
    expect(usage!.volumeBytes).toBeGreaterThan(20 * MiB);
    expect(usage!.layerBytes).toBeGreaterThanOrEqual(3_000_000);
    expect(usage!.usedBytes).toBe(usage!.volumeBytes + usage!.layerBytes);
  });

  it('unmounts at stop and mounts again at start, files kept', async () => {
    await sh('rm -f /workspace/dd; echo kept > /workspace/note.txt');
    await t.driver.stop(projectId);
    expect(await isMounted(path.join(disksDir, projectId))).toBe(false);
    await t.driver.ensureRunning({ projectId });
    expect(await isMounted(path.join(disksDir, projectId))).toBe(true);
    expect((await sh('cat /workspace/note.txt')).output).toBe('kept\n');
  }, 30_000);

  it('gives a stopped workspace whose writable layer is over the limit a fresh container', async () => {
    const before = (await t.docker.getContainer(containerName(projectId)).inspect()).Id;
    // Outside /workspace nothing holds writes but the watch: fill the layer past the limit.
    await sh(`head -c ${LIMIT + MiB} /dev/zero > /tmp/fill`);
    await t.driver.stop(projectId);
    await t.driver.ensureRunning({ projectId });
    expect((await t.docker.getContainer(containerName(projectId)).inspect()).Id).not.toBe(before);
    expect((await sh('ls /tmp/fill 2>&1; cat /workspace/note.txt')).output).toMatch(/No such file[\s\S]*kept/);
  }, 60_000);

  it('removes the filesystem with the workspace', async () => {
    await t.driver.remove(projectId);
    expect(existsSync(path.join(disksDir, `${projectId}.img`))).toBe(false);
    expect(await isMounted(path.join(disksDir, projectId))).toBe(false);
  }, 30_000);
});
