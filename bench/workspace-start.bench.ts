// Figure 3: open-to-prompt — a NEW project's workspace from `workspace:open` on Socket.IO
// until the first terminal output holding the prompt character `$`: volume and container
// created (on the scope's shared network), template seeded, started, agent healthy, agent
// connection, terminal created, as the browser does it (open → running push → terminal:list →
// terminal:create). Baseline in the same run, interleaved run by run: bare Docker — a fresh
// volume, createContainer + start with Berth's own hardened create options on one bridge
// network (ICC off) shared by every baseline container of the run, the agent's /health on the
// published port, then `docker exec bash -l` with a tty until the first `$`. Both networks are
// made once, before the measured runs, so no measured start of either side creates one.
// Then each side is stopped: workspace:stop (snapshot first) next to docker stop of the baseline.
import { startBenchServer } from './lib/berth';
import { runBench } from './lib/cleanup';
import { createBaselineNetwork, prepareDocker } from './lib/docker';
import { recordEngineEvents } from './lib/engine-events';
import { sleep } from './lib/process';
import { writeSection } from './lib/results';
import {
  baselineRun,
  berthRun,
  ENGINE_STEPS,
  type BaselineRun,
  type BerthRun,
  type EngineStep,
} from './lib/start-runs';
import { ms, rounded, seconds, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER_NO_MIN, summaryRow, verdict } from './lib/table';

const RUNS = 10;
const GOAL_RATIO = 1.5;
const GOAL_P50_MS = 1500;
// Pause after each run's clean-up: a container's teardown on the bridge (veth, iptables rules of
// its published port) goes on in the engine after it stops listing it, and the next run's
// start would share the engine with it.
const SETTLE_MS = 1000;

const describeRun = (s: number, parts: Record<string, number>) =>
  `${seconds(s)} (${Object.entries(parts)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ')} ms)`;

