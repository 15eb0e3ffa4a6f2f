// Figure 4: terminal keystroke echo. (a) One printable key at a time into bash (readline
// echoes it), timed until it comes back in terminal:output on a socket.io-client acting as
// the browser — next to a raw `docker exec` tty (dockerode, hijacked) into the same container
// doing the same keys, in interleaved blocks. (b) Flood isolation: the same echo in terminal A
// while terminal B runs `yes` (its client acking like a browser), with B in another tab (own
// socket) and in the same tab (same socket), next to raw exec echo while a raw exec `yes` is
// drained; the server process's RSS before, during and after the flood.
import type Dockerode from 'dockerode'
import { containerName } from '../server/runtime/docker/names'
import { runBench, type Defer } from './lib/cleanup'
import {
  call,
  connectSocket,
  createProject,
  OutputRouter,
  OutputWatch,
  PROMPT_CHAR,
  rssOf,
  startBenchServer,
  waitForState,
  type AckMode,
  type BenchServer,
  type BenchSocket,
} from './lib/berth'
import { prepareDocker, rawExecTty } from './lib/docker'
import { sleep } from './lib/process'
import { writeSection } from './lib/results'
import { ms, rounded, summarize, type Summary } from './lib/stats'
import { printTable, verdict, type Cell } from './lib/table'

const KEYS = 500
const BLOCK = 50 // keys per block; the line is cleared (Ctrl-U) after each
const WARMUP_KEYS = 20
const FLOOD_KEYS = 200
const FLOOD_SECONDS = 10
const GOAL_RATIO = 2
const GOAL_P99_MS = 20
const GOAL_FLOOD_P99_MS = 50
const KEY_TIMEOUT_MS = 10_000
const SIZE = { cols: 80, rows: 24 }
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'

/** A shell that takes keys and whose output lands in `watch`. */
interface Keyboard {
  name: string
  /** Sends input; resolves with when the server acked it (raw exec: at once, nothing to ack). */
  send(data: string): Promise<number>
  watch: OutputWatch
  /** Round trips of the input acks, when `send` has one to wait for. */
  acks?: number[]
}

/** Types `count` keys one at a time, each timed until its echo arrives; clears the line after. */
async function typeKeys(kb: Keyboard, count: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const key = LETTERS[i % LETTERS.length]!
    kb.watch.reset()
    const sent = performance.now()
    const acked = kb.send(key)
    const at = await kb.watch.waitFor(key, KEY_TIMEOUT_MS, `echo of "${key}" (${kb.name})`)
    samples.push(at - sent)
    kb.acks?.push((await acked) - sent)
  }
  await clearLine(kb)
  return samples
}

/** Ctrl-U (readline's unix-line-discard), then waits for its redraw to end. */
async function clearLine(kb: Keyboard): Promise<void> {
  kb.watch.reset()
  void kb.send('\x15')
  await kb.watch.waitFor(/./s, KEY_TIMEOUT_MS, `redraw after Ctrl-U (${kb.name})`)
  await kb.watch.settle(30, 2_000)
}

/** Interleaves blocks of `BLOCK` keys over the keyboards until each typed `total`. */
async function typeInterleaved(keyboards: Keyboard[], total: number): Promise<number[][]> {
  const samples = keyboards.map(() => [] as number[])
  for (let done = 0; done < total; done += BLOCK) {
    for (const [i, kb] of keyboards.entries()) samples[i]!.push(...(await typeKeys(kb, Math.min(BLOCK, total - done))))
  }
  return samples
}

interface BerthTerminal extends Keyboard {
  terminalId: string
}

/** terminal:create on `socket`; resolves once its prompt has arrived. */
async function openTerminal(socket: BenchSocket, router: OutputRouter, projectId: string, name: string): Promise<BerthTerminal> {
  const watch = new OutputWatch()
  const early: [string, number][] = []
  router.listenOthers((_id, text, at) => early.push([text, at]))
  const created = await call(socket, 'terminal:create', { projectId, ...SIZE })
  watch.push(created.scrollback, performance.now())
  for (const [text, at] of early) watch.push(text, at)
  router.listen(created.id, (text, at) => watch.push(text, at))
  await watch.waitFor(PROMPT_CHAR, 30_000, `prompt (${name})`)
  await watch.settle(100, 5_000)
  return {
    name,
    terminalId: created.id,
    watch,
    // As the browser does: every key is a terminal:input call with an ack.
    send: (data) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`terminal:input (${name}): no ack within ${KEY_TIMEOUT_MS} ms`)), KEY_TIMEOUT_MS)
        socket.emit('terminal:input', { terminalId: created.id, data }, (result) => {
          clearTimeout(timer)
          if (result.ok) resolve(performance.now())
          else reject(new Error(`terminal:input (${name}): ${result.error.code}: ${result.error.message}`))
        })
      }),
  }
}

