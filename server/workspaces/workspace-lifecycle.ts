// The lifecycle of one workspace as an explicit state machine: the phases, what each holds, and
// the one function that moves a workspace from phase to phase. Pure (no I/O, no timers, nothing
// emitted): WorkspaceService does the work around each step and applies its outcome here.
//
//   stopped | failed --start--> starting --started--> running      (--startFailed--> failed)
//   running --start--> reconnecting: the agent connection was lost; reads as running to clients
//   running --stop--> saving (the snapshot before stop; still running) --saved--> stopping
//   running | stopped | failed --stop--> stopping --stopped--> stopped (--stopFailed--> failed)
//   unasked exits: running --> stopped, saving --> stopping, reconnecting --> starting
//
// A stop asked for during a start (or a start during a stop) waits in the phase as `thenStop`
// (`thenStart`) and begins when the current operation settles: one operation runs at a time.
import type { WorkspaceState, WorkspaceStatusDto } from '../contracts';
import type { AgentEndpoint } from '../runtime';
import type { AgentConnection } from './agent-connection';

export interface WorkspaceProblem {
  code: string;
  message: string;
}

/** A start or stop its callers wait on, and how it is settled once it has run. */
export interface Operation {
  done: Promise<WorkspaceStatusDto>;
  settle(status: WorkspaceStatusDto): void;
}

/** A pending operation: its promise, settled by whoever runs it. */
export function newOperation(): Operation {
  let settle!: (status: WorkspaceStatusDto) => void;
  const done = new Promise<WorkspaceStatusDto>((resolve) => (settle = resolve));
  return { done, settle };
}

/** A start queued behind a stop; `quota: false` for workspaces that already ran (never refused). */
export interface QueuedStart extends Operation {
  quota: boolean;
}

/** What one start brought up: the container's agent, and what happened during this run. */
export interface Run {
  agent: AgentConnection;
  endpoint: AgentEndpoint;
  startedAt: Date;
  /** The volume was gone and came back from this snapshot. */
  restoredFrom?: { snapshotId: string; createdAt: string };
  /** A process was killed for memory during this run. */
  lastOom?: { at: string; memoryLimitMb: number | null };
}

export type Lifecycle =
  /** Nothing runs. `reason`: why Berth stopped it, shown until the next start (disk_full). */
  | { phase: 'stopped'; reason?: WorkspaceProblem }
  | { phase: 'starting'; start: Operation; thenStop?: Operation }
  | { phase: 'running'; run: Run }
  /** Still running, but its agent connection was lost: connecting again (clients see running). */
  | { phase: 'reconnecting'; run: Run; start: Operation; thenStop?: Operation }
  /** A stop's first step, the snapshot before stop: the workspace and its agent still run. */
  | { phase: 'saving'; run: Run; stop: Operation; thenStart?: QueuedStart }
  | { phase: 'stopping'; stop: Operation; startedAt?: Date; thenStart?: QueuedStart }
  | { phase: 'failed'; error: WorkspaceProblem };

export type Phase = Lifecycle['phase'];

export type LifecycleEvent =
  | { type: 'start'; start: Operation }
  | { type: 'queueStart'; start: QueuedStart }
  | { type: 'started'; run: Run }
  | { type: 'startFailed'; error: WorkspaceProblem }
  /** `save`: take the snapshot before stop first (only a running workspace has one to take). */
  | { type: 'stop'; stop: Operation; save: boolean }
  | { type: 'queueStop'; stop: Operation }
  | { type: 'saved' }
  | { type: 'stopped' }
  | { type: 'stopFailed'; error: WorkspaceProblem }
  /** The container ended without being asked to (killed, crashed, out of memory). */
  | { type: 'exited' }
  | { type: 'outOfMemory'; oom: { at: string; memoryLimitMb: number | null } }
  /** Berth stopped it for a reason the status should carry (disk_full). */
  | { type: 'explained'; reason: WorkspaceProblem };

export class IllegalTransitionError extends Error {
  constructor(
    readonly phase: Phase,
    readonly event: LifecycleEvent['type'],
  ) {
    super(`workspace lifecycle: '${event}' is not allowed while ${phase}`);
  }
}

export const INITIAL_LIFECYCLE: Lifecycle = { phase: 'stopped' };

