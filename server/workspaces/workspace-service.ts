// Workspace lifecycle: stopped → starting → running → stopping (and error, with its cause).
// One entry per project; starts are single-flight so two tabs opening one project make one
// container. Every change is emitted for the socket layer to push to open clients.
// Callers check project ownership before calling in; this service trusts project ids.
import type { WorkspaceState, WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { Logger } from '../core/logger';
import { TypedEmitter, type Disposer } from '../core/typed-emitter';
import { waitAtMost } from '../core/wait-at-most';
import type { AgentEndpoint, RuntimeDriver, RuntimeEvent } from '../runtime';
import { AgentConnection } from './agent-connection';
import { bringUpWorkspace, reportStartFailure } from './workspace-bring-up';
import { followDroppedAgent } from './dropped-agent';
import { isIdle } from './idle-policy';
import { countByState, toStatusDto, type Entry } from './workspace-entry';
import { describeError, statusError } from './workspace-errors';
import { reconcileWorkspaces } from './reconcile-loop';
import type { ProjectDirectory, WorkspaceServiceOptions } from './workspace-service-options';

export type { ProjectDirectory, WorkspaceHooks, WorkspaceServiceOptions } from './workspace-service-options';

export class WorkspaceService {
  readonly events = new TypedEmitter<{
    onDidChangeStatus: WorkspaceStatusDto;
    /** A (re)connected agent: subscribe to its events (file changes) here. */
    onDidConnectAgent: { projectId: string; agent: AgentConnection };
    /**
     * The agent of a workspace that kept running came back after its connection dropped (the
     * Docker engine restarted: every stream through it ended): terminals attach again here.
     */
    onDidReconnectAgent: { projectId: string };
    /** A process in a running workspace was killed for memory (its terminals are told). */
    onDidRunOutOfMemory: { projectId: string; memoryLimitMb: number | null };
  }>();
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly offRuntime: Disposer;
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
    this.offRuntime = driver.onEvent((event) => this.onRuntimeEvent(event));
  }

  status(projectId: string): WorkspaceStatusDto {
    return toStatusDto(
      projectId,
      this.entries.get(projectId),
      this.options.idleMinutes,
      this.now(),
      this.options.diskUsage?.(projectId),
    );
  }

  /** Pushes the status again: a figure in it changed (disk usage). */
  refresh(projectId: string): void {
    if (this.entries.has(projectId)) this.emit(projectId);
  }

  /** Stops the workspace (snapshot first) and says why in its status until it is started again (disk_full). */
  async stopBecause(projectId: string, reason: { code: string; message: string }): Promise<WorkspaceStatusDto> {
    const stopped = await this.stop(projectId);
    if (stopped.state === 'stopped') this.update(projectId, { error: reason });
    return this.status(projectId);
  }

  /** The agent's HTTP endpoint (file content streams over HTTP, not the RPC socket). */
  agentEndpoint(projectId: string): AgentEndpoint | undefined {
    const entry = this.entries.get(projectId);
    return entry?.state === 'running' ? entry.endpoint : undefined;
  }

  /** The agent connection of a running workspace. */
  agent(projectId: string): AgentConnection | undefined {
    const entry = this.entries.get(projectId);
    return entry?.state === 'running' && entry.agent?.isOpen ? entry.agent : undefined;
  }

  /** `quota: false` for workspaces that already run (adoption, agent reconnects): never refused. */
  start(projectId: string, { quota = true }: { quota?: boolean } = {}): Promise<WorkspaceStatusDto> {
    if (this.disposed) return Promise.resolve(this.status(projectId));
    const entry = this.entry(projectId);
    if (entry.starting) return entry.starting;
    if (entry.state === 'running' && entry.agent?.isOpen) return Promise.resolve(this.status(projectId));
    entry.starting = (async () => {
      if (entry.stopping) await entry.stopping;
      // Reconnecting the agent of a workspace that still runs: it stays running for the tabs
      // meanwhile (a blip through starting would make them rebuild their terminals).
      const reconnecting = entry.state === 'running';
      // A new start: an out-of-memory kill of the previous one is no longer news.
      if (!reconnecting) this.update(projectId, { state: 'starting', error: undefined, lastOom: undefined });
      const began = performance.now();
      try {
        const workspace = await bringUpWorkspace(
          { driver: this.driver, projects: this.projects, options: this.options, entries: this.entries, log: this.log },
          projectId,
          entry,
          quota,
        );
        entry.agent?.close();
        entry.agent = await AgentConnection.connect(workspace.agent);
        entry.endpoint = workspace.agent;
        this.events.emit('onDidConnectAgent', { projectId, agent: entry.agent });
        this.watchAgent(projectId, entry.agent);
        entry.lastActivityAt = this.now();
        this.update(projectId, { state: 'running', startedAt: workspace.startedAt ?? new Date(), lastExit: undefined });
        if (reconnecting) this.events.emit('onDidReconnectAgent', { projectId });
        else this.options.metrics?.workspaceStartSeconds.observe((performance.now() - began) / 1000);
      } catch (error) {
        reportStartFailure(this.log, this.options, projectId, error);
        this.update(projectId, { state: 'error', error: describeError(error) });
      } finally {
        entry.starting = undefined;
      }
      return this.status(projectId);
    })();
    return entry.starting;
  }

  /** Starts the workspace if needed and resolves once it runs; otherwise throws the DomainError to refuse with. */
  async ensureRunning(projectId: string): Promise<WorkspaceStatusDto> {
    // A call that merely needs the workspace (a file read in flight) must not undo a stop.
    if (this.entries.get(projectId)?.stopping)
      throw new DomainError('conflict', 'workspace_stopping', 'The workspace is stopping; start it again to continue');
    const status = await this.start(projectId);
    const failure = statusError(status);
    if (failure) throw failure;
    if (status.state !== 'running')
      throw new DomainError('conflict', 'workspace_not_running', `The workspace is ${status.state}; try again`);
    return status;
  }

  stop(projectId: string): Promise<WorkspaceStatusDto> {
    const entry = this.entry(projectId);
    if (entry.stopping) return entry.stopping;
    entry.stopping = (async () => {
      if (entry.starting) await entry.starting;
      if (entry.state === 'running' && this.options.hooks?.beforeStop) {
        await this.options.hooks
          .beforeStop(projectId)
          .catch((error: unknown) =>
            this.log.warn({ projectId, err: error }, 'snapshot before stop failed; stopping anyway'),
          );
      }
      this.update(projectId, { state: 'stopping' });
      entry.agent?.close();
      entry.agent = undefined;
      try {
        await this.driver.stop(projectId);
        this.update(projectId, { state: 'stopped', startedAt: undefined, error: undefined });
      } catch (error) {
        this.update(projectId, { state: 'error', error: describeError(error) });
      } finally {
        entry.stopping = undefined;
      }
      return this.status(projectId);
    })();
    return entry.stopping;
  }

  /** An admin's "Remove": stop (snapshot first), delete container and volume; the next start restores. */
  async discard(projectId: string): Promise<WorkspaceStatusDto> {
    const stopped = await this.stop(projectId);
    if (stopped.state === 'error') return stopped;
    await this.driver.remove(projectId);
    this.update(projectId, { state: 'stopped', restoredFrom: undefined, lastExit: undefined });
    return this.status(projectId);
  }

  /** The project is gone: remove its workspace and volume. */
  async remove(projectId: string): Promise<void> {
    const entry = this.entries.get(projectId);
    if (entry?.starting) await entry.starting.catch(() => undefined);
    entry?.agent?.close();
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
    this.emit(projectId);
    return () => {
      const count = (entry.clients.get(clientId) ?? 1) - 1;
      if (count <= 0) entry.clients.delete(clientId);
      else entry.clients.set(clientId, count);
      entry.lastActivityAt = this.now();
      this.emit(projectId);
    };
  }

  /** Stops every running workspace that has been idle for WORKSPACE_IDLE_MINUTES. */
  async reapIdle(): Promise<string[]> {
    const now = this.now();
    const idle = [...this.entries].filter(
      ([, entry]) => entry.state === 'running' && isIdle(entry, this.options.idleMinutes, now),
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
      .filter(([, entry]) => entry.state !== 'stopped')
      .map(([projectId]) => this.status(projectId));
  }

  /** Counts per state for berth_workspaces; every state present. */
  countByState(): Record<WorkspaceState, number> {
    return countByState(this.entries.values());
  }

  dispose(): void {
    // Shutting down: agent sockets closing now must not trigger reconnects.
    this.disposed = true;
    this.offRuntime();
    for (const entry of this.entries.values()) entry.agent?.close();
  }

  private entry(projectId: string): Entry {
    let entry = this.entries.get(projectId);
    if (!entry)
      this.entries.set(projectId, (entry = { state: 'stopped', clients: new Map(), lastActivityAt: this.now() }));
    return entry;
  }

  private update(projectId: string, patch: Partial<Omit<Entry, 'clients'>>): void {
    Object.assign(this.entry(projectId), patch);
    this.emit(projectId);
  }

  private emit(projectId: string): void {
    this.events.emit('onDidChangeStatus', this.status(projectId));
  }

  private onRuntimeEvent(event: RuntimeEvent): void {
    const entry = this.entries.get(event.projectId);
    if (!entry || entry.state !== 'running') return;
    switch (event.type) {
      case 'started':
        return;
      case 'oom':
        return this.onOutOfMemory(event.projectId, event.memoryLimitBytes);
      case 'exited':
        return this.onUnexpectedExit(entry, event);
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  }

  private onOutOfMemory(projectId: string, memoryLimitBytes: number | null): void {
    const memoryLimitMb = memoryLimitBytes ? Math.round(memoryLimitBytes / 2 ** 20) : null;
    this.log.warn({ projectId, memoryLimitMb }, 'a process in the workspace was killed: out of memory');
    this.update(projectId, { lastOom: { at: new Date(this.now()).toISOString(), memoryLimitMb } });
    this.events.emit('onDidRunOutOfMemory', { projectId, memoryLimitMb });
  }

  private onUnexpectedExit(entry: Entry, event: Extract<RuntimeEvent, { type: 'exited' }>): void {
    // Nobody here asked it to stop: killed from outside, crashed or out of memory.
    this.log.warn(
      { projectId: event.projectId, exitCode: event.exitCode, oomKilled: event.oomKilled },
      'workspace exited unexpectedly',
    );
    entry.agent?.close();
    entry.agent = undefined;
    this.update(event.projectId, {
      state: 'stopped',
      startedAt: undefined,
      lastExit: { exitCode: event.exitCode, oomKilled: event.oomKilled, at: new Date(this.now()).toISOString() },
    });
  }

  /** The agent connection dropped: see dropped-agent.ts. */
  private watchAgent(projectId: string, connection: AgentConnection): void {
    connection.events.on('onDidClose', () =>
      followDroppedAgent(this.driver, projectId, {
        isCurrent: () =>
          !this.disposed &&
          this.entries.get(projectId)?.state === 'running' &&
          this.entries.get(projectId)?.agent === connection,
        reconnect: () => {
          this.entries.get(projectId)!.agent = undefined;
          void this.start(projectId, { quota: false });
        },
        markExited: () => this.onRuntimeEvent({ type: 'exited', projectId, exitCode: null, oomKilled: false }),
      }),
    );
  }
}
