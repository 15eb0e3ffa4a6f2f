// The workspace lifecycle on its own: every legal transition lands where it should and carries
// what it should (the run, a queued operation, the last out-of-memory kill); every other pair of
// phase and event is refused.
import { describe, expect, it } from 'vitest';
import type { AgentConnection } from './agent-connection';
import {
  IllegalTransitionError,
  newOperation,
  problemOf,
  runOf,
  startUnderWay,
  stopAhead,
  transition,
  visibleState,
  type Lifecycle,
  type LifecycleEvent,
  type Phase,
  type QueuedStart,
  type Run,
} from './workspace-lifecycle';

// The machine never touches the agent: an opaque stand-in is enough.
const agentOf = (name: string) => ({ name }) as unknown as AgentConnection;
const run = (name = 'first'): Run => ({
  agent: agentOf(name),
  endpoint: { url: `http://127.0.0.1:7777/${name}`, secret: 's' },
  startedAt: new Date('2026-01-01T00:00:00Z'),
});
const queuedStart = (): QueuedStart => ({ ...newOperation(), quota: true });
const problem = { code: 'engine_unavailable', message: 'Docker engine unreachable' };
const oom = { at: '2026-01-01T00:01:00Z', memoryLimitMb: 512 };

/** One state of each phase, with nothing queued. */
function samples(): Record<Phase, Lifecycle> {
  return {
    stopped: { phase: 'stopped' },
    starting: { phase: 'starting', start: newOperation() },
    running: { phase: 'running', run: run() },
    reconnecting: { phase: 'reconnecting', run: run(), start: newOperation() },
    saving: { phase: 'saving', run: run(), stop: newOperation() },
    stopping: { phase: 'stopping', stop: newOperation(), startedAt: new Date('2026-01-01T00:00:00Z') },
    failed: { phase: 'failed', error: problem },
  };
}

function events(): Record<LifecycleEvent['type'], LifecycleEvent> {
  return {
    start: { type: 'start', start: newOperation() },
    queueStart: { type: 'queueStart', start: queuedStart() },
    started: { type: 'started', run: run('second') },
    startFailed: { type: 'startFailed', error: problem },
    stop: { type: 'stop', stop: newOperation(), save: true },
    queueStop: { type: 'queueStop', stop: newOperation() },
    saved: { type: 'saved' },
    stopped: { type: 'stopped' },
    stopFailed: { type: 'stopFailed', error: problem },
    exited: { type: 'exited' },
    outOfMemory: { type: 'outOfMemory', oom },
    explained: { type: 'explained', reason: { code: 'disk_full', message: 'Stopped: disk limit exceeded' } },
  };
}

/** Every legal (phase, event) pair and the phase it leads to; nothing else is accepted. */
const LEGAL: Record<Phase, Partial<Record<LifecycleEvent['type'], Phase>>> = {
  stopped: { start: 'starting', stop: 'stopping', explained: 'stopped' },
  starting: { queueStop: 'starting', started: 'running', startFailed: 'failed' },
  running: { start: 'reconnecting', stop: 'saving', exited: 'stopped', outOfMemory: 'running' },
  reconnecting: {
    queueStop: 'reconnecting',
    started: 'running',
    startFailed: 'failed',
    exited: 'starting',
    outOfMemory: 'reconnecting',
  },
  saving: { queueStart: 'saving', saved: 'stopping', exited: 'stopping', outOfMemory: 'saving' },
  stopping: { queueStart: 'stopping', stopped: 'stopped', stopFailed: 'failed' },
  failed: { start: 'starting', stop: 'stopping' },
};