/** The next phase, or IllegalTransitionError for an event the phase does not accept. */
export function transition(state: Lifecycle, event: LifecycleEvent): Lifecycle {
  switch (event.type) {
    case 'start':
      if (state.phase === 'stopped' || state.phase === 'failed') return { phase: 'starting', start: event.start };
      // A start of a running workspace whose agent is gone: connect again.
      if (state.phase === 'running') return { phase: 'reconnecting', run: state.run, start: event.start };
      break;
    case 'queueStart':
      if ((state.phase === 'saving' || state.phase === 'stopping') && !state.thenStart)
        return { ...state, thenStart: event.start };
      break;
    case 'started':
      if (state.phase === 'starting') return { phase: 'running', run: event.run };
      // The same run goes on: what happened in it so far still holds.
      if (state.phase === 'reconnecting') return { phase: 'running', run: withOom(event.run, state.run.lastOom) };
      break;
    case 'startFailed':
      if (state.phase === 'starting' || state.phase === 'reconnecting') return { phase: 'failed', error: event.error };
      break;
    case 'stop':
      if (state.phase === 'running')
        return event.save
          ? { phase: 'saving', run: state.run, stop: event.stop }
          : { phase: 'stopping', stop: event.stop, startedAt: state.run.startedAt };
      if (state.phase === 'stopped' || state.phase === 'failed') return { phase: 'stopping', stop: event.stop };
      break;
    case 'queueStop':
      if ((state.phase === 'starting' || state.phase === 'reconnecting') && !state.thenStop)
        return { ...state, thenStop: event.stop };
      break;
    case 'saved':
      if (state.phase === 'saving')
        return withThenStart({ phase: 'stopping', stop: state.stop, startedAt: state.run.startedAt }, state.thenStart);
      break;
    case 'stopped':
      if (state.phase === 'stopping') return { phase: 'stopped' };
      break;
    case 'stopFailed':
      if (state.phase === 'stopping') return { phase: 'failed', error: event.error };
      break;
    case 'exited':
      if (state.phase === 'running') return { phase: 'stopped' };
      // Stopping anyway; there is nothing left to snapshot from.
      if (state.phase === 'saving') return withThenStart({ phase: 'stopping', stop: state.stop }, state.thenStart);
      // The start under way brings the container up again.
      if (state.phase === 'reconnecting') {
        const starting: Lifecycle = { phase: 'starting', start: state.start };
        return state.thenStop ? { ...starting, thenStop: state.thenStop } : starting;
      }
      break;
    case 'outOfMemory':
      if (state.phase === 'running' || state.phase === 'reconnecting' || state.phase === 'saving')
        return { ...state, run: withOom(state.run, event.oom) };
      break;
    case 'explained':
      if (state.phase === 'stopped') return { phase: 'stopped', reason: event.reason };
      break;
  }
  throw new IllegalTransitionError(state.phase, event.type);
}

/** How a phase reads on the wire: saving and reconnecting workspaces still run. */
export function visibleState(state: Lifecycle): WorkspaceState {
  switch (state.phase) {
    case 'stopped':
      return 'stopped';
    case 'starting':
      return 'starting';
    case 'running':
    case 'reconnecting':
    case 'saving':
      return 'running';
    case 'stopping':
      return 'stopping';
    case 'failed':
      return 'error';
  }
}

/** The run of a workspace whose container is up (its agent may be reconnecting). */
export function runOf(state: Lifecycle): Run | undefined {
  return state.phase === 'running' || state.phase === 'reconnecting' || state.phase === 'saving'
    ? state.run
    : undefined;
}

/** The start under way, if any. */
export function startUnderWay(state: Lifecycle): Operation | undefined {
  return state.phase === 'starting' || state.phase === 'reconnecting' ? state.start : undefined;
}

/** A stop under way or queued: whoever merely needs the workspace must not undo it. */
export function stopAhead(state: Lifecycle): Operation | undefined {
  if (state.phase === 'saving' || state.phase === 'stopping') return state.stop;
  if (state.phase === 'starting' || state.phase === 'reconnecting') return state.thenStop;
  return undefined;
}

/** What the status says went wrong, or why Berth stopped the workspace. */
export function problemOf(state: Lifecycle): WorkspaceProblem | undefined {
  if (state.phase === 'failed') return state.error;
  return state.phase === 'stopped' ? state.reason : undefined;
}

function withOom(run: Run, lastOom: Run['lastOom']): Run {
  return lastOom ? { ...run, lastOom } : run;
}

function withThenStart(
  stopping: Extract<Lifecycle, { phase: 'stopping' }>,
  thenStart: QueuedStart | undefined,
): Lifecycle {
  return thenStart ? { ...stopping, thenStart } : stopping;
}
