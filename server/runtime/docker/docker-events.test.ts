// The event stream's reconnect logic, against a fake engine whose streams can be cut.
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger';
import type { RuntimeEvent } from '../runtime-driver';
import { waitUntil } from '../runtime-test-helpers';
import { DockerEventStream } from './docker-events';

function fakeEngine() {
  const streams: PassThrough[] = [];
  const sinces: number[] = [];
  const docker = {
    getEvents: async (options: { since: number }) => {
      sinces.push(options.since);
      const stream = new PassThrough();
      streams.push(stream);
      return stream;
    },
    getContainer: () => ({ inspect: async () => ({ State: { OOMKilled: false } }) }),
  } as unknown as Dockerode;
  return { docker, streams, sinces };
}

const line = (id: string, action: string, timeNano: number, extra: Record<string, string> = {}) =>
  JSON.stringify({ Type: 'container', Action: action, id, timeNano, Actor: { ID: id, Attributes: { 'berth.project': `p-${id}`, ...extra } } }) + '\n';

describe('DockerEventStream', () => {
  it('maps events, reconnects after the stream ends and reports nothing twice', async () => {
    const engine = fakeEngine();
    const events: RuntimeEvent[] = [];
    const stream = new DockerEventStream(engine.docker, (event) => events.push(event), createLogger('silent'));
    try {
      await waitUntil(() => engine.streams.length === 1, 2000);
      const now = Date.now() * 1e6;
      engine.streams[0]!.write(line('a', 'start', now + 1e6));
      // Split across chunks, as an HTTP stream may deliver it.
      const die = line('a', 'die', now + 2e6, { exitCode: '137' });
      engine.streams[0]!.write(die.slice(0, 20));
      engine.streams[0]!.write(die.slice(20));
      await waitUntil(() => events.length === 2, 2000);
      engine.streams[0]!.end(); // the engine restarted
      await waitUntil(() => engine.streams.length === 2, 2000);
      expect(engine.sinces[1]).toBe(Math.floor((now + 2e6) / 1e9));
      // The replay since that second repeats the die, then something new happens.
      engine.streams[1]!.write(die);
      engine.streams[1]!.write(line('a', 'oom', now + 3e6));
      engine.streams[1]!.write(line('a', 'die', now + 4e6, { exitCode: '137' }));
      // Events from before the subscription are not reported.
      engine.streams[1]!.write(line('b', 'start', now - 10e9));
      await waitUntil(() => events.length === 3, 2000);
      expect(events).toEqual([
        { type: 'started', projectId: 'p-a' },
        { type: 'exited', projectId: 'p-a', exitCode: 137, oomKilled: false },
        { type: 'exited', projectId: 'p-a', exitCode: 137, oomKilled: true },
      ]);
    } finally {
      stream.dispose();
    }
    expect(engine.streams.every((s) => s.destroyed)).toBe(true);
  });
});
