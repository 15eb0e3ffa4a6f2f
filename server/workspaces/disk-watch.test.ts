// DiskWatch: the last figure per workspace, a push when it changes, and a stop with disk_full
// (saying what filled it) past the limit. The workspace service is a small stand-in with the
// five members the watch uses; the real one is exercised in disk-limit.int.test.ts.
import { describe, expect, it } from 'vitest';
import type { WorkspaceStatusDto } from '../contracts';
import { createLogger } from '../core/logger';
import { TypedEmitter } from '../core/typed-emitter';
import type { WorkspaceDiskUsage } from '../runtime';
import { DiskWatch, diskFullMessage } from './disk-watch';

const MiB = 1024 * 1024;

function setup(usage: Map<string, WorkspaceDiskUsage>) {
  const stopped: { projectId: string; reason: { code: string; message: string } }[] = [];
  const refreshed: string[] = [];
  const running = new Set(usage.keys());
  const service = {
    events: new TypedEmitter<{ onDidChangeStatus: WorkspaceStatusDto; onDidConnectAgent: never }>(),
    active: () => [...running].map((projectId) => ({ projectId, state: 'running' as const })),
    recordDiskUsage: () => undefined,
    refresh: (projectId: string) => void refreshed.push(projectId),
    stopBecause: async (projectId: string, reason: { code: string; message: string }) => {
      stopped.push({ projectId, reason });
      running.delete(projectId);
      return { projectId, state: 'stopped' as const, error: reason };
    },
  };
  const watch = new DiskWatch(
    service as never,
    async (projectId) => usage.get(projectId) ?? null,
    createLogger('silent'),
  );
  return { watch, stopped, refreshed, service };
}

const usage = (volumeBytes: number, layerBytes: number, limitBytes = 50 * MiB): WorkspaceDiskUsage => ({
  usedBytes: volumeBytes + layerBytes,
  limitBytes,
  enforcement: 'filesystem',
  volumeBytes,
  layerBytes,
});

describe('DiskWatch', () => {
  it('keeps the last figure and pushes the status only when it changed', async () => {
    const figures = new Map([['a', usage(10 * MiB, MiB)]]);
    const { watch, refreshed, stopped } = setup(figures);
    await watch.checkAll();
    await watch.checkAll();
    expect(watch.usageOf('a')).toEqual({ usedBytes: 11 * MiB, limitBytes: 50 * MiB, enforcement: 'filesystem' });
    expect(refreshed).toEqual(['a']);
    figures.set('a', usage(12 * MiB, MiB));
    await watch.checkAll();
    expect(refreshed).toEqual(['a', 'a']);
    expect(stopped).toEqual([]);
  });

  it('stops a workspace past the limit with disk_full, naming what filled it', async () => {
    const { watch, stopped } = setup(
      new Map([
        ['a', usage(10 * MiB, 45 * MiB)],
        ['b', usage(20 * MiB, 0)],
      ]),
    );
    await watch.checkAll();
    expect(stopped.map((entry) => entry.projectId)).toEqual(['a']);
    expect(stopped[0]!.reason).toEqual({
      code: 'disk_full',
      message:
        'Stopped: disk limit of 50 MB exceeded (55 MB used: 45 MB written outside /workspace (e.g. /tmp, caches), which is cleared at the next start)',
    });
    // The figure stays for the stopped workspace's status.
    expect(watch.usageOf('a')?.usedBytes).toBe(55 * MiB);
  });

  it('lets a workspace stopped over the limit run again to delete files, but not grow', async () => {
    const figures = new Map([['a', usage(60 * MiB, 0)]]);
    const { watch, stopped } = setup(figures);
    await watch.check('a');
    expect(stopped).toHaveLength(1);
    await watch.check('a'); // started again, unchanged: left running
    expect(stopped).toHaveLength(1);
    figures.set('a', usage(61 * MiB, 0)); // growing: stopped again
    await watch.check('a');
    expect(stopped).toHaveLength(2);
    figures.set('a', usage(40 * MiB, 0)); // back under the limit: the allowance is gone
    await watch.check('a');
    figures.set('a', usage(55 * MiB, 0));
    await watch.check('a');
    expect(stopped).toHaveLength(3);
  });

  it('measures a workspace as soon as it runs', async () => {
    const { watch, service } = setup(new Map([['a', usage(MiB, 0)]]));
    const stop = watch.start(60_000);
    service.events.emit('onDidChangeStatus', { projectId: 'a', state: 'running' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(watch.usageOf('a')?.usedBytes).toBe(MiB);
    stop();
  });

  it('says when /workspace itself is what is full (watched volumes)', () => {
    expect(diskFullMessage({ ...usage(60 * MiB, MiB), enforcement: 'watch' })).toBe(
      'Stopped: disk limit of 50 MB exceeded (61 MB used: 60 MB in /workspace; delete files after starting it again)',
    );
  });
});
