// Starts and stops: one operation runs per workspace at a time (a start asked for during a stop
// waits in the lifecycle, and the other way round), and each is a sequence of lifecycle
// transitions around the work it does: bring-up and the agent's connection; the snapshot before
// stop and the runtime's stop. The public face and the reactions to the container are
// workspace-service.ts; the phases and what moves them are workspace-lifecycle.ts.
import type { WorkspaceStatusDto } from '../contracts';
import type { Logger } from '../core/logger';
import type { TypedEmitter } from '../core/typed-emitter';
import type { RuntimeDriver } from '../runtime';
import { AgentConnection } from './agent-connection';
import { bringUpWorkspace, reportStartFailure } from './workspace-bring-up';
import type { Entry } from './workspace-entry';
import { describeError } from './workspace-errors';
import type { WorkspaceEvents } from './workspace-events';
import {
  newOperation,
  runOf,
  transition,
  type Lifecycle,
  type LifecycleEvent,
  type Operation,
  type Run,
} from './workspace-lifecycle';
import type { ProjectDirectory, WorkspaceHooks, WorkspaceServiceOptions } from './workspace-service-options';

/** What the operations work with, all owned by WorkspaceService. */
export interface OperationsContext {
  driver: RuntimeDriver;
  projects: ProjectDirectory;
  options: WorkspaceServiceOptions;
  log: Logger;
  now(): number;
  entries: ReadonlyMap<string, Entry>;
  events: TypedEmitter<WorkspaceEvents>;
  /** The hooks attached now (snapshots), read at each use. */
  hooks(): WorkspaceHooks;
  statusOf(projectId: string, entry: Entry): WorkspaceStatusDto;
  /** A run's agent connected: follow its connection (dropped-agent.ts). */
  watchAgent(projectId: string, agent: AgentConnection): void;
}

export class WorkspaceOperations {
  constructor(private readonly context: OperationsContext) {}

  /** Starts, joins the start under way, or queues a start behind the stop under way. */
  start(projectId: string, entry: Entry, quota: boolean): Promise<WorkspaceStatusDto> {
    const { lifecycle } = entry;
    switch (lifecycle.phase) {
      case 'starting':
      case 'reconnecting':
        return lifecycle.start.done;
      case 'saving':
      case 'stopping': {
        // Begins once the stop has ended.
        if (lifecycle.thenStart) return lifecycle.thenStart.done;
        const queued = { ...newOperation(), quota };
        this.advance(entry, { type: 'queueStart', start: queued });
        return queued.done;
      }
      case 'running':
        if (lifecycle.run.agent.isOpen) return Promise.resolve(this.context.statusOf(projectId, entry));
        return this.beginStart(projectId, entry, newOperation(), quota);
      case 'stopped':
      case 'failed':
        return this.beginStart(projectId, entry, newOperation(), quota);
    }
  }

  /** Stops, joins the stop under way, or queues a stop behind the start under way. */
  stop(projectId: string, entry: Entry): Promise<WorkspaceStatusDto> {
    const { lifecycle } = entry;
    switch (lifecycle.phase) {
      case 'saving':
      case 'stopping':
        return lifecycle.stop.done;
      case 'starting':
      case 'reconnecting': {
        // Begins once the start has settled.
        if (lifecycle.thenStop) return lifecycle.thenStop.done;
        const queued = newOperation();
        this.advance(entry, { type: 'queueStop', stop: queued });
        return queued.done;
      }
      case 'running':
      case 'stopped':
      case 'failed':
        return this.beginStop(projectId, entry, newOperation());
    }
  }

  /** Emits the status of the entry an operation holds (it may have been removed from the map since). */
  emit(projectId: string, entry: Entry): void {
    this.announce(projectId, () =>
      this.context.events.emit('onDidChangeStatus', this.context.statusOf(projectId, entry)),
    );
  }

  /** Enters starting (or reconnecting, for a running workspace whose agent is gone) and brings it up. */
  private beginStart(projectId: string, entry: Entry, start: Operation, quota: boolean): Promise<WorkspaceStatusDto> {
    // Reconnecting the agent of a workspace that still runs: it stays running for the tabs
    // meanwhile (a blip through starting would make them rebuild their terminals).
    const reconnecting = entry.lifecycle.phase === 'running';
    this.advance(entry, { type: 'start', start });
    if (!reconnecting) this.emit(projectId, entry);
    this.settleWith(projectId, entry, start, this.bringUp(projectId, entry, quota, reconnecting));
    return start.done;
  }

