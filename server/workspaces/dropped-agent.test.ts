// A dropped agent connection while the engine does not answer (a dockerd restart): Berth keeps
// asking until it does, then reconnects the still-running workspace — it used to give up at the
// first failed inspect, and the agent (and the file watcher with it) never came back.
import { describe, expect, it } from 'vitest';
import type { RuntimeDriver, RuntimeWorkspace } from '../runtime';
import { waitUntil } from '../runtime/runtime-test-helpers';
import { followDroppedAgent } from './dropped-agent';

function driverAnswering(answers: (() => Promise<RuntimeWorkspace>)[]): { driver: RuntimeDriver; asked: () => number } {
  let asked = 0;
  const driver = { inspect: () => answers[Math.min(asked++, answers.length - 1)]!() } as unknown as RuntimeDriver;
  return { driver, asked: () => asked };
}

const engineDown = () => Promise.reject(new Error('connect ENOENT /var/run/docker.sock'));

describe('followDroppedAgent', () => {
  it('asks again while the engine is down and reconnects once it answers that the workspace runs', async () => {
    const { driver, asked } = driverAnswering([
      engineDown,
      engineDown,
      engineDown,
      async () => ({ projectId: 'p', state: 'running' }),
    ]);
    let reconnected = 0;
    followDroppedAgent(
      driver,
      'p',
      { isCurrent: () => true, reconnect: () => reconnected++, markExited: () => undefined },
      1,
    );
    await waitUntil(() => reconnected === 1, 5000);
    expect(asked()).toBe(4);
  });

  it('stops asking once the connection is no longer current (stopped or replaced)', async () => {
    const { driver, asked } = driverAnswering([engineDown]);
    let current = true;
    followDroppedAgent(
      driver,
      'p',
      { isCurrent: () => current, reconnect: () => undefined, markExited: () => undefined },
      1,
    );
    await waitUntil(() => asked() >= 2, 5000);
    current = false;
    const seen = asked();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(asked()).toBeLessThanOrEqual(seen + 1);
  });
});
