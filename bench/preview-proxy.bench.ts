// Figure 1 of the preview issue: Berth's preview proxy against the direct path and against a
// bare TCP pipe, in the same run. A ~1.7 KB static page served by `node -e` inside the workspace
// container on 0.0.0.0:5173, GET / three ways: direct (the container's bridge IP, as if the app
// were published), through a bare TCP pipe in its own Node process on the host (net.createServer
// → net.connect to the same IP and port: no HTTP at all, the floor for any proxy on this machine),
// and through Berth's preview host (p-<capability>.localhost: Berth reads each request's head and
// writes it on a pooled connection to the container's address, as the page listens on all
// interfaces). For a page bound to localhost only, a fourth target: Berth through the agent's
// tunnel (the same page on 127.0.0.1:5174, reached via the agent in the container).
// (1) Throughput: autocannon, 10 keep-alive connections, rounds interleaved target by target,
// median of the rounds. (2) Overhead: sequential GETs on one keep-alive connection in
// interleaved blocks — under concurrency p50 is mostly queueing, not the proxy's cost.
// The load generator runs in this process and shares the machine's cores with Berth, the pipe
// and the container (whose CPU quota, 1 CPU, the agent and the page server share on Berth's path).
import { loadavg } from 'node:os';
import { containerName } from '../server/runtime/docker/names';
import { connectSocket, call, waitForState } from './lib/bench-socket';
import { createProject, startBenchServer } from './lib/berth';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { interleavedLatency, median, SequentialClient, throughput, type Throughput } from './lib/http-load';
import { writeSection } from './lib/results';
import { openShell } from './lib/shell';
import {
  LOCAL_ONLY_PORT,
  PAGE,
  pageTargets,
  startStaticServer,
  STATIC_PORT,
  waitForPreview,
  type HttpTarget,
} from './lib/static-page';
import { ms, rounded, summarize } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow as row, verdict } from './lib/table';
import { startTcpPipe } from './lib/tcp-pipe';

/** Berth's throughput as a share of the bare pipe's: at least this (verdict() is "below goal", so compared by hand). */
const GOAL_PIPE_RATIO = 0.8;
const GOAL_P50_OVERHEAD_MS = 1;
const CONNECTIONS = 10;
const ROUND_SECONDS = 4;
/** Odd, and enough that one round disturbed by another process on the machine does not move the median. */
const ROUNDS = 5;
const WARMUP_SECONDS = 2;
const LATENCY_BLOCKS = 10;
const LATENCY_BLOCK = 100;
const LATENCY_WARMUP = 50;
const STEP_TIMEOUT_MS = 10_000;