async function openRaw(container: Dockerode.Container, name: string): Promise<Keyboard & { close(): void; received(): number }> {
  const watch = new OutputWatch()
  let received = 0
  const tty = await rawExecTty(
    container,
    ['bash', '-l'],
    (text, at) => {
      received += text.length
      watch.push(text, at)
    },
    SIZE,
  )
  await watch.waitFor(PROMPT_CHAR, 30_000, `prompt (${name})`)
  await watch.settle(100, 5_000)
  const send = (data: string) => {
    tty.write(data)
    return Promise.resolve(performance.now())
  }
  return { name, watch, send, close: () => tty.close(), received: () => received }
}

interface FloodResult {
  echo: number[]
  floodMs: number
  floodChars: number
  rss?: { beforeMiB: number; peakMiB: number; afterMiB: number; hwmAfterMiB: number }
}

/**
 * Starts `yes` in `flooder`, waits until it flows, types FLOOD_KEYS keys into `typist` while it
 * runs, keeps it running FLOOD_SECONDS in all, stops it with Ctrl-C and waits for its prompt.
 */
async function flood(typist: Keyboard, flooder: Keyboard, floodedChars: () => number, serverPid?: number): Promise<FloodResult> {
  const rssSamples: number[] = []
  const sampleRss = () => {
    const rss = serverPid === undefined ? NaN : rssOf(serverPid).rssMiB
    if (Number.isFinite(rss)) rssSamples.push(rss)
  }
  const beforeMiB = serverPid !== undefined ? rssOf(serverPid).rssMiB : NaN
  const sampler = setInterval(sampleRss, 100)
  try {
    const startChars = floodedChars()
    flooder.watch.reset()
    void flooder.send('yes\r')
    await flooder.watch.waitFor(/(y\r?\n){1000}/, 10_000, `yes output (${flooder.name})`)
    const started = performance.now()
    const echo: number[] = []
    for (let done = 0; done < FLOOD_KEYS; done += BLOCK) echo.push(...(await typeKeys(typist, Math.min(BLOCK, FLOOD_KEYS - done))))
    const rest = FLOOD_SECONDS * 1000 - (performance.now() - started)
    if (rest > 0) await sleep(rest)
    const floodMs = performance.now() - started
    const floodChars = floodedChars() - startChars
    flooder.watch.reset()
    void flooder.send('\x03')
    await flooder.watch.waitFor(PROMPT_CHAR, 60_000, `prompt after Ctrl-C (${flooder.name})`)
    await flooder.watch.settle(200, 10_000)
    await sleep(1_000)
    if (serverPid === undefined) return { echo, floodMs, floodChars }
    const after = rssOf(serverPid)
    return { echo, floodMs, floodChars, rss: { beforeMiB, peakMiB: Math.max(beforeMiB, ...rssSamples), afterMiB: after.rssMiB, hwmAfterMiB: after.hwmMiB } }
  } finally {
    clearInterval(sampler)
  }
}

async function socketWithRouter(bench: BenchServer, defer: Defer, ackMode: AckMode): Promise<{ socket: BenchSocket; router: OutputRouter }> {
  const socket = await connectSocket(bench, defer)
  return { socket, router: new OutputRouter(socket, ackMode) }
}

