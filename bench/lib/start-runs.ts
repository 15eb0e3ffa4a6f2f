// One cold start of each side of Figure 3, timed step by step: a new Berth project from
// workspace:open to the first "$" (split further by the engine's event times), and the
// bare-Docker baseline from a fresh volume to the first "$" of `docker exec bash -l`; then the
// stop of each (workspace:stop, with its snapshot, next to docker stop of the baseline).
import type Dockerode from 'dockerode';
import { containerName, volumeName } from '../../server/runtime/docker/names';
import { call, connectSocket, waitForState } from './bench-socket';
import { createProject, type BenchServer } from './berth';
import { OutputRouter, OutputWatch, PROMPT_CHAR } from './terminal-output';
import type { Defer } from './cleanup';
import { startBaselineWorkspace } from './docker';
import type { EngineEventRecord, recordEngineEvents } from './engine-events';
import { rawExecTty } from './exec-tty';

const STEP_TIMEOUT_MS = 60_000;
const SIZE = { cols: 80, rows: 24 }; // the browser's first terminal
// The Docker driver's stop timeout (docker-driver.ts): SIGKILL after it, exit 137.
const STOP_TIMEOUT_SECONDS = 5;

export interface BerthRun {
  total: number;
  /** workspace:open emitted → its ack (project checked, start kicked off). */
  openAck: number;
  /** → workspace:status 'running' pushed (volume, container on the shared network, seed, start, health, agent WebSocket). */
  running: number;
  /** → terminal:list acked (the browser asks before creating its first terminal). */
  list: number;
  /** → terminal:create acked (docker exec bash -l started, resized, attached). */
  created: number;
  /** → first output with `$`. */
  prompt: number;
  promptInScrollback: boolean;
  /** workspace:stop → its ack 'stopped': the snapshot before the stop, then the container's (agent SIGTERM → exit). */
  stopMs: number;
  /** DELETE → container and volume gone (not part of the figure; the shared network stays). */
  deleteMs: number;
  /** The start inside the server, split by the engine's event times; undefined if an event is missing. */
  engine: Record<EngineStep, number> | undefined;
}

export const ENGINE_STEPS = {
  toVolume: 'open → volume created (project lookup, inspect, list shared network, volume inspect + create)',
  toContainer: 'volume → container created',
  toSeeded: 'container → template extracted (putArchive)',
  toStarted: 'seeded → container started (inspect, list shared networks, start)',
  toRunning: 'started → running pushed (inspect, /health polls, agent WebSocket)',
  toTerminal: 'running → terminal created (terminal:list, terminal:create: exec, resize, attach)',
  toPrompt: 'terminal created → "$" received',
} as const;
export type EngineStep = keyof typeof ENGINE_STEPS;

export type EngineLog = Awaited<ReturnType<typeof recordEngineEvents>>;

/**
 * Splits Berth's start by when the engine finished each of its steps (times from `t0`), then
 * by the client's own times of the running push, the create ack and the prompt; the steps add
 * up to the open-to-prompt total. The shared network is no step: it exists from the warm-up on.
 */
export function engineSteps(
  log: EngineLog,
  projectId: string,
  t0: number,
  tRunning: number,
  tCreated: number,
  tPrompt: number,
): Record<EngineStep, number> | undefined {
  const events = log.of([containerName(projectId), volumeName(projectId)], t0);
  const first = (type: string, action: (a: string) => boolean): number | undefined =>
    events.find((e: EngineEventRecord) => e.type === type && action(e.action))?.at;
  const volume = first('volume', (a) => a === 'create');
  const container = first('container', (a) => a === 'create');
  const seeded = first('container', (a) => a === 'extract-to-dir');
  const started = first('container', (a) => a === 'start');
  if ([volume, container, seeded, started].some((at) => at === undefined)) return undefined;
  return {
    toVolume: volume! - t0,
    toContainer: container! - volume!,
    toSeeded: seeded! - container!,
    toStarted: started! - seeded!,
    toRunning: tRunning - started!,
    toTerminal: tCreated - tRunning,
    toPrompt: tPrompt - tCreated,
  };
}