await runBench('preview-proxy', async (defer) => {
  console.log('── preview-proxy: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  const bench = await startBenchServer('preview-proxy', image, defer);
  console.log(`── preview-proxy: server up (pid ${bench.server.pid}) with ${image}, WORKSPACE_SCOPE=${bench.scope}`);

  const { project } = await createProject(bench, docker, 'Bench preview proxy', defer);
  const socket = await connectSocket(bench, defer);
  const running = waitForState(socket, project.id, 'running', 60_000);
  running.catch(() => undefined);
  const opened = await call(socket, 'workspace:open', { projectId: project.id });
  if (opened.state !== 'running') await running;

  const container = docker.getContainer(containerName(project.id));
  const shell = await openShell(docker, container, STEP_TIMEOUT_MS);
  defer('close the shell', () => shell.close());
  await startStaticServer(shell);
  await startStaticServer(shell, LOCAL_ONLY_PORT, '127.0.0.1');
  const preview = await waitForPreview(bench, project.id, 15_000);
  const localOnly = await waitForPreview(bench, project.id, 15_000, LOCAL_ONLY_PORT);
  const targets = await pageTargets(bench, container, preview);
  const pipe = await startTcpPipe(targets.direct.hostname, STATIC_PORT, defer);
  const pipeTarget: HttpTarget = {
    name: 'pipe',
    hostname: '127.0.0.1',
    port: pipe.port,
    headers: targets.direct.headers,
  };
  const tunnelTarget: HttpTarget = { ...targets.berth, name: 'tunnel', headers: { host: new URL(localOnly.url).host } };
  const order: HttpTarget[] = [targets.direct, pipeTarget, targets.berth, tunnelTarget];
  const pageBytes = Buffer.byteLength(PAGE);
  console.log(
    `── preview-proxy: page of ${pageBytes} bytes on :${STATIC_PORT}; direct ${targets.direct.hostname}, pipe 127.0.0.1:${pipe.port} (pid ${pipe.process.pid}), Berth ${targets.berth.headers.host}`,
  );

  // ── (1) throughput ──
  const loadBefore = loadavg()[0]!;
  console.log(
    `── preview-proxy: (1) ${WARMUP_SECONDS} s warm-up each, then ${ROUNDS} rounds × ${ROUND_SECONDS} s × ${order.length} targets, ${CONNECTIONS} connections`,
  );
  for (const target of order) await throughput(target, CONNECTIONS, WARMUP_SECONDS);
  const rounds = new Map<string, Throughput[]>(order.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round: no target always runs right after the same one.
    const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const target of rotated) {
      const result = await throughput(target, CONNECTIONS, ROUND_SECONDS);
      rounds.get(target.name)!.push(result);
      console.log(
        `  round ${round + 1} ${target.name.padEnd(6)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`,
      );
    }
  }
  const rps = (name: string) => {
    const all = rounds.get(name)!;
    return {
      rps: median(all.map((r) => r.rps)),
      p50: median(all.map((r) => r.p50)),
      p99: median(all.map((r) => r.p99)),
      each: all.map((r) => Math.round(r.rps)),
    };
  };
  const loadAfter = loadavg()[0]!;
  const load = { direct: rps('direct'), pipe: rps('pipe'), berth: rps('berth'), tunnel: rps('tunnel') };
  const ofPipe = load.berth.rps / load.pipe.rps;
  const rpsVerdict = ofPipe >= GOAL_PIPE_RATIO ? 'PASS' : 'MISS';

  // ── (2) sequential round trips ──
  console.log(
    `── preview-proxy: (2) ${LATENCY_WARMUP} warm-up each, then ${LATENCY_BLOCKS} blocks of ${LATENCY_BLOCK} sequential GETs per target, interleaved`,
  );
  const clients = order.map((target) => new SequentialClient(target, pageBytes));
  defer('close the sequential clients', () => clients.forEach((c) => c.close()));
  const [directMs, pipeMs, berthMs, tunnelMs] = await interleavedLatency(
    clients,
    LATENCY_BLOCKS,
    LATENCY_BLOCK,
    LATENCY_WARMUP,
  );
  const lat = {
    direct: summarize(directMs!),
    pipe: summarize(pipeMs!),
    berth: summarize(berthMs!),
    tunnel: summarize(tunnelMs!),
  };
  const overhead = lat.berth.p50 - lat.direct.p50;
  const pipeHop = lat.pipe.p50 - lat.direct.p50;

  // ── tables ──
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const loadRow = (what: string, entry: (typeof load)['berth'], goal: string, judged: string): (string | number)[] => [
    what,
    entry.rps.toFixed(0),
    pct(entry.rps / load.direct.rps),
    pct(entry.rps / load.pipe.rps),
    entry.each.join(' / '),
    ms(entry.p50),
    ms(entry.p99),
    goal,
    judged,
  ];
  printTable(
    `Figure 1a — GET / of a ${pageBytes}-byte static page, ${CONNECTIONS} connections, median of ${ROUNDS} × ${ROUND_SECONDS} s rounds (interleaved)`,
    ['what', 'req/s', 'of direct', 'of pipe', 'rounds', 'p50 (load)', 'p99 (load)', 'goal', 'verdict'],
    [
      loadRow('Berth preview host → page', load.berth, `≥ ${pct(GOAL_PIPE_RATIO)} of pipe`, rpsVerdict),
      loadRow('  localhost-only page: Berth → agent tunnel → page', load.tunnel, '—', '—'),
      loadRow('floor: bare TCP pipe (own process) → page', load.pipe, '—', '—'),
      loadRow('baseline: direct to the container IP', load.direct, '—', '—'),
    ],
    [
      "autocannon runs in the bench process: it shares the 2 cores with Berth, the pipe, dockerd's port proxy and the container;",
      "on the tunnel's path the agent's pipe and the page server share the container's 1-CPU quota. Latencies under load are whole ms (autocannon).",
      `Machine load average (1 min) before/after the rounds: ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} — other work on the machine moves single rounds.`,
    ],
  );
  printTable(
    `Figure 1b — sequential GET / on one keep-alive connection, ${LATENCY_BLOCKS * LATENCY_BLOCK} per target (${LATENCY_WARMUP} warm-up), blocks of ${LATENCY_BLOCK} interleaved`,
    SUMMARY_HEADER,
    [
      row(
        'Berth preview host → page',
        lat.berth,
        `p50 − direct < ${GOAL_P50_OVERHEAD_MS} ms`,
        verdict(overhead, GOAL_P50_OVERHEAD_MS),
      ),
      row('  localhost-only page: Berth → agent tunnel → page', lat.tunnel),
      row('floor: bare TCP pipe (own process) → page', lat.pipe),
      row('baseline: direct to the container IP', lat.direct),
    ],
    [
      `Added at p50: Berth ${ms(overhead)} (the bare pipe ${ms(pipeHop)}, Berth through the tunnel ${ms(lat.tunnel.p50 - lat.direct.p50)}); at p99: Berth ${ms(lat.berth.p99 - lat.direct.p99)}.`,
      'Clock: request() to the last body byte, in this process; the same client code for all three.',
    ],
  );

  const share = (entry: (typeof load)['berth']) => ({
    ...entry,
    rps: Math.round(entry.rps),
    ofDirect: Math.round((entry.rps / load.direct.rps) * 1000) / 1000,
    ofPipe: Math.round((entry.rps / load.pipe.rps) * 1000) / 1000,
  });
  writeSection('preview-proxy', {
    goal: { ofPipe: GOAL_PIPE_RATIO, p50OverheadMs: GOAL_P50_OVERHEAD_MS },
    throughput: {
      pageBytes,
      connections: CONNECTIONS,
      roundSeconds: ROUND_SECONDS,
      loadAverage1m: { before: Math.round(loadBefore * 100) / 100, after: Math.round(loadAfter * 100) / 100 },
      berth: { ...share(load.berth), verdict: rpsVerdict },
      tunnel: share(load.tunnel),
      pipe: share(load.pipe),
      direct: { ...load.direct, rps: Math.round(load.direct.rps) },
    },
    latency: {
      berth: { ...rounded(lat.berth, 3), verdict: verdict(overhead, GOAL_P50_OVERHEAD_MS) },
      tunnel: rounded(lat.tunnel, 3),
      pipe: rounded(lat.pipe, 3),
      direct: rounded(lat.direct, 3),
      p50OverheadMs: Math.round(overhead * 1000) / 1000,
      pipeP50OverheadMs: Math.round(pipeHop * 1000) / 1000,
    },
    method: {
      page: `node -e http server in the workspace container on 0.0.0.0:${STATIC_PORT}, the page from memory with Content-Length`,
      targets: `direct: container bridge IP; pipe: a separate node process on 127.0.0.1 piping TCP to the bridge IP (net.createServer → net.connect); berth: 127.0.0.1:<Berth port> with Host p-<capability>.localhost:<port> from GET /api/v1/projects/:id/previews; tunnel: the same for the page on 127.0.0.1:${LOCAL_ONLY_PORT} in the container`,
      throughput: `autocannon in the bench process, ${CONNECTIONS} connections, pipelining 1; ${WARMUP_SECONDS} s warm-up per target, then ${ROUNDS} rounds of ${ROUND_SECONDS} s per target with the order rotated each round; median req/s (completed / duration)`,
      latency: `node:http, one keep-alive socket per target; ${LATENCY_BLOCKS} blocks of ${LATENCY_BLOCK} sequential GETs per target, alternating; body length and status checked`,
    },
  });
  await bench.server.stop('SIGTERM');
});
