// Figure 3: open-to-prompt — a NEW project's workspace from `workspace:open` on Socket.IO
// until the first terminal output holding the prompt character `$`: volume and container
// created (on the scope's shared network), template seeded, started, agent healthy, agent
// connection, terminal created, as the browser does it (open → running push → terminal:list →
// terminal:create). Baseline in the same run, interleaved run by run: bare Docker — a fresh
// volume, createContainer + start with Berth's own hardened create options on one bridge
// network (ICC off) shared by every baseline container of the run, the agent's /health on the
// published port, then `docker exec bash -l` with a tty until the first `$`. Both networks are
// made once, before the measured runs, so no measured start of either side creates one.
import type Dockerode from 'dockerode'
import { runBench, type Defer } from './lib/cleanup'
import { call, connectSocket, createProject, OutputRouter, OutputWatch, PROMPT_CHAR, startBenchServer, waitForState, type BenchServer } from './lib/berth'
import { createBaselineNetwork, prepareDocker, rawExecTty, recordEngineEvents, startBaselineWorkspace, type EngineEventRecord } from './lib/docker'
import { containerName, volumeName } from '../server/runtime/docker/names'
import { sleep } from './lib/process'
import { writeSection } from './lib/results'
import { ms, rounded, seconds, summarize, type Summary } from './lib/stats'
import { printTable, verdict, type Cell } from './lib/table'

const RUNS = 10
const GOAL_RATIO = 1.5
const GOAL_P50_MS = 1500
const STEP_TIMEOUT_MS = 60_000
const SIZE = { cols: 80, rows: 24 } // the browser's first terminal
// Pause after each run's clean-up: a container's teardown on the bridge (veth, iptables rules of
// its published port) goes on in the engine after it stops listing it, and the next run's
// start would share the engine with it.
const SETTLE_MS = 1000

interface BerthRun {
  total: number
  /** workspace:open emitted → its ack (project checked, start kicked off). */
  openAck: number
  /** → workspace:status 'running' pushed (volume, container on the shared network, seed, start, health, agent WebSocket). */
  running: number
  /** → terminal:list acked (the browser asks before creating its first terminal). */
  list: number
  /** → terminal:create acked (docker exec bash -l started, resized, attached). */
  created: number
  /** → first output with `$`. */
  prompt: number
  promptInScrollback: boolean
  /** DELETE → container and volume gone (not part of the figure; the shared network stays). */
  deleteMs: number
  /** The start inside the server, split by the engine's event times; undefined if an event is missing. */
  engine: Record<EngineStep, number> | undefined
}

const ENGINE_STEPS = {
  toVolume: 'open → volume created (project lookup, inspect, list shared network, volume inspect + create)',
  toContainer: 'volume → container created',
  toSeeded: 'container → template extracted (putArchive)',
  toStarted: 'seeded → container started (inspect, list shared networks, start)',
  toRunning: 'started → running pushed (inspect, /health polls, agent WebSocket)',
  toTerminal: 'running → terminal created (terminal:list, terminal:create: exec, resize, attach)',
  toPrompt: 'terminal created → "$" received',
} as const
type EngineStep = keyof typeof ENGINE_STEPS

type EngineLog = Awaited<ReturnType<typeof recordEngineEvents>>

/**
 * Splits Berth's start by when the engine finished each of its steps (times from `t0`), then
 * by the client's own times of the running push, the create ack and the prompt; the steps add
 * up to the open-to-prompt total. The shared network is no step: it exists from the warm-up on.
 */
function engineSteps(
  log: EngineLog,
  projectId: string,
  t0: number,
  tRunning: number,
  tCreated: number,
  tPrompt: number,
): Record<EngineStep, number> | undefined {
  const events = log.of([containerName(projectId), volumeName(projectId)], t0)
  const first = (type: string, action: (a: string) => boolean): number | undefined => events.find((e: EngineEventRecord) => e.type === type && action(e.action))?.at
  const volume = first('volume', (a) => a === 'create')
  const container = first('container', (a) => a === 'create')
  const seeded = first('container', (a) => a === 'extract-to-dir')
  const started = first('container', (a) => a === 'start')
  if ([volume, container, seeded, started].some((at) => at === undefined)) return undefined
  return {
    toVolume: volume! - t0,
    toContainer: container! - volume!,
    toSeeded: seeded! - container!,
    toStarted: started! - seeded!,
    toRunning: tRunning - started!,
    toTerminal: tCreated - tRunning,
    toPrompt: tPrompt - tCreated,
  }
}

