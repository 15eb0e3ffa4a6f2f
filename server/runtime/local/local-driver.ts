// A RuntimeDriver that runs each workspace as local processes instead of a container: a folder
// per project for the volume, the real workspace agent as a Node process on a loopback port, and
// exec as child processes (with a pseudo-terminal from util-linux `script`). It passes the same
// contract suite as the Docker driver, so services above the runtime get fast unit tests on it.
// It isolates nothing (no namespaces, limits or network rules) and paths are the host's (the
// workspace is its folder, not /workspace): a test and development driver, never for users' code.
import { mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Disposer } from '../../core/typed-emitter';
import {
  WorkspaceNotRunningError,
  type AgentEndpoint,
  type ExecOptions,
  type ExecSession,
  type RuntimeDriver,
  type RuntimeEvent,
  type RuntimeWorkspace,
  type WorkspaceSpec,
  type WorkspaceStats,
} from '../runtime-driver';
import { startLocalAgent } from './local-agent';
import { LocalExecSession } from './local-exec';
import { exists, makeVolume } from './local-volume';
import { killTree, processTree, TICKS_PER_SECOND } from './process-tree';
import { workspaceEnv, type WorkspaceUser } from './workspace-process';
import type { ChildProcess } from 'node:child_process';

const PROJECT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/;
// Like `docker stop`'s grace period: SIGTERM to the agent, then everything is killed.
const STOP_GRACE_MS = 5000;

export interface LocalProcessDriverOptions {
  /** Where each project's folder is made: <baseDir>/<projectId>. */
  baseDir: string;
  /** Starts the workspace agent, e.g. [process.execPath, '<bundle>/agent.cjs'] (BERTH_* env is added). */
  agentCommand: string[];
  /** Runs the workspace's processes as this user (uid 1000, like the container, when Berth is root); default: Berth's. */
  user?: WorkspaceUser;
  /** Reported as the memory limit (nothing enforces it); default: the machine's memory. */
  memoryLimitBytes?: number;
}

interface Running {
  agent: ChildProcess;
  endpoint: AgentEndpoint;
  startedAt: Date;
  sessions: Set<LocalExecSession>;
  /** Resolves once the agent has exited and the workspace's processes are gone. */
  exited: Promise<void>;
  cpu?: { ticks: number; at: number };
}

export class LocalProcessDriver implements RuntimeDriver {
  private readonly running = new Map<string, Running>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private disposed = false;

  constructor(private readonly options: LocalProcessDriverOptions) {}

  /** The workspace's folder: what its processes see as their working directory. */
  workspaceDir(projectId: string): string {
    if (!PROJECT_ID.test(projectId))
      throw new Error(`Invalid project id for a workspace: ${JSON.stringify(projectId)}`);
    return path.join(this.options.baseDir, projectId);
  }

  /** The agent's pid while the workspace runs (tests end it "from outside"). */
  agentPid(projectId: string): number | undefined {
    return this.running.get(projectId)?.agent.pid;
  }

  async ping(): Promise<void> {
    await mkdir(this.options.baseDir, { recursive: true });
  }

  ensureRunning(spec: WorkspaceSpec): Promise<RuntimeWorkspace> {
    const folder = this.workspaceDir(spec.projectId);
    return this.serial(spec.projectId, async () => {
      const current = this.running.get(spec.projectId);
      if (current) return this.describe(spec.projectId, current, false);
      if (this.disposed) throw new Error('the runtime driver is disposed');
      await this.ping();
      const createdVolume = !(await exists(folder));
      if (createdVolume) await makeVolume(folder, spec, this.options.user);
      const agent = await startLocalAgent({
        command: this.options.agentCommand,
        workspaceDir: folder,
        user: this.options.user,
      });
      const run = this.track(spec.projectId, agent.process, agent.endpoint);
      this.emit({ type: 'started', projectId: spec.projectId });
      return this.describe(spec.projectId, run, createdVolume);
    });
  }

  stop(projectId: string): Promise<void> {
    this.workspaceDir(projectId);
    return this.serial(projectId, () => this.stopNow(projectId));
  }

  remove(projectId: string): Promise<void> {
    const folder = this.workspaceDir(projectId);
    return this.serial(projectId, async () => {
      await this.stopNow(projectId);
      await rm(folder, { recursive: true, force: true });
    });
  }

  async inspect(projectId: string): Promise<RuntimeWorkspace> {
    const folder = this.workspaceDir(projectId);
    const run = this.running.get(projectId);
    if (run) return this.describe(projectId, run);
    return { projectId, state: (await exists(folder)) ? 'stopped' : 'missing' };
  }