export interface BaselineRun {
  total: number;
  volume: number;
  create: number;
  start: number;
  healthy: number;
  /** exec create + start (hijacked) + resize. */
  exec: number;
  prompt: number;
  /** docker stop (same 5 s timeout as the driver's): SIGTERM → tini → the agent exits. */
  stopMs: number;
  removeMs: number;
}

export async function berthRun(
  bench: BenchServer,
  docker: Dockerode,
  log: EngineLog,
  defer: Defer,
  label: string,
): Promise<BerthRun> {
  const { project, remove } = await createProject(bench, docker, `Bench start ${label}`, defer);
  const projectId = project.id;
  const socket = await connectSocket(bench, defer);
  const router = new OutputRouter(socket);
  const watch = new OutputWatch();
  router.listenOthers((_terminalId, text, at) => watch.push(text, at));

  const running = waitForState(socket, projectId, 'running', STEP_TIMEOUT_MS);
  running.catch(() => undefined); // awaited below; a rejection after an earlier throw must not go unhandled
  const t0 = performance.now();
  const opened = await call(socket, 'workspace:open', { projectId }, STEP_TIMEOUT_MS);
  const tOpen = performance.now();
  if (opened.state !== 'starting')
    throw new Error(`workspace:open of a new project answered ${opened.state}, expected starting`);
  const tRunning = await running;
  const list = await call(socket, 'terminal:list', { projectId });
  const tList = performance.now();
  if (list.length !== 0) throw new Error(`a new project already has ${list.length} terminal(s)`);
  const created = await call(socket, 'terminal:create', { projectId, ...SIZE }, STEP_TIMEOUT_MS);
  const tCreated = performance.now();
  const promptInScrollback = created.scrollback.includes(PROMPT_CHAR);
  const tPrompt = promptInScrollback ? tCreated : await watch.waitFor(PROMPT_CHAR, STEP_TIMEOUT_MS, 'prompt');

  const stopAsked = performance.now();
  const stopped = await call(socket, 'workspace:stop', { projectId }, STEP_TIMEOUT_MS);
  const stopMs = performance.now() - stopAsked;
  if (stopped.state !== 'stopped') throw new Error(`workspace:stop answered ${stopped.state}, expected stopped`);
  socket.disconnect();
  const deleteMs = await remove();
  // remove() waited for the container to be gone, so every event of the start has arrived.
  const engine = engineSteps(log, projectId, t0, tRunning, tCreated, tPrompt);
  return {
    engine,
    total: tPrompt - t0,
    openAck: tOpen - t0,
    running: tRunning - tOpen,
    list: tList - tRunning,
    created: tCreated - tList,
    prompt: tPrompt - tCreated,
    promptInScrollback,
    stopMs,
    deleteMs,
  };
}

export async function baselineRun(
  docker: Dockerode,
  image: string,
  networkId: string,
  defer: Defer,
): Promise<BaselineRun> {
  const t0 = performance.now();
  const workspace = await startBaselineWorkspace(docker, image, networkId, defer, STEP_TIMEOUT_MS);
  const tHealthy = performance.now();
  const watch = new OutputWatch();
  const tty = await rawExecTty(workspace.container, ['bash', '-l'], (text, at) => watch.push(text, at), SIZE);
  const tExec = performance.now();
  const tPrompt = await watch.waitFor(PROMPT_CHAR, STEP_TIMEOUT_MS, 'prompt');
  tty.close();
  const stopAsked = performance.now();
  await workspace.container.stop({ t: STOP_TIMEOUT_SECONDS });
  const stopMs = performance.now() - stopAsked;
  const removeStarted = performance.now();
  await workspace.remove();
  const { volume, create, start, healthy } = workspace.phases;
  return {
    total: tPrompt - t0,
    volume,
    create,
    start,
    healthy,
    exec: tExec - tHealthy,
    // The prompt can arrive while the resize is still under way.
    prompt: Math.max(0, tPrompt - tExec),
    stopMs,
    removeMs: performance.now() - removeStarted,
  };
}