interface BaselineRun {
  total: number
  volume: number
  create: number
  start: number
  healthy: number
  /** exec create + start (hijacked) + resize. */
  exec: number
  prompt: number
  removeMs: number
}

async function berthRun(bench: BenchServer, docker: Dockerode, log: EngineLog, defer: Defer, label: string): Promise<BerthRun> {
  const { project, remove } = await createProject(bench, docker, `Bench start ${label}`, defer)
  const projectId = project.id
  const socket = await connectSocket(bench, defer)
  const router = new OutputRouter(socket)
  const watch = new OutputWatch()
  router.listenOthers((_terminalId, text, at) => watch.push(text, at))

  const running = waitForState(socket, projectId, 'running', STEP_TIMEOUT_MS)
  running.catch(() => undefined) // awaited below; a rejection after an earlier throw must not go unhandled
  const t0 = performance.now()
  const opened = await call(socket, 'workspace:open', { projectId }, STEP_TIMEOUT_MS)
  const tOpen = performance.now()
  if (opened.state !== 'starting') throw new Error(`workspace:open of a new project answered ${opened.state}, expected starting`)
  const tRunning = await running
  const list = await call(socket, 'terminal:list', { projectId })
  const tList = performance.now()
  if (list.length !== 0) throw new Error(`a new project already has ${list.length} terminal(s)`)
  const created = await call(socket, 'terminal:create', { projectId, ...SIZE }, STEP_TIMEOUT_MS)
  const tCreated = performance.now()
  const promptInScrollback = created.scrollback.includes(PROMPT_CHAR)
  const tPrompt = promptInScrollback ? tCreated : await watch.waitFor(PROMPT_CHAR, STEP_TIMEOUT_MS, 'prompt')

  socket.disconnect()
  const deleteMs = await remove()
  // remove() waited for the container to be gone, so every event of the start has arrived.
  const engine = engineSteps(log, projectId, t0, tRunning, tCreated, tPrompt)
  return {
    engine,
    total: tPrompt - t0,
    openAck: tOpen - t0,
    running: tRunning - tOpen,
    list: tList - tRunning,
    created: tCreated - tList,
    prompt: tPrompt - tCreated,
    promptInScrollback,
    deleteMs,
  }
}

async function baselineRun(docker: Dockerode, image: string, networkId: string, defer: Defer): Promise<BaselineRun> {
  const t0 = performance.now()
  const workspace = await startBaselineWorkspace(docker, image, networkId, defer, STEP_TIMEOUT_MS)
  const tHealthy = performance.now()
  const watch = new OutputWatch()
  const tty = await rawExecTty(workspace.container, ['bash', '-l'], (text, at) => watch.push(text, at), SIZE)
  const tExec = performance.now()
  const tPrompt = await watch.waitFor(PROMPT_CHAR, STEP_TIMEOUT_MS, 'prompt')
  tty.close()
  const removeStarted = performance.now()
  await workspace.remove()
  const { volume, create, start, healthy } = workspace.phases
  return {
    total: tPrompt - t0,
    volume,
    create,
    start,
    healthy,
    exec: tExec - tHealthy,
    // The prompt can arrive while the resize is still under way.
    prompt: Math.max(0, tPrompt - tExec),
    removeMs: performance.now() - removeStarted,
  }
}

const describeRun = (s: number, parts: Record<string, number>) =>
  `${seconds(s)} (${Object.entries(parts)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ')} ms)`