await runBench('workspace-start', async (defer) => {
  console.log('── workspace-start: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  const log = await recordEngineEvents(docker, defer);
  // One bridge network (ICC off) for every baseline container of the run, like the scope's
  // shared network of the server's workspaces; removed by the sweep at the end.
  const baseNetwork = await createBaselineNetwork(docker, defer);
  const bench = await startBenchServer('start', image, defer);
  console.log(
    `── workspace-start: server up with ${image}, WORKSPACE_SCOPE=${bench.scope}; baseline network ${baseNetwork.name}`,
  );

  console.log(
    '── workspace-start: warm-up (not counted): one Berth project (its start makes the shared network), one baseline container',
  );
  const warmBerth = await berthRun(bench, docker, log, defer, 'warm-up');
  await sleep(SETTLE_MS);
  const warmBase = await baselineRun(docker, image, baseNetwork.id, defer);
  await sleep(SETTLE_MS);
  console.log(`  warm-up: Berth ${seconds(warmBerth.total)}, baseline ${seconds(warmBase.total)}`);

  console.log(`── workspace-start: ${RUNS} cold starts each, Berth and baseline interleaved`);
  const berth: BerthRun[] = [];
  const base: BaselineRun[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const b = await berthRun(bench, docker, log, defer, String(i));
    berth.push(b);
    await sleep(SETTLE_MS);
    const d = await baselineRun(docker, image, baseNetwork.id, defer);
    base.push(d);
    await sleep(SETTLE_MS);
    console.log(
      `  #${String(i).padStart(2)} Berth ${describeRun(b.total, { open: b.openAck, running: b.running, list: b.list, create: b.created, prompt: b.prompt })}` +
        `${b.promptInScrollback ? ' [prompt in scrollback]' : ''}`,
    );
    console.log(
      `      bare  ${describeRun(d.total, { volume: d.volume, create: d.create, start: d.start, health: d.healthy, exec: d.exec, prompt: d.prompt })}`,
    );
  }

  const s = <T>(runs: T[], pick: (run: T) => number): Summary => summarize(runs.map(pick));
  const berthTotal = s(berth, (r) => r.total);
  const baseTotal = s(base, (r) => r.total);
  const ratioP50 = berthTotal.p50 / baseTotal.p50;
  const ratioP95 = berthTotal.p95 / baseTotal.p95;
  const atMost = (value: number, goal: number) => (value <= goal ? 'PASS' : 'MISS');
  const row = (name: string, summary: Summary, goal?: string, judged?: string) =>
    summaryRow(name, summary, goal, judged, { min: false });
  /** One summary per key, of that field over the runs. */
  const summarizeKeys = <T, K extends keyof T>(runs: T[], keys: readonly K[]) =>
    Object.fromEntries(keys.map((key) => [key, s(runs, (run) => Number(run[key]))])) as Record<K, Summary>;
  const parts = {
    berth: {
      ...summarizeKeys(berth, ['openAck', 'running', 'list', 'created', 'prompt'] as const),
      toRunning: s(berth, (r) => r.openAck + r.running),
      toCreated: s(berth, (r) => r.openAck + r.running + r.list + r.created),
      ...summarizeKeys(berth, ['stopMs', 'deleteMs'] as const),
    },
    base: {
      ...summarizeKeys(base, ['volume', 'create', 'start', 'healthy', 'exec', 'prompt'] as const),
      toHealthy: s(base, (r) => r.volume + r.create + r.start + r.healthy),
      ...summarizeKeys(base, ['stopMs', 'removeMs'] as const),
    },
  };
  const withEngine = berth.flatMap((run) => (run.engine ? [run.engine] : []));
  const engine = Object.fromEntries(
    withEngine.length
      ? (Object.keys(ENGINE_STEPS) as EngineStep[]).map((step) => [step, s(withEngine, (e) => e[step])])
      : [],
  ) as Partial<Record<EngineStep, Summary>>;
  const ratioCell = (r: number) => `${r.toFixed(2)}×`;
  printTable(
    `Figure 3 — open-to-prompt: new project, workspace:open → first terminal output with "$" (${RUNS} cold starts each)`,
    SUMMARY_HEADER_NO_MIN,
    [
      row(
        'Berth: workspace:open → prompt',
        berthTotal,
        `p50 < ${seconds(GOAL_P50_MS)}`,
        verdict(berthTotal.p50, GOAL_P50_MS),
      ),
      ...(
        [
          ['  to running (open ack + running push)', parts.berth.toRunning],
          ['  to terminal created (+ list + create)', parts.berth.toCreated],
          ['  step: open → ack', parts.berth.openAck],
          ['  step: ack → running pushed', parts.berth.running],
          ['  step: running → terminal:list ack', parts.berth.list],
          ['  step: list → terminal:create ack', parts.berth.created],
          ['  step: created → "$" received', parts.berth.prompt],
          ['baseline: bare docker run + exec → prompt', baseTotal],
          ['  to agent healthy', parts.base.toHealthy],
          ['  step: volume create', parts.base.volume],
          ['  step: container create (on the shared network)', parts.base.create],
          ['  step: start (+ inspect for the port)', parts.base.start],
          ['  step: started → /health 200', parts.base.healthy],
          ['  step: exec create + start + resize', parts.base.exec],
          ['  step: exec started → "$" received', parts.base.prompt],
        ] as const
      ).map(([name, summary]) => row(name, summary)),
    ],
    [
      `Berth ÷ baseline: p50 ${ratioCell(ratioP50)}, p95 ${ratioCell(ratioP95)} — goal ≤ ${GOAL_RATIO}×: p50 ${atMost(ratioP50, GOAL_RATIO)}, p95 ${atMost(ratioP95, GOAL_RATIO)}`,
      `With ${RUNS} samples p95 and p99 are the slowest run. Berth's prompt was already in the create ack's scrollback in ${berth.filter((r) => r.promptInScrollback).length}/${RUNS} runs.`,
      `Not counted: DELETE of the stopped workspace → container and volume gone p50 ${ms(parts.berth.deleteMs.p50)}; baseline removal p50 ${ms(parts.base.removeMs.p50)}.`,
      'Both sides attach to one bridge network with ICC off made before the measured runs (Berth: berth-ws-net-<scope>, by the warm-up; baseline: one per bench run).',
    ],
  );

  printTable(
    `Stop of the same workspaces, after their prompt (${RUNS} each)`,
    SUMMARY_HEADER_NO_MIN,
    [
      row('Berth: workspace:stop → stopped', parts.berth.stopMs),
      row('baseline: docker stop (timeout 5 s)', parts.base.stopMs),
    ],
    [
      "Berth's stop takes the project's snapshot first (a new template project: small), then stops the container like the baseline.",
      'Both end by the agent exiting on SIGTERM (forwarded by tini); the SIGKILL after 5 s would read as about 5000 ms.',
    ],
  );

  if (withEngine.length) {
    printTable(
      `Where Berth's time goes — by the engine's event times (${withEngine.length} of ${RUNS} runs had every event)`,
      ['step', 'n', 'p50', 'p95', 'max'],
      (Object.keys(ENGINE_STEPS) as EngineStep[]).map((step) => {
        const summary = engine[step]!;
        return [ENGINE_STEPS[step], summary.n, ms(summary.p50), ms(summary.p95), ms(summary.max)];
      }),
      [
        'Engine events are stamped when the engine finished the step; the bench clock and the engine clock are the same system clock.',
        "From running on, the steps are the client's own times; all steps add up to open → prompt.",
      ],
    );
  }

  const r = (summary: Summary) => rounded(summary, 1);
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
      stop: r(parts.berth.stopMs),
      deleteToGone: r(parts.berth.deleteMs),
      engineSteps: Object.fromEntries(
        Object.entries(engine).map(([step, summary]) => [
          step,
          { what: ENGINE_STEPS[step as EngineStep], ...r(summary) },
        ]),
      ),
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
      stop: r(parts.base.stopMs),
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
      berth:
        'socket.io-client with a bearer token; workspace:open → workspace:status running → terminal:list → terminal:create {80×24} → first terminal:output containing "$" (or "$" already in the create ack scrollback)',
      baseline:
        'dockerode: createVolume, createContainer(buildContainerSpec: same image and hardening) on one bridge network with ICC off shared by the run\'s baseline containers (made once before the warm-up) + start, GET /health every 20 ms, exec bash -l (Tty, hijack) + resize → first "$"',
      network:
        "Berth's workspaces share berth-ws-net-<scope> (ICC off), made by the warm-up's start; no measured start of either side creates a network",
      order: `one warm-up each, then Berth and baseline alternate run by run, ${SETTLE_MS} ms pause after each run's clean-up`,
    },
  });
  await bench.server.stop('SIGTERM');
});
