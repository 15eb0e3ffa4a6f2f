// The runtime driver: how Berth runs one workspace per project. An interface, not a class
// hierarchy: the Docker driver is the real one; later drivers (local processes, Kubernetes)
// implement the same interface and pass the same contract suite (runtime-contract.ts).
import type { Disposer } from '../core/typed-emitter';

/** Where the workspace agent answers, and the secret it requires. */
export interface AgentEndpoint {
  /** e.g. http://127.0.0.1:49153 — the agent's HTTP base URL; WebSocket at /connect. */
  url: string;
  secret: string;
  /**
   * The same agent without the engine's port proxy (the container's own address), for byte-heavy
   * callers (preview tunnels: docker-proxy copies every byte once more). It may not answer from
   * here (rootless Docker, Docker Desktop): callers fall back to `url`.
   */
  directUrl?: string;
}

export interface WorkspaceSpec {
  projectId: string;
  /** Folder whose files seed a brand-new volume (the project's template); absent = empty. */
  seedFrom?: string;
  /**
   * A tar of the files to seed a brand-new volume with instead (a snapshot, when the volume was
   * lost); asked for only when a volume is made. Entries should belong to uid 1000.
   */
  seedArchive?: () => Promise<NodeJS.ReadableStream>;
}

export type RuntimeState = 'running' | 'stopped' | 'missing';

export interface RuntimeWorkspace {
  projectId: string;
  state: RuntimeState;
  /** Set when running. */
  agent?: AgentEndpoint;
  startedAt?: Date;
  /** true when ensureRunning had to make a new volume (and seeded it). */
  createdVolume?: boolean;
}

export interface ExecOptions {
  tty: boolean;
  cols?: number;
  rows?: number;
  env?: Record<string, string>;
  workingDir?: string;
}

/** A running process inside a workspace, e.g. a terminal's login shell. */
export interface ExecSession {
  write(data: string | Buffer): void;
  /** Output (stdout+stderr merged when tty). Returns a disposer. */
  onData(listener: (chunk: Buffer) => void): Disposer;
  /** Fires once with the exit code (null when unknown, e.g. the container died). */
  onExit(listener: (code: number | null) => void): Disposer;
  resize(cols: number, rows: number): Promise<void>;
  /** Backpressure: stop reading output until resume(); the process blocks on a full pty. */
  pause(): void;
  resume(): void;
  /** Ends the session (closes stdin / the stream). */
  close(): void;
}

export interface WorkspaceStats {
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  pids: number;
}

/** How a workspace's volume is held to WORKSPACE_DISK_GB: its own fixed-size filesystem, or measured. */
export type DiskEnforcement = 'filesystem' | 'watch';

/** Disk used by a workspace: its volume plus its container's writable layer. */
export interface WorkspaceDiskUsage {
  usedBytes: number;
  limitBytes: number;
  enforcement: DiskEnforcement;
  volumeBytes: number;
  layerBytes: number;
}

export type RuntimeEvent =
  | { type: 'started'; projectId: string }
  | { type: 'exited'; projectId: string; exitCode: number | null; oomKilled: boolean }
  /** A process in the workspace was killed for memory (the workspace may run on). */
  | { type: 'oom'; projectId: string; memoryLimitBytes: number | null };

export interface RuntimeDriver {
  /** Throws EngineUnavailableError when the engine does not answer. */
  ping(): Promise<void>;
  /** Idempotent and safe under concurrency: one workspace per project, however many callers. */
  ensureRunning(spec: WorkspaceSpec): Promise<RuntimeWorkspace>;
  stop(projectId: string): Promise<void>;
  /** Removes the workspace and its volume (the project is being deleted). */
  remove(projectId: string): Promise<void>;
  inspect(projectId: string): Promise<RuntimeWorkspace>;
  /** Every workspace this driver manages (for adoption and orphan removal at start-up). */
  list(): Promise<RuntimeWorkspace[]>;
  exec(projectId: string, command: string[], options: ExecOptions): Promise<ExecSession>;
  stats(projectId: string): Promise<WorkspaceStats | null>;
  /** Disk usage against the limit; absent on drivers without one, null when it cannot be measured now. */
  diskUsage?(projectId: string): Promise<WorkspaceDiskUsage | null>;
  /** Workspace started or exited, whoever caused it (including a kill from outside). */
  onEvent(listener: (event: RuntimeEvent) => void): Disposer;
  dispose(): Promise<void>;
}

export class EngineUnavailableError extends Error {
  readonly code = 'engine_unavailable';
  constructor(cause?: unknown) {
    super('Docker engine unreachable', { cause });
  }
}

export class WorkspaceNotRunningError extends Error {
  readonly code = 'workspace_not_running';
  constructor(projectId: string) {
    super(`The workspace of project ${projectId} is not running`);
  }
}
