// A project whose snapshots keep failing keeps saying so: the 'failed' state (with the count of
// failures in a row) is sent again between retries, so a tab opened meanwhile shows it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SnapshotStatusDto } from '../contracts';
import { createLogger } from '../core/logger';
import { SnapshotScheduler } from './snapshot-scheduler';

let failing: boolean;
let running: boolean;
let statuses: SnapshotStatusDto[];
let scheduler: SnapshotScheduler;

beforeEach(() => {
  vi.useFakeTimers();
  failing = true;
  running = true;
  statuses = [];
  const service = {
    take: async () => {
      if (failing) throw new Error('database unreachable');
      return { snapshot: { createdAt: new Date().toISOString() }, created: true };
    },
  };
  scheduler = new SnapshotScheduler(
    service as never,
    () => running,
    (status) => statuses.push({ ...status }),
    { debounceMs: 60_000, maxRetryMs: 120_000, failedReminderMs: 10_000 },
    createLogger('silent'),
  );
});

afterEach(() => {
  scheduler.dispose();
  vi.useRealTimers();
});

describe('SnapshotScheduler while snapshots keep failing', () => {
  it('re-sends the failed state between retries, counting failures, until one succeeds', async () => {
    scheduler.changed('p');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statuses.map((status) => status.state)).toEqual(['saving', 'failed']);
    expect(statuses.at(-1)).toMatchObject({ failures: 1, error: 'Snapshot failed: database unreachable' });
    statuses = [];
    await vi.advanceTimersByTimeAsync(50_000); // the retry is 60 s after the failure
    expect(statuses.map((status) => status.state)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(statuses.at(-1)).toMatchObject({ state: 'failed', failures: 2 });
    failing = false;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(statuses.at(-1)).toMatchObject({ state: 'idle' });
    expect(statuses.at(-1)).not.toHaveProperty('failures');
    const count = statuses.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statuses).toHaveLength(count);
  });

  it('stops reminding once the workspace no longer runs', async () => {
    scheduler.changed('p');
    await vi.advanceTimersByTimeAsync(60_000);
    running = false;
    statuses = [];
    await vi.advanceTimersByTimeAsync(300_000);
    expect(statuses).toEqual([]);
  });
});
