// The Berth side of the workspace benches: a production server with its own embedded
// PostgreSQL and the workspace image, projects through REST, and a Socket.IO client that acts
// like the browser (bearer token, WebSocket transport, acks every output batch).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { io, type Socket } from 'socket.io-client';
import {
  callEvent,
  type ClientEventName,
  type ClientToServerEvents,
  type PayloadOf,
  type ProjectDto,
  type ResultOf,
  type ServerToClientEvents,
  type WorkspaceStatusDto,
} from '../../server/contracts';
import type { Defer } from './cleanup';
import {
  benchDocker,
  benchProjectIds,
  benchScopes,
  removeProjectResources,
  removeScopeNetworks,
  waitProjectGone,
} from './docker';
import { startBenchPostgres } from './postgres';
import { freePort, spawnServer, waitForOk, type Spawned } from './process';
import { ensureBuilt, root, serverBundle, tempDir } from './repo';
import { createBenchUser, type BenchUser } from './seed';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface BenchServer {
  base: string;
  server: Spawned;
  user: BenchUser;
  /** WORKSPACE_SCOPE of this server: it adopts and reaps only workspaces labelled with it. */
  scope: string;
  /** Its embedded PostgreSQL (for benches that time the server's own queries beside it). */
  databaseUrl: string;
}

/**
 * The address of a production server on `port` on loopback and its environment: this process's,
 * with its data in `dir`, its database at `databaseUrl`, warnings only, and `extra` on top.
 */
export function benchServerEnv(
  port: number,
  dir: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
): { base: string; env: NodeJS.ProcessEnv } {
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BERTH_URL: base,
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    // Benches keep many workspaces of one user running: measure speed, not the quota.
    WORKSPACE_MAX_RUNNING_PER_USER: '0',
    ...extra,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  return { base, env };
}

/**
 * The built production server (dist/server.mjs) on a free port, with its own embedded
 * PostgreSQL, the given workspace image and a signed-up user with a token. It gets a scope of
 * its own: a server reconciles at start-up and removes every workspace of its scope whose
 * project it does not know, and the engine is shared (tests, e2e, other servers). Its shared
 * workspace network (`berth-ws-net-<scope>`, kept by the driver for the next workspace) is
 * removed at clean-up, after the projects created later are deleted, and by the last sweep
 * if that failed.
 */
export async function startBenchServer(
  name: string,
  image: string,
  defer: Defer,
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  await ensureBuilt();
  const dir = tempDir(`berth-bench-${name}-`, defer);
  const db = await startBenchPostgres(dir, defer);
  const scope = `bench-${randomBytes(6).toString('hex')}`;
  benchScopes.add(scope);
  const port = await freePort();
  const { base, env } = benchServerEnv(port, dir, db.url, {
    ...extraEnv,
    WORKSPACE_IMAGE: image,
    WORKSPACE_SCOPE: scope,
  });
  const server = spawnServer(process.execPath, ['--enable-source-maps', serverBundle], { cwd: root, env }, defer);
  // Undone after every project's DELETE (defers run in reverse) and before the server stops.
  defer(`remove the shared network of scope ${scope}`, () => removeScopeNetworks(benchDocker(), scope));
  await waitForOk(`${base}/api/ready`, server, { timeoutMs: 120_000 });
  const user = await createBenchUser(base);
  return { base, server, user, scope, databaseUrl: db.url };
}

/** Resident set size (VmRSS) and its peak so far (VmHWM) of a process, in MiB; NaN once it is gone. */
export function rssOf(pid: number): { rssMiB: number; hwmMiB: number } {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // the process is gone (e.g. stopped by Ctrl-C's clean-up): NaN
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

// ── REST ──────────────────────────────────────────────────────────────────────────────

/** POST /api/v1/projects (blank-node unless `template` says otherwise); DELETE is registered with `defer` (and waits for the container and volume to go). */
export async function createProject(
  bench: BenchServer,
  docker: Dockerode,
  name: string,
  defer: Defer,
  template = 'blank-node',
): Promise<{ project: ProjectDto; remove: () => Promise<number> }> {
  const res = await fetch(`${bench.base}/api/v1/projects`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bench.user.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, template }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/v1/projects: ${res.status} ${text.slice(0, 300)}`);
  return trackProject(bench, docker, JSON.parse(text) as ProjectDto, defer);
}

/** A project the server made (POST, duplicate, import): its DELETE is registered with `defer` (and waits for the container and volume to go). */
export function trackProject(
  bench: BenchServer,
  docker: Dockerode,
  project: ProjectDto,
  defer: Defer,
): { project: ProjectDto; remove: () => Promise<number> } {
  benchProjectIds.add(project.id);
  let removing: Promise<number> | undefined;
  const remove = () =>
    (removing ??= (async () => {
      if (!bench.server.hasExited()) {
        const del = await fetch(`${bench.base}/api/v1/projects/${project.id}`, {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${bench.user.token}` },
          signal: AbortSignal.timeout(10_000),
        }).catch((error: Error) => error);
        if (del instanceof Error || del.status !== 204) {
          console.error(
            `[bench] DELETE project ${project.id}: ${del instanceof Error ? del.message : del.status}; removing its resources directly`,
          );
          await removeProjectResources(docker, project.id);
          return 0;
        }
        return waitProjectGone(docker, project.id);
      }
      await removeProjectResources(docker, project.id);
      return 0;
    })());
  defer(`delete project ${project.id}`, async () => void (await remove()));
  return { project, remove };
}