await runBench('workspace-start', async (defer) => {
  console.log('── workspace-start: production build, Docker engine and workspace image')
  const { docker, image } = await prepareDocker(defer)
  const log = await recordEngineEvents(docker, defer)
  // One bridge network (ICC off) for every baseline container of the run, like the scope's
  // shared network of the server's workspaces; removed by the sweep at the end.
  const baseNetwork = await createBaselineNetwork(docker, defer)
  const bench = await startBenchServer('start', image, defer)
  console.log(`── workspace-start: server up with ${image}, WORKSPACE_SCOPE=${bench.scope}; baseline network ${baseNetwork.name}`)

  console.log('── workspace-start: warm-up (not counted): one Berth project (its start makes the shared network), one baseline container')
  const warmBerth = await berthRun(bench, docker, log, defer, 'warm-up')
  await sleep(SETTLE_MS)
  const warmBase = await baselineRun(docker, image, baseNetwork.id, defer)
  await sleep(SETTLE_MS)
  console.log(`  warm-up: Berth ${seconds(warmBerth.total)}, baseline ${seconds(warmBase.total)}`)

  console.log(`── workspace-start: ${RUNS} cold starts each, Berth and baseline interleaved`)
  const berth: BerthRun[] = []
  const base: BaselineRun[] = []
  for (let i = 1; i <= RUNS; i++) {
    const b = await berthRun(bench, docker, log, defer, String(i))
    berth.push(b)
    await sleep(SETTLE_MS)
    const d = await baselineRun(docker, image, baseNetwork.id, defer)
    base.push(d)
    await sleep(SETTLE_MS)
    console.log(
      `  #${String(i).padStart(2)} Berth ${describeRun(b.total, { open: b.openAck, running: b.running, list: b.list, create: b.created, prompt: b.prompt })}` +
        `${b.promptInScrollback ? ' [prompt in scrollback]' : ''}`,
    )
    console.log(
      `      bare  ${describeRun(d.total, { volume: d.volume, create: d.create, start: d.start, health: d.healthy, exec: d.exec, prompt: d.prompt })}`,
    )
  }

  const s = <T>(runs: T[], pick: (run: T) => number): Summary => summarize(runs.map(pick))
  const berthTotal = s(berth, (r) => r.total)
  const baseTotal = s(base, (r) => r.total)
  const ratioP50 = berthTotal.p50 / baseTotal.p50
  const ratioP95 = berthTotal.p95 / baseTotal.p95
  const atMost = (value: number, goal: number) => (value <= goal ? 'PASS' : 'MISS')
  const row = (name: string, summary: Summary, goal = '—', judged = '—'): Cell[] => [
    name,
    summary.n,
    ms(summary.p50),
    ms(summary.p95),
    ms(summary.p99),
    ms(summary.max),
    goal,
    judged,
  ]
  const parts = {
    berth: {
      openAck: s(berth, (r) => r.openAck),
      running: s(berth, (r) => r.running),
      list: s(berth, (r) => r.list),
      created: s(berth, (r) => r.created),
      prompt: s(berth, (r) => r.prompt),
      toRunning: s(berth, (r) => r.openAck + r.running),
      toCreated: s(berth, (r) => r.openAck + r.running + r.list + r.created),
      deleteMs: s(berth, (r) => r.deleteMs),
    },
    base: {
      volume: s(base, (r) => r.volume),
      create: s(base, (r) => r.create),
      start: s(base, (r) => r.start),
      healthy: s(base, (r) => r.healthy),
      exec: s(base, (r) => r.exec),
      prompt: s(base, (r) => r.prompt),
      toHealthy: s(base, (r) => r.volume + r.create + r.start + r.healthy),
      removeMs: s(base, (r) => r.removeMs),
    },
  }
  const withEngine = berth.flatMap((run) => (run.engine ? [run.engine] : []))
  const engine = Object.fromEntries(
    withEngine.length ? (Object.keys(ENGINE_STEPS) as EngineStep[]).map((step) => [step, s(withEngine, (e) => e[step])]) : [],
  ) as Partial<Record<EngineStep, Summary>>
  const ratioCell = (r: number) => `${r.toFixed(2)}×`
  printTable(
    `Figure 3 — open-to-prompt: new project, workspace:open → first terminal output with "$" (${RUNS} cold starts each)`,
    ['what', 'n', 'p50', 'p95', 'p99', 'max', 'goal', 'verdict'],
    [
      row('Berth: workspace:open → prompt', berthTotal, `p50 < ${seconds(GOAL_P50_MS)}`, verdict(berthTotal.p50, GOAL_P50_MS)),
      row('  to running (open ack + running push)', parts.berth.toRunning),
      row('  to terminal created (+ list + create)', parts.berth.toCreated),
      row('  step: open → ack', parts.berth.openAck),
      row('  step: ack → running pushed', parts.berth.running),
      row('  step: running → terminal:list ack', parts.berth.list),
      row('  step: list → terminal:create ack', parts.berth.created),
      row('  step: created → "$" received', parts.berth.prompt),
      row('baseline: bare docker run + exec → prompt', baseTotal),
      row('  to agent healthy', parts.base.toHealthy),
      row('  step: volume create', parts.base.volume),
      row('  step: container create (on the shared network)', parts.base.create),
      row('  step: start (+ inspect for the port)', parts.base.start),
      row('  step: started → /health 200', parts.base.healthy),
      row('  step: exec create + start + resize', parts.base.exec),
      row('  step: exec started → "$" received', parts.base.prompt),
    ],
    [
      `Berth ÷ baseline: p50 ${ratioCell(ratioP50)}, p95 ${ratioCell(ratioP95)} — goal ≤ ${GOAL_RATIO}×: p50 ${atMost(ratioP50, GOAL_RATIO)}, p95 ${atMost(ratioP95, GOAL_RATIO)}`,
      `With ${RUNS} samples p95 and p99 are the slowest run. Berth's prompt was already in the create ack's scrollback in ${berth.filter((r) => r.promptInScrollback).length}/${RUNS} runs.`,
      `Not counted: DELETE → container and volume gone p50 ${ms(parts.berth.deleteMs.p50)}; baseline removal p50 ${ms(parts.base.removeMs.p50)}.`,
      'Both sides attach to one bridge network with ICC off made before the measured runs (Berth: berth-ws-net-<scope>, by the warm-up; baseline: one per bench run).',
    ],
  )

  if (withEngine.length) {
    printTable(
      `Where Berth's time goes — by the engine's event times (${withEngine.length} of ${RUNS} runs had every event)`,
      ['step', 'n', 'p50', 'p95', 'max'],
      (Object.keys(ENGINE_STEPS) as EngineStep[]).map((step) => {
        const summary = engine[step]!
        return [ENGINE_STEPS[step], summary.n, ms(summary.p50), ms(summary.p95), ms(summary.max)]
      }),
      [
        'Engine events are stamped when the engine finished the step; the bench clock and the engine clock are the same system clock.',
        'From running on, the steps are the client\'s own times; all steps add up to open → prompt.',
      ],
    )
  }

  const r = (summary: Summary) => rounded(summary, 1)
  writeSection('workspace-start', {
    runs: RUNS,
    image,
    goal: { ratio: GOAL_RATIO, p50Ms: GOAL_P50_MS },
    berth: {
      total: { ...r(berthTotal), verdict: verdict(berthTotal.p50, GOAL_P50_MS) },
      toRunning: r(parts.berth.toRunning),
      toTerminalCreated: r(parts.berth.toCreated),
      steps: {
        openAck: r(parts.berth.openAck),
        running: r(parts.berth.running),
        terminalList: r(parts.berth.list),
        terminalCreate: r(parts.berth.created),
        prompt: r(parts.berth.prompt),
      },
      promptInScrollback: berth.filter((run) => run.promptInScrollback).length,
      deleteToGone: r(parts.berth.deleteMs),
      engineSteps: Object.fromEntries(Object.entries(engine).map(([step, summary]) => [step, { what: ENGINE_STEPS[step as EngineStep], ...r(summary) }])),
    },
    baseline: {
      total: r(baseTotal),
      toHealthy: r(parts.base.toHealthy),
      steps: {
        volume: r(parts.base.volume),
        create: r(parts.base.create),
        start: r(parts.base.start),
        healthy: r(parts.base.healthy),
        exec: r(parts.base.exec),
        prompt: r(parts.base.prompt),
      },
      remove: r(parts.base.removeMs),
    },
    ratio: {
      p50: Math.round(ratioP50 * 100) / 100,
      p95: Math.round(ratioP95 * 100) / 100,
      verdictP50: atMost(ratioP50, GOAL_RATIO),
      verdictP95: atMost(ratioP95, GOAL_RATIO),
    },
    warmup: { berthMs: Math.round(warmBerth.total), baselineMs: Math.round(warmBase.total) },
    method: {
      berth: 'socket.io-client with a bearer token; workspace:open → workspace:status running → terminal:list → terminal:create {80×24} → first terminal:output containing "$" (or "$" already in the create ack scrollback)',
      baseline: 'dockerode: createVolume, createContainer(buildContainerSpec: same image and hardening) on one bridge network with ICC off shared by the run\'s baseline containers (made once before the warm-up) + start, GET /health every 20 ms, exec bash -l (Tty, hijack) + resize → first "$"',
      network: 'Berth\'s workspaces share berth-ws-net-<scope> (ICC off), made by the warm-up\'s start; no measured start of either side creates a network',
      order: `one warm-up each, then Berth and baseline alternate run by run, ${SETTLE_MS} ms pause after each run's clean-up`,
    },
  })
  await bench.server.stop('SIGTERM')
})