  private async bringUp(
    projectId: string,
    entry: Entry,
    quota: boolean,
    reconnecting: boolean,
  ): Promise<WorkspaceStatusDto> {
    const began = performance.now();
    let run: Run;
    try {
      run = await this.connectRun(projectId, entry, quota);
    } catch (error) {
      reportStartFailure(this.context.log, this.context.options, projectId, error);
      const left = this.advance(entry, { type: 'startFailed', error: describeError(error) });
      this.emit(projectId, entry);
      return this.afterStart(projectId, entry, left);
    }
    entry.lastActivityAt = this.context.now();
    entry.lastExit = undefined;
    const left = this.advance(entry, { type: 'started', run });
    this.announce(projectId, () => {
      this.context.events.emit('onDidConnectAgent', { projectId, agent: run.agent });
      this.context.watchAgent(projectId, run.agent);
      this.emit(projectId, entry);
      if (reconnecting) this.context.events.emit('onDidReconnectAgent', { projectId });
      else this.context.options.metrics?.workspaceStartSeconds.observe((performance.now() - began) / 1000);
    });
    return this.afterStart(projectId, entry, left);
  }

  /** The reaching out of a start (bring-up, then the agent's connection): what the run holds. */
  private async connectRun(projectId: string, entry: Entry, quota: boolean): Promise<Run> {
    const workspace = await bringUpWorkspace(
      {
        driver: this.context.driver,
        projects: this.context.projects,
        options: this.context.options,
        hooks: this.context.hooks(),
        entries: this.context.entries,
        log: this.context.log,
      },
      projectId,
      entry,
      quota,
    );
    return {
      agent: await AgentConnection.connect(workspace.agent),
      endpoint: workspace.agent,
      startedAt: workspace.startedAt ?? new Date(),
      ...(workspace.restoredFrom ? { restoredFrom: workspace.restoredFrom } : {}),
    };
  }

  /** The start's result; a stop asked for while it ran begins now. */
  private afterStart(projectId: string, entry: Entry, left: Lifecycle): WorkspaceStatusDto {
    const status = this.context.statusOf(projectId, entry);
    const thenStop = left.phase === 'starting' || left.phase === 'reconnecting' ? left.thenStop : undefined;
    if (thenStop) void this.beginStop(projectId, entry, thenStop);
    return status;
  }

  /** Enters saving (a running workspace with a snapshot to take first) or stopping, and brings it down. */
  private beginStop(projectId: string, entry: Entry, stop: Operation): Promise<WorkspaceStatusDto> {
    const beforeStop = entry.lifecycle.phase === 'running' ? this.context.hooks().beforeStop : undefined;
    this.advance(entry, { type: 'stop', stop, save: beforeStop !== undefined });
    if (!beforeStop) this.emit(projectId, entry);
    this.settleWith(projectId, entry, stop, this.bringDown(projectId, entry, beforeStop));
    return stop.done;
  }

  private async bringDown(
    projectId: string,
    entry: Entry,
    beforeStop: WorkspaceHooks['beforeStop'],
  ): Promise<WorkspaceStatusDto> {
    if (beforeStop) {
      await beforeStop(projectId).catch((error: unknown) =>
        this.context.log.warn({ projectId, err: error }, 'snapshot before stop failed; stopping anyway'),
      );
      // Unless the container ended meanwhile (then it is stopping already).
      if (entry.lifecycle.phase === 'saving') {
        this.advance(entry, { type: 'saved' });
        this.emit(projectId, entry);
      }
    }
    let left: Lifecycle;
    try {
      await this.context.driver.stop(projectId);
      left = this.advance(entry, { type: 'stopped' });
    } catch (error) {
      left = this.advance(entry, { type: 'stopFailed', error: describeError(error) });
    }
    this.emit(projectId, entry);
    const status = this.context.statusOf(projectId, entry);
    // A start asked for while this stop ran begins now.
    const thenStart = left.phase === 'stopping' ? left.thenStart : undefined;
    if (thenStart) void this.beginStart(projectId, entry, thenStart, thenStart.quota);
    return status;
  }

  /** Settles the operation with what its work returns; a bug in it is logged and still settles it. */
  private settleWith(projectId: string, entry: Entry, operation: Operation, work: Promise<WorkspaceStatusDto>): void {
    void work.then(operation.settle, (error: unknown) => {
      this.context.log.error({ projectId, err: error }, 'workspace operation failed unexpectedly');
      operation.settle(this.context.statusOf(projectId, entry));
    });
  }

  /** Tells listeners; one that throws must not leave an operation unsettled or a queued one unbegun. */
  private announce(projectId: string, tell: () => void): void {
    try {
      tell();
    } catch (error) {
      this.context.log.error({ projectId, err: error }, 'a listener of a workspace change failed');
    }
  }

  /** Moves the entry on; returns the phase it left. The agent lives exactly as long as the run that holds it. */
  advance(entry: Entry, event: LifecycleEvent): Lifecycle {
    const before = entry.lifecycle;
    entry.lifecycle = transition(before, event);
    const agent = runOf(before)?.agent;
    if (agent && runOf(entry.lifecycle)?.agent !== agent) agent.close();
    return before;
  }
}