// ── Socket.IO, like the browser ─────────────────────────────────────────────────────────

/** A Socket.IO client authenticated with the bearer token; disconnected by `defer`. */
export async function connectSocket(bench: BenchServer, defer: Defer, timeoutMs = 10_000): Promise<BenchSocket> {
  const socket: BenchSocket = io(bench.base, {
    transports: ['websocket'],
    // The header, not only `auth`: without an Origin the handshake is allowed only when it carries a bearer token.
    extraHeaders: { Authorization: `Bearer ${bench.user.token}` },
    reconnection: false,
    forceNew: true,
  });
  defer('disconnect socket', () => void socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Socket.IO did not connect within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Socket.IO connect failed: ${error.message}`));
    });
  });
  return socket;
}

/** Emits an event and resolves with its ack's data; rejects on an error ack or after `timeoutMs`. */
export function call<E extends ClientEventName>(
  socket: BenchSocket,
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 30_000,
): Promise<ResultOf<E>> {
  return callEvent(socket, event, payload, timeoutMs);
}

/** Resolves with the time the workspace:status push of `state` arrived; rejects on 'error'. */
export function waitForState(
  socket: BenchSocket,
  projectId: string,
  state: WorkspaceStatusDto['state'],
  timeoutMs = 60_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('workspace:status', onStatus);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`workspace ${projectId} not ${state} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onStatus = (status: WorkspaceStatusDto) => {
      if (status.projectId !== projectId) return;
      if (status.state === state) {
        done();
        resolve(performance.now());
      } else if (status.state === 'error') {
        done();
        reject(new Error(`workspace ${projectId} failed: ${status.error?.code}: ${status.error?.message}`));
      }
    };
    socket.on('workspace:status', onStatus);
  });
}

export type AckMode = 'immediate' | 'next-tick';

/**
 * Routes terminal:output of one socket to per-terminal listeners and acks every batch, as
 * the browser does once xterm has taken it: 'immediate', or 'next-tick' (after setImmediate,
 * like a write callback that runs after parsing). Output nobody listens to is acked too.
 */
export class OutputRouter {
  private readonly listeners = new Map<string, (text: string, at: number) => void>();
  private fallback: ((terminalId: string, text: string, at: number) => void) | undefined;
  /** Characters received per terminal. */
  readonly received = new Map<string, number>();

  constructor(socket: BenchSocket, ackMode: AckMode = 'immediate') {
    socket.on('terminal:output', ({ terminalId, data }, ack) => {
      const at = performance.now();
      this.received.set(terminalId, (this.received.get(terminalId) ?? 0) + data.length);
      const listener = this.listeners.get(terminalId);
      if (listener) listener(data, at);
      else this.fallback?.(terminalId, data, at);
      if (ackMode === 'immediate') ack();
      else setImmediate(ack);
    });
  }

  listen(terminalId: string, listener: (text: string, at: number) => void): void {
    this.listeners.set(terminalId, listener);
  }

  /** Output of terminals nobody listens to yet (e.g. one whose create ack is still on its way). */
  listenOthers(listener: (terminalId: string, text: string, at: number) => void): void {
    this.fallback = listener;
  }
}

// ── Waiting for output ──────────────────────────────────────────────────────────────────

const KEEP_CHARS = 64 * 1024;

/**
 * Collects a terminal's output since the last reset() and resolves waitFor() with the
 * arrival time (performance.now()) of the chunk that completed the match.
 */
export class OutputWatch {
  private text = '';
  private waiter: { test: (text: string) => boolean; resolve: (at: number) => void } | undefined;
  private lastAt = 0;

  push(chunk: string, at: number): void {
    this.text += chunk;
    this.lastAt = at;
    if (this.text.length > 4 * KEEP_CHARS) this.text = this.text.slice(-KEEP_CHARS);
    if (this.waiter?.test(this.text)) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(at);
    }
  }

  reset(): void {
    this.text = '';
  }

  get buffer(): string {
    return this.text;
  }

  /** Time the last chunk arrived. */
  get lastOutputAt(): number {
    return this.lastAt;
  }

  waitFor(needle: string | RegExp, timeoutMs: number, what = String(needle)): Promise<number> {
    const test =
      typeof needle === 'string' ? (text: string) => text.includes(needle) : (text: string) => needle.test(text);
    if (test(this.text)) return Promise.resolve(this.lastAt);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(
          new Error(
            `no ${what} in the terminal output within ${timeoutMs} ms; last output: ${JSON.stringify(this.text.slice(-200))}`,
          ),
        );
      }, timeoutMs);
      this.waiter = {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  }

  /** Waits until no output arrived for `quietMs` (bounded by `timeoutMs`). */
  async settle(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const idle = performance.now() - this.lastAt;
      if (idle >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, quietMs - idle + 1));
    }
  }
}

/** The prompt character: the workspace's PS1 ends in `\$ `, which is `$` for the user dev. */
export const PROMPT_CHAR = '$';