describe('workspace lifecycle', () => {
  const phases = Object.keys(samples()) as Phase[];
  const eventTypes = Object.keys(events()) as LifecycleEvent['type'][];

  for (const phase of phases) {
    for (const type of eventTypes) {
      const to = LEGAL[phase][type];
      it(to ? `${phase} --${type}--> ${to}` : `${phase} refuses ${type}`, () => {
        const apply = () => transition(samples()[phase], events()[type]);
        if (to) expect(apply().phase).toBe(to);
        else expect(apply).toThrow(IllegalTransitionError);
      });
    }
  }

  it('a stop of a running workspace without a snapshot to take goes straight to stopping, keeping startedAt', () => {
    const running = samples().running;
    const next = transition(running, { type: 'stop', stop: newOperation(), save: false });
    expect(next).toMatchObject({ phase: 'stopping', startedAt: runOf(running)?.startedAt });
    expect(visibleState(next)).toBe('stopping');
  });

  it('a stop of a stopped or failed workspace has no start time to keep', () => {
    for (const from of [samples().stopped, samples().failed]) {
      const next = transition(from, { type: 'stop', stop: newOperation(), save: true });
      expect(next).toEqual({ phase: 'stopping', stop: expect.anything() });
    }
  });

  it('queues one stop behind a start and one start behind a stop; a second is refused', () => {
    const stop = newOperation();
    const starting = transition(samples().starting, { type: 'queueStop', stop });
    expect(stopAhead(starting)).toBe(stop);
    expect(() => transition(starting, { type: 'queueStop', stop: newOperation() })).toThrow(IllegalTransitionError);

    const start = queuedStart();
    const saving = transition(samples().saving, { type: 'queueStart', start });
    expect(saving).toMatchObject({ phase: 'saving', thenStart: start });
    expect(() => transition(saving, { type: 'queueStart', start: queuedStart() })).toThrow(IllegalTransitionError);
    // The queued start survives the snapshot step, and the container ending under it.
    expect(transition(saving, { type: 'saved' })).toMatchObject({ phase: 'stopping', thenStart: start });
    expect(transition(saving, { type: 'exited' })).toMatchObject({ phase: 'stopping', thenStart: start });
  });

  it('a reconnect keeps the run going: the out-of-memory kill stays, the new agent and endpoint come in', () => {
    const withOom = transition(samples().running, { type: 'outOfMemory', oom });
    const reconnecting = transition(withOom, { type: 'start', start: newOperation() });
    expect(visibleState(reconnecting)).toBe('running');
    expect(startUnderWay(reconnecting)).toBeDefined();
    const fresh = run('second');
    const running = transition(reconnecting, { type: 'started', run: fresh });
    expect(runOf(running)).toEqual({ ...fresh, lastOom: oom });
  });

  it('a fresh start forgets the previous run, its error and its stop reason', () => {
    const failed = samples().failed;
    const starting = transition(failed, { type: 'start', start: newOperation() });
    expect(problemOf(starting)).toBeUndefined();
    expect(runOf(transition(starting, { type: 'started', run: run('second') }))?.lastOom).toBeUndefined();
    const explained = transition(samples().stopped, { type: 'explained', reason: problem });
    expect(problemOf(explained)).toBe(problem);
    expect(problemOf(transition(explained, { type: 'start', start: newOperation() }))).toBeUndefined();
  });

  it('the container ending during a reconnect leaves the start under way, and a queued stop behind it', () => {
    const stop = newOperation();
    const reconnecting = transition(samples().reconnecting, { type: 'queueStop', stop });
    const next = transition(reconnecting, { type: 'exited' });
    expect(next).toMatchObject({ phase: 'starting', thenStop: stop });
    expect(startUnderWay(next)).toBe(startUnderWay(reconnecting));
  });

  it('reads on the wire as the five states clients know', () => {
    const read = Object.fromEntries(phases.map((phase) => [phase, visibleState(samples()[phase])]));
    expect(read).toEqual({
      stopped: 'stopped',
      starting: 'starting',
      running: 'running',
      reconnecting: 'running',
      saving: 'running',
      stopping: 'stopping',
      failed: 'error',
    });
  });

  it('a stop is ahead while saving or stopping, or queued behind a start; not otherwise', () => {
    const ahead = Object.fromEntries(phases.map((phase) => [phase, stopAhead(samples()[phase]) !== undefined]));
    expect(ahead).toEqual({
      stopped: false,
      starting: false,
      running: false,
      reconnecting: false,
      saving: true,
      stopping: true,
      failed: false,
    });
  });
});
