// Workspace lifecycle: one entry per project, moved only by the transitions of
// workspace-lifecycle.ts (stopped → starting → running → saving → stopping, failed, reconnecting).
// One operation runs per workspace at a time; starts are single-flight so two tabs opening one
// project make one container. Every change is emitted for the socket layer to push to clients.
// Callers check project ownership before calling in; this service trusts project ids.
import type { WorkspaceDiskDto, WorkspaceState, WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import { TypedEmitter, type Disposer } from '../core/typed-emitter';
import { waitAtMost } from '../core/wait-at-most';
import type { AgentEndpoint, RuntimeDriver, RuntimeEvent } from '../runtime';
import type { AgentConnection } from './agent-connection';
import { followDroppedAgent } from './dropped-agent';
import { isIdle } from './idle-policy';
import { countByState, toStatusDto, type Entry } from './workspace-entry';
import { statusError } from './workspace-errors';
import type { WorkspaceEvents } from './workspace-events';
import { INITIAL_LIFECYCLE, runOf, startUnderWay, stopAhead, visibleState, type Run } from './workspace-lifecycle';
import { WorkspaceOperations } from './workspace-operations';
import { reconcileWorkspaces } from './reconcile-loop';
import type { ProjectDirectory, WorkspaceHooks, WorkspaceServiceOptions } from './workspace-service-options';

export type { ProjectDirectory, WorkspaceHooks, WorkspaceServiceOptions } from './workspace-service-options';
export type { WorkspaceEvents } from './workspace-events';

export class WorkspaceService {
  readonly events = new TypedEmitter<WorkspaceEvents>();
  private readonly entries = new Map<string, Entry>();
  /** The last disk figure per project (disk-watch.ts), kept after a stop so a stopped workspace shows it. */
  private readonly diskUsage = new Map<string, WorkspaceDiskDto>();
  private hooks: WorkspaceHooks = {};
  private readonly now: () => number;
  private readonly offRuntime: Disposer;
  private readonly operations: WorkspaceOperations;
  private disposed = false;
  private markReconciled!: () => void;
  /** The first reconciliation has run (or failed; it retries): until then running containers look stopped. */
  private readonly reconciled = new Promise<void>((resolve) => (this.markReconciled = resolve));

  constructor(
    private readonly driver: RuntimeDriver,
    private readonly projects: ProjectDirectory,
    private readonly options: WorkspaceServiceOptions,
    private readonly log: Logger,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.operations = new WorkspaceOperations({
      driver,
      projects,
      options,
      log,
      now: this.now,
      entries: this.entries,
      events: this.events,
      hooks: () => this.hooks,
      statusOf: (projectId, entry) => this.statusOf(projectId, entry),
      watchAgent: (projectId, agent) => this.watchAgent(projectId, agent),
    });
    this.offRuntime = driver.onEvent((event) => this.onRuntimeEvent(event));
  }

  /**
   * Snapshots plug in here once they exist (they need this service, so they come after it); the
   * composition root attaches them before anything can start a workspace.
   */
  attachHooks(hooks: WorkspaceHooks): Disposer {
    this.hooks = hooks;
    return () => {
      if (this.hooks === hooks) this.hooks = {};
    };
  }

  status(projectId: string): WorkspaceStatusDto {
    return this.statusOf(projectId, this.entries.get(projectId));
  }

  /** Pushes the status again: a figure in it changed (disk usage). */
  refresh(projectId: string): void {
    const entry = this.entries.get(projectId);
    if (entry) this.operations.emit(projectId, entry);
  }

  /** The workspace's latest disk measurement, shown in its status from now on (pushed by refresh). */
  recordDiskUsage(projectId: string, disk: WorkspaceDiskDto): void {
    this.diskUsage.set(projectId, disk);
  }

  /** Stops the workspace (snapshot first) and says why in its status until it is started again (disk_full). */
  async stopBecause(projectId: string, reason: { code: string; message: string }): Promise<WorkspaceStatusDto> {
    const stopped = await this.stop(projectId);
    const entry = this.entries.get(projectId);
    if (stopped.state === 'stopped' && entry?.lifecycle.phase === 'stopped') {
      this.operations.advance(entry, { type: 'explained', reason });
      this.operations.emit(projectId, entry);
    }
    return this.status(projectId);
  }

  /** The agent's HTTP endpoint (file content streams over HTTP, not the RPC socket). */
  agentEndpoint(projectId: string): AgentEndpoint | undefined {
    return this.currentRun(projectId)?.endpoint;
  }

  /** The agent connection of a running workspace. */
  agent(projectId: string): AgentConnection | undefined {
    const agent = this.currentRun(projectId)?.agent;
    return agent?.isOpen ? agent : undefined;
  }

  /** `quota: false` for workspaces that already run (adoption, agent reconnects): never refused. */
  start(projectId: string, { quota = true }: { quota?: boolean } = {}): Promise<WorkspaceStatusDto> {
    if (this.disposed) return Promise.resolve(this.status(projectId));
    return this.operations.start(projectId, this.entry(projectId), quota);
  }

  /** Starts the workspace if needed and resolves once it runs; otherwise throws the DomainError to refuse with. */
  async ensureRunning(projectId: string): Promise<WorkspaceStatusDto> {
    // A call that merely needs the workspace (a file read in flight) must not undo a stop.
    const entry = this.entries.get(projectId);
    if (entry && stopAhead(entry.lifecycle))
      throw new DomainError('conflict', 'workspace_stopping', 'The workspace is stopping; start it again to continue');
    const status = await this.start(projectId);
    const failure = statusError(status);
    if (failure) throw failure;
    if (status.state !== 'running')
      throw new DomainError('conflict', 'workspace_not_running', `The workspace is ${status.state}; try again`);
    return status;
  }

  stop(projectId: string): Promise<WorkspaceStatusDto> {
    return this.operations.stop(projectId, this.entry(projectId));
  }

  /** An admin's "Remove": stop (snapshot first), delete container and volume; the next start restores. */
  async discard(projectId: string): Promise<WorkspaceStatusDto> {
    const stopped = await this.stop(projectId);
    if (stopped.state === 'error') return stopped;
    await this.driver.remove(projectId);
    const entry = this.entry(projectId);
    entry.lastExit = undefined;
    this.operations.emit(projectId, entry);
    return this.status(projectId);
  }

  /** The project is gone: remove its workspace and volume. */
  async remove(projectId: string): Promise<void> {
    const entry = this.entries.get(projectId);
    const starting = entry && startUnderWay(entry.lifecycle);
    if (starting) await starting.done;
    if (entry) runOf(entry.lifecycle)?.agent.close();
    this.entries.delete(projectId);
    await this.driver.remove(projectId);
  }

  /** Terminal input/output or preview traffic: pushes the idle deadline back. */
  recordActivity(projectId: string): void {
    const entry = this.entries.get(projectId);
    if (entry) entry.lastActivityAt = this.now();
  }

  /** An open client (browser tab) keeps the workspace up until its disposer runs. */
  addClient(projectId: string, clientId: string): Disposer {
    const entry = this.entry(projectId);
    entry.clients.set(clientId, (entry.clients.get(clientId) ?? 0) + 1);
    entry.lastActivityAt = this.now();
    this.operations.emit(projectId, entry);
    return () => {
      const count = (entry.clients.get(clientId) ?? 1) - 1;
      if (count <= 0) entry.clients.delete(clientId);
      else entry.clients.set(clientId, count);
      entry.lastActivityAt = this.now();
      this.operations.emit(projectId, entry);
    };
  }

  /** Stops every running workspace that has been idle for WORKSPACE_IDLE_MINUTES. */
  async reapIdle(): Promise<string[]> {
    const now = this.now();
    const idle = [...this.entries].filter(
      ([, entry]) => visibleState(entry.lifecycle) === 'running' && isIdle(entry, this.options.idleMinutes, now),
    );
    for (const [projectId] of idle) {
      this.log.info({ projectId }, 'stopping idle workspace');
      await this.stop(projectId);
    }
    return idle.map(([projectId]) => projectId);
  }

  /** At start-up: adopt running workspaces of existing projects (in parallel), remove orphans. */
  async reconcile(): Promise<{ adopted: string[]; removed: string[] }> {
    try {
      return await reconcileWorkspaces(
        this.driver,
        this.projects,
        (projectId) => this.start(projectId, { quota: false }),
        this.log,
      );
    } finally {
      this.markReconciled();
    }
  }

  /** The status once known: a tab reconnecting after a restart must not see stopped, then starting. */
  async settledStatus(projectId: string, waitMs = 10_000): Promise<WorkspaceStatusDto> {
    await waitAtMost(this.reconciled, waitMs);
    return this.status(projectId);
  }

  /** Every workspace this server knows that is not stopped (admin page, terminal gauge). */
  active(): WorkspaceStatusDto[] {
    return [...this.entries]
      .filter(([, entry]) => visibleState(entry.lifecycle) !== 'stopped')
      .map(([projectId, entry]) => this.statusOf(projectId, entry));
  }

  /** Counts per state for berth_workspaces; every state present. */
  countByState(): Record<WorkspaceState, number> {
    return countByState(this.entries.values());
  }

  dispose(): void {
    // Shutting down: agent sockets closing now must not trigger reconnects.
    this.disposed = true;
    this.offRuntime();
    for (const entry of this.entries.values()) runOf(entry.lifecycle)?.agent.close();
  }

  private entry(projectId: string): Entry {
    let entry = this.entries.get(projectId);
    if (!entry)
      this.entries.set(
        projectId,
        (entry = { lifecycle: INITIAL_LIFECYCLE, clients: new Map(), lastActivityAt: this.now() }),
      );
    return entry;
  }

  private currentRun(projectId: string): Run | undefined {
    const entry = this.entries.get(projectId);
    return entry && runOf(entry.lifecycle);
  }

  private statusOf(projectId: string, entry: Entry | undefined): WorkspaceStatusDto {
    return toStatusDto(projectId, entry, this.options.idleMinutes, this.now(), this.diskUsage.get(projectId));
  }

  private onRuntimeEvent(event: RuntimeEvent): void {
    const entry = this.entries.get(event.projectId);
    if (!entry || visibleState(entry.lifecycle) !== 'running') return;
    switch (event.type) {
      case 'started':
        return;
      case 'oom':
        return this.onOutOfMemory(event.projectId, entry, event.memoryLimitBytes);
      case 'exited':
        return this.onUnexpectedExit(entry, event);
    }
  }

  private onOutOfMemory(projectId: string, entry: Entry, memoryLimitBytes: number | null): void {
    const memoryLimitMb = memoryLimitBytes ? Math.round(memoryLimitBytes / 2 ** 20) : null;
    this.log.warn({ projectId, memoryLimitMb }, 'a process in the workspace was killed: out of memory');
    this.operations.advance(entry, {
      type: 'outOfMemory',
      oom: { at: new Date(this.now()).toISOString(), memoryLimitMb },
    });
    this.operations.emit(projectId, entry);
    this.events.emit('onDidRunOutOfMemory', { projectId, memoryLimitMb });
  }

  private onUnexpectedExit(entry: Entry, event: Extract<RuntimeEvent, { type: 'exited' }>): void {
    // Nobody here asked it to stop: killed from outside, crashed or out of memory.
    this.log.warn(
      { projectId: event.projectId, exitCode: event.exitCode, oomKilled: event.oomKilled },
      'workspace exited unexpectedly',
    );
    entry.lastExit = { exitCode: event.exitCode, oomKilled: event.oomKilled, at: new Date(this.now()).toISOString() };
    this.operations.advance(entry, { type: 'exited' });
    this.operations.emit(event.projectId, entry);
  }

  /** The agent connection dropped: see dropped-agent.ts. */
  private watchAgent(projectId: string, connection: AgentConnection): void {
    connection.events.on('onDidClose', () =>
      followDroppedAgent(this.driver, projectId, {
        // Still the agent of a running workspace: not stopped, replaced or being saved meanwhile.
        isCurrent: () => {
          const lifecycle = this.entries.get(projectId)?.lifecycle;
          return !this.disposed && lifecycle?.phase === 'running' && lifecycle.run.agent === connection;
        },
        reconnect: () => void this.start(projectId, { quota: false }),
        markExited: () => this.onRuntimeEvent({ type: 'exited', projectId, exitCode: null, oomKilled: false }),
      }),
    );
  }
}
