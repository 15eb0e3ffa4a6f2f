// Telling an engine restart from other reasons an attach ends, with a driver whose ping fails
// while the "engine" is away.
import { describe, expect, it } from 'vitest';
import type { RuntimeDriver } from '../runtime';
import { waitForEngineReturn } from './engine-return';

const driverWithPings = (answers: boolean[]) => {
  let asked = 0;
  const driver = {
    ping: () =>
      answers[Math.min(asked++, answers.length - 1)]
        ? Promise.resolve()
        : Promise.reject(new Error('engine unreachable')),
  } as unknown as RuntimeDriver;
  return { driver, asked: () => asked };
};

describe('waitForEngineReturn', () => {
  it('says up when the engine answers at once (another client took the session, not a restart)', async () => {
    expect(await waitForEngineReturn(driverWithPings([true]).driver, { intervalMs: 1 })).toBe('up');
  });

  it('waits while the engine does not answer and says back once it does', async () => {
    const { driver, asked } = driverWithPings([false, false, false, true]);
    expect(await waitForEngineReturn(driver, { intervalMs: 1 })).toBe('back');
    expect(asked()).toBe(4);
  });

  it('gives up after maxMs', async () => {
    expect(await waitForEngineReturn(driverWithPings([false]).driver, { intervalMs: 5, maxMs: 50 })).toBe('gave-up');
  });
});