await runBench('terminal-echo', async (defer) => {
  console.log('── terminal-echo: production build, Docker engine and workspace image')
  const { docker, image } = await prepareDocker(defer)
  const bench = await startBenchServer('echo', image, defer)
  console.log(`── terminal-echo: server up (pid ${bench.server.pid}) with ${image}, WORKSPACE_SCOPE=${bench.scope}`)

  const { project } = await createProject(bench, docker, 'Bench echo', defer)
  const projectId = project.id
  // Tab 1: the typing client acks at once, like xterm with a few characters to draw.
  const tab1 = await socketWithRouter(bench, defer, 'immediate')
  const running = waitForState(tab1.socket, projectId, 'running', 60_000)
  running.catch(() => undefined)
  const opened = await call(tab1.socket, 'workspace:open', { projectId })
  if (opened.state !== 'running') await running
  const termA = await openTerminal(tab1.socket, tab1.router, projectId, 'Berth terminal A')
  const container = docker.getContainer(containerName(projectId))
  const raw = await openRaw(container, 'raw exec')
  defer('close raw exec', () => raw.close())

  console.log(`── terminal-echo: (a) ${WARMUP_KEYS} warm-up keys each, then ${KEYS} keys each in interleaved blocks of ${BLOCK}`)
  await typeKeys(termA, WARMUP_KEYS)
  await typeKeys(raw, WARMUP_KEYS)
  termA.acks = []
  const [berthEcho, rawEcho] = (await typeInterleaved([termA, raw], KEYS)) as [number[], number[]]
  const inputAcks = termA.acks
  termA.acks = undefined

  console.log(`── terminal-echo: (b) ${FLOOD_KEYS} keys in A while B runs \`yes\` for ${FLOOD_SECONDS} s`)
  // Tab 2: another browser tab; acks each batch after a turn of the event loop (xterm's write callback).
  const tab2 = await socketWithRouter(bench, defer, 'next-tick')
  const termB = await openTerminal(tab2.socket, tab2.router, projectId, 'Berth terminal B (other tab)')
  const otherTab = await flood(termA, termB, () => tab2.router.received.get(termB.terminalId) ?? 0, bench.server.pid)
  await call(tab2.socket, 'terminal:close', { terminalId: termB.terminalId })
  console.log(`  other tab: echo p99 ${ms(summarize(otherTab.echo).p99)}, B got ${(otherTab.floodChars / 2 ** 20).toFixed(1)} MiB in ${(otherTab.floodMs / 1000).toFixed(1)} s`)

  // The same tab: B's output shares A's WebSocket. Acks after a turn, as above (A's too, now).
  const tab3 = await socketWithRouter(bench, defer, 'next-tick')
  const termA3 = await openTerminal(tab3.socket, tab3.router, projectId, 'Berth terminal A (shared tab)')
  const termB3 = await openTerminal(tab3.socket, tab3.router, projectId, 'Berth terminal B (shared tab)')
  const sameTab = await flood(termA3, termB3, () => tab3.router.received.get(termB3.terminalId) ?? 0, bench.server.pid)
  console.log(`  same tab: echo p99 ${ms(summarize(sameTab.echo).p99)}, B got ${(sameTab.floodChars / 2 ** 20).toFixed(1)} MiB in ${(sameTab.floodMs / 1000).toFixed(1)} s`)
  await call(tab3.socket, 'terminal:close', { terminalId: termA3.terminalId })
  await call(tab3.socket, 'terminal:close', { terminalId: termB3.terminalId })

  const rawB = await openRaw(container, 'raw exec B')
  defer('close raw exec B', () => rawB.close())
  const rawFlood = await flood(raw, rawB, () => rawB.received())
  console.log(`  raw exec: echo p99 ${ms(summarize(rawFlood.echo).p99)}, B got ${(rawFlood.floodChars / 2 ** 20).toFixed(1)} MiB in ${(rawFlood.floodMs / 1000).toFixed(1)} s`)
  rawB.close()

  const berth = summarize(berthEcho)
  const bare = summarize(rawEcho)
  const acks = summarize(inputAcks)
  const ratio = berth.p50 / bare.p50
  const row = (name: string, summary: Summary, goal = '—', judged = '—'): Cell[] => [
    name,
    summary.n,
    ms(summary.min),
    ms(summary.p50),
    ms(summary.p95),
    ms(summary.p99),
    ms(summary.max),
    goal,
    judged,
  ]
  const header = ['what', 'n', 'min', 'p50', 'p95', 'p99', 'max', 'goal', 'verdict']
  printTable(
    `Figure 4a — keystroke echo, one key at a time into bash (readline), ${KEYS} keys, interleaved blocks of ${BLOCK}`,
    header,
    [
      row('Berth: terminal:input → terminal:output (Socket.IO)', berth, `p99 < ${GOAL_P99_MS} ms`, verdict(berth.p99, GOAL_P99_MS)),
      row('  part: terminal:input ack round trip (same keys)', acks),
      row('baseline: raw docker exec tty (hijacked), same container', bare),
    ],
    [
      `Berth ÷ raw at p50: ${ratio.toFixed(2)}× — goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'PASS' : 'MISS'}`,
      'The ack returns once the server has parsed the input and written it to the exec stream: the Socket.IO round-trip floor.',
      'The echo then also waits for the shell and the engine (the raw figure) and for the terminal session\'s output batch timer (batchDelayMs, 4 ms by default).',
    ],
  )
  const mibPerS = (f: FloodResult) => `${(f.floodChars / 2 ** 20 / (f.floodMs / 1000)).toFixed(1)} MiB/s`
  const rssNote = (f: FloodResult) =>
    f.rss
      ? `RSS ${f.rss.beforeMiB.toFixed(0)} MiB before, ${f.rss.peakMiB.toFixed(0)} MiB peak (sampled every 100 ms), ${f.rss.afterMiB.toFixed(0)} MiB after (VmHWM ${f.rss.hwmAfterMiB.toFixed(0)} MiB)`
      : ''
  const floodOther = summarize(otherTab.echo)
  const floodSame = summarize(sameTab.echo)
  const floodRaw = summarize(rawFlood.echo)
  printTable(
    `Figure 4b — echo in terminal A while terminal B runs \`yes\` (${FLOOD_KEYS} keys, flood ≥ ${FLOOD_SECONDS} s)`,
    header,
    [
      row('Berth: B in another tab (own socket)', floodOther, `p99 < ${GOAL_FLOOD_P99_MS} ms`, verdict(floodOther.p99, GOAL_FLOOD_P99_MS)),
      row('Berth: B in the same tab (shared socket)', floodSame, `p99 < ${GOAL_FLOOD_P99_MS} ms`, verdict(floodSame.p99, GOAL_FLOOD_P99_MS)),
      row('baseline: raw exec echo, raw exec `yes` drained', floodRaw),
    ],
    [
      `B's client acks each batch after setImmediate (like xterm's write callback). Server pid ${bench.server.pid}, /proc/<pid>/status:`,
      `  other tab: B received ${mibPerS(otherTab)}; ${rssNote(otherTab)}`,
      `  same tab:  B received ${mibPerS(sameTab)}; ${rssNote(sameTab)}`,
      `  raw exec:  B drained ${mibPerS(rawFlood)} (no Berth in the path)`,
      'A, B and the raw shells share the workspace container (1 CPU, as configured by default).',
    ],
  )

  const r = (summary: Summary) => rounded(summary, 2)
  const floodFigures = (f: FloodResult, s: Summary) => ({
    echo: { ...r(s), verdict: verdict(s.p99, GOAL_FLOOD_P99_MS) },
    floodMs: Math.round(f.floodMs),
    floodMiB: Math.round((f.floodChars / 2 ** 20) * 10) / 10,
    ...(f.rss ? { serverRssMiB: Object.fromEntries(Object.entries(f.rss).map(([k, v]) => [k, Math.round(v * 10) / 10])) } : {}),
  })
  writeSection('terminal-echo', {
    keys: KEYS,
    floodKeys: FLOOD_KEYS,
    floodSeconds: FLOOD_SECONDS,
    goal: { ratioP50: GOAL_RATIO, p99Ms: GOAL_P99_MS, floodP99Ms: GOAL_FLOOD_P99_MS },
    echo: {
      berth: { ...r(berth), verdict: verdict(berth.p99, GOAL_P99_MS) },
      inputAckRoundTrip: r(acks),
      rawExec: r(bare),
      ratioP50: Math.round(ratio * 100) / 100,
      verdictRatio: ratio <= GOAL_RATIO ? 'PASS' : 'MISS',
    },
    flood: {
      otherTab: floodFigures(otherTab, floodOther),
      sameTab: floodFigures(sameTab, floodSame),
      rawExec: floodFigures(rawFlood, floodRaw),
    },
    method: {
      echo: 'one letter per key into bash -l (readline echo), timed from send to the first output holding it; Ctrl-U after every block of 50; Berth and raw exec blocks alternate',
      berthClient: 'socket.io-client, websocket transport, bearer token; terminal:input with an ack; terminal:output acked on arrival (typing tab) or after setImmediate (flooding tab)',
      raw: 'dockerode exec bash -l, Tty, hijacked stdin/stdout, resize 80×24, same container',
    },
  })
  await bench.server.stop('SIGTERM')
})
