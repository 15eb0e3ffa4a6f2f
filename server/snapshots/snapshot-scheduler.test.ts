// The scheduler's timing rules with a stand-in for the snapshot service (the real one is
// exercised against Docker and PostgreSQL in snapshots.int.test.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SnapshotStatusDto } from '../contracts';
import { createLogger } from '../core/logger';
import { SnapshotScheduler } from './snapshot-scheduler';

const DEBOUNCE = 30_000;
let takes: string[];
let failNext: number;
let statuses: SnapshotStatusDto[];
let scheduler: SnapshotScheduler;

beforeEach(() => {
  vi.useFakeTimers();
  takes = [];
  failNext = 0;
  statuses = [];
  const service = {
    take: async (_projectId: string, reason: string) => {
      takes.push(reason);
      if (failNext > 0) {
        failNext -= 1;
        throw new Error('database unreachable');
      }
      return { snapshot: { createdAt: new Date().toISOString() }, created: true };
    },
  };
  scheduler = new SnapshotScheduler(
    service as never,
    () => true,
    (status) => statuses.push(status),
    { debounceMs: DEBOUNCE },
    createLogger('silent'),
  );
});

afterEach(() => {
  scheduler.dispose();
  vi.useRealTimers();
});

describe('SnapshotScheduler', () => {
  it('snapshots once, the debounce time after the first of many changes', async () => {
    scheduler.changed('p');
    await vi.advanceTimersByTimeAsync(20_000);
    scheduler.changed('p');
    await vi.advanceTimersByTimeAsync(9_999);
    expect(takes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(takes).toEqual(['auto']);
    expect(scheduler.status('p').state).toBe('idle');
    expect(scheduler.status('p').lastSnapshotAt).toBeDefined();
  });

  it('after a failure shows it, retries with growing pauses, and recovers', async () => {
    failNext = 2;
    scheduler.changed('p');
    await vi.advanceTimersByTimeAsync(DEBOUNCE);
    expect(scheduler.status('p')).toMatchObject({ state: 'failed', error: 'Snapshot failed: database unreachable' });
    await vi.advanceTimersByTimeAsync(DEBOUNCE);
    expect(takes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2 * DEBOUNCE - 1);
    expect(takes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(takes).toHaveLength(3);
    expect(scheduler.status('p').state).toBe('idle');
    // Between retries the failed state is re-sent (snapshot-scheduler-failing.test.ts): count changes of state.
    expect(statuses.map((s) => s.state).filter((state, i, all) => state !== all[i - 1])).toEqual([
      'saving',
      'failed',
      'saving',
      'failed',
      'saving',
      'idle',
    ]);
  });

  it('takes a stop snapshot at once and cancels the pending automatic one', async () => {
    scheduler.changed('p');
    await scheduler.beforeStop('p');
    expect(takes).toEqual(['stop']);
    await vi.advanceTimersByTimeAsync(DEBOUNCE * 2);
    expect(takes).toEqual(['stop']);
  });

  it('a change during a snapshot arms another one after it', async () => {
    let release!: () => void;
    const slow = new SnapshotScheduler(
      {
        take: () =>
          new Promise(
            (resolve) => (release = () => resolve({ snapshot: { createdAt: 'now' }, created: true } as never)),
          ),
      } as never,
      () => true,
      () => undefined,
      { debounceMs: DEBOUNCE },
      createLogger('silent'),
    );
    const take = vi.spyOn(slow as unknown as { run: (p: string, r: string) => Promise<void> }, 'run');
    slow.changed('p');
    await vi.advanceTimersByTimeAsync(DEBOUNCE);
    slow.changed('p');
    release();
    await vi.advanceTimersByTimeAsync(DEBOUNCE);
    expect(take).toHaveBeenCalledTimes(2);
    slow.dispose();
  });
});