  async list(): Promise<RuntimeWorkspace[]> {
    const names = await readdir(this.options.baseDir, { withFileTypes: true }).catch(() => []);
    const ids = names.filter((entry) => entry.isDirectory() && PROJECT_ID.test(entry.name)).map((entry) => entry.name);
    return Promise.all(ids.map((projectId) => this.inspect(projectId)));
  }

  async exec(projectId: string, command: string[], options: ExecOptions): Promise<ExecSession> {
    const folder = this.workspaceDir(projectId);
    const run = this.running.get(projectId);
    if (!run) throw new WorkspaceNotRunningError(projectId);
    const session = new LocalExecSession({
      command,
      cwd: options.workingDir ?? folder,
      env: workspaceEnv(folder, options.env),
      user: this.options.user,
      tty: options.tty,
      cols: options.cols ?? 80,
      rows: options.rows ?? 24,
    });
    run.sessions.add(session);
    void session.exited.then(() => run.sessions.delete(session));
    return session;
  }

  async stats(projectId: string): Promise<WorkspaceStats | null> {
    this.workspaceDir(projectId);
    const run = this.running.get(projectId);
    if (!run) return null;
    const processes = await processTree(this.roots(run));
    const ticks = processes.reduce((sum, info) => sum + info.cpuTicks, 0);
    const at = performance.now();
    // CPU use since the previous reading (0 for the first), as a share of one CPU like `docker stats`.
    const cpuPercent = run.cpu
      ? Math.max(0, ((ticks - run.cpu.ticks) / TICKS_PER_SECOND / ((at - run.cpu.at) / 1000)) * 100)
      : 0;
    run.cpu = { ticks, at };
    return {
      cpuPercent,
      memoryBytes: processes.reduce((sum, info) => sum + info.rssBytes, 0),
      memoryLimitBytes: this.options.memoryLimitBytes ?? os.totalmem(),
      pids: processes.length,
    };
  }

  onEvent(listener: (event: RuntimeEvent) => void): Disposer {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every workspace: unlike containers, local processes cannot outlive the driver that watches them. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.running.keys()].map((projectId) => this.stop(projectId)));
    this.listeners.clear();
  }

  private describe(projectId: string, run: Running, createdVolume?: boolean): RuntimeWorkspace {
    return {
      projectId,
      state: 'running',
      agent: run.endpoint,
      startedAt: run.startedAt,
      ...(createdVolume === undefined ? {} : { createdVolume }),
    };
  }

  private roots(run: Running): number[] {
    return [run.agent.pid, ...[...run.sessions].map((session) => session.pid)].filter(
      (pid): pid is number => pid !== undefined,
    );
  }

  /** Watches the agent: when it exits, however it was ended, the workspace's processes go with it. */
  private track(projectId: string, agent: ChildProcess, endpoint: AgentEndpoint): Running {
    let markExited!: () => void;
    const run: Running = {
      agent,
      endpoint,
      startedAt: new Date(),
      sessions: new Set(),
      exited: new Promise((resolve) => (markExited = resolve)),
    };
    this.running.set(projectId, run);
    agent.once('exit', (code, signal) => {
      void (async () => {
        // As when a container's main process ends: nothing else in it runs on. (Not from the
        // agent's pid: it has exited, and the number may already be another process's.)
        for (const session of run.sessions) session.kill();
        await killTree([...run.sessions].flatMap((session) => (session.pid === undefined ? [] : [session.pid])));
        if (this.running.get(projectId) === run) this.running.delete(projectId);
        const exitCode = code ?? (signal ? 128 + os.constants.signals[signal] : null);
        this.emit({ type: 'exited', projectId, exitCode, oomKilled: false });
        markExited();
      })();
    });
    return run;
  }

  private async stopNow(projectId: string): Promise<void> {
    const run = this.running.get(projectId);
    if (!run) return;
    run.agent.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS)));
    const stopped = await Promise.race([run.exited.then(() => true), graceOver]);
    clearTimeout(timer);
    if (!stopped) run.agent.kill('SIGKILL');
    await run.exited;
  }

  /** One lifecycle operation per project at a time, in call order (start, stop, remove). */
  private serial<T>(projectId: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(projectId) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    const settled = next.catch(() => undefined);
    this.queues.set(projectId, settled);
    void settled.then(() => {
      if (this.queues.get(projectId) === settled) this.queues.delete(projectId);
    });
    return next;
  }

  private emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}
