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
    // OOMKilled stays true once any process was killed for memory, earlier starts included.
    getContainer: () => ({
      inspect: async () => ({ State: { OOMKilled: true }, HostConfig: { Memory: 256 * 2 ** 20 } }),
    }),
  } as unknown as Dockerode;
  return { docker, streams, sinces };
}

const line = (id: string, action: string, timeNano: number, extra: Record<string, string> = {}) =>
  JSON.stringify({
    Type: 'container',
    Action: action,
    id,
    timeNano,
    Actor: { ID: id, Attributes: { 'berth.project': `p-${id}`, ...extra } },
  }) + '\n';

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
      await waitUntil(() => events.length === 4, 2000);
      expect(events).toEqual([
        { type: 'started', projectId: 'p-a' },
        { type: 'exited', projectId: 'p-a', exitCode: 137, oomKilled: false },
        { type: 'oom', projectId: 'p-a', memoryLimitBytes: 256 * 2 ** 20 },
        { type: 'exited', projectId: 'p-a', exitCode: 137, oomKilled: true },
      ]);
    } finally {
      stream.dispose();
    }
    expect(engine.streams.every((s) => s.destroyed)).toBe(true);
  });

  it('reports an out-of-memory kill when it happens, and does not pin it on a later exit or start', async () => {
    const engine = fakeEngine();
    const events: RuntimeEvent[] = [];
    const stream = new DockerEventStream(engine.docker, (event) => events.push(event), createLogger('silent'));
    try {
      await waitUntil(() => engine.streams.length === 1, 2000);
      const now = Date.now() * 1e6;
      engine.streams[0]!.write(line('a', 'start', now + 1e6));
      // A process in the workspace is killed for memory: the container runs on.
      engine.streams[0]!.write(line('a', 'oom', now + 2e6));
      // Much later it is killed from outside: not an out-of-memory exit, whatever State.OOMKilled says.
      engine.streams[0]!.write(line('a', 'die', now + 30e9, { exitCode: '137' }));
      // An oom before a restart does not label the next start's exit either.
      engine.streams[0]!.write(line('b', 'start', now + 1e6));
      engine.streams[0]!.write(line('b', 'oom', now + 2e6));
      engine.streams[0]!.write(line('b', 'start', now + 3e6));
      engine.streams[0]!.write(line('b', 'die', now + 4e6, { exitCode: '137' }));
      await waitUntil(() => events.length === 7, 2000);
      expect(events).toEqual([
        { type: 'started', projectId: 'p-a' },
        { type: 'oom', projectId: 'p-a', memoryLimitBytes: 256 * 2 ** 20 },
        { type: 'exited', projectId: 'p-a', exitCode: 137, oomKilled: false },
        { type: 'started', projectId: 'p-b' },
        { type: 'oom', projectId: 'p-b', memoryLimitBytes: 256 * 2 ** 20 },
        { type: 'started', projectId: 'p-b' },
        { type: 'exited', projectId: 'p-b', exitCode: 137, oomKilled: false },
      ]);
    } finally {
      stream.dispose();
    }
  });

  it('ignores the project’s deployment and build containers (a build exiting is not the workspace exiting)', async () => {
    const engine = fakeEngine();
    const events: RuntimeEvent[] = [];
    const stream = new DockerEventStream(engine.docker, (event) => events.push(event), createLogger('silent'));
    try {
      await waitUntil(() => engine.streams.length === 1, 2000);
      const now = Date.now() * 1e6;
      const build = { 'berth.deployment': 'd1', 'berth.role': 'build' };
      engine.streams[0]!.write(line('a', 'start', now + 1e6, build));
      engine.streams[0]!.write(line('a', 'die', now + 2e6, { ...build, exitCode: '0' }));
      engine.streams[0]!.write(line('a', 'die', now + 3e6, { 'berth.deployment': 'd1', exitCode: '1' }));
      engine.streams[0]!.write(line('a', 'start', now + 4e6));
      await waitUntil(() => events.length === 1, 2000);
      expect(events).toEqual([{ type: 'started', projectId: 'p-a' }]);
    } finally {
      stream.dispose();
    }
  });
});
