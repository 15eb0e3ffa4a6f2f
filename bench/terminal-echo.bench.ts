// Figure 4: terminal keystroke echo. (a) One printable key at a time into bash (readline
// echoes it), timed until it comes back in terminal:output on a socket.io-client acting as
// the browser — next to a raw `docker exec` tty (dockerode, hijacked) into the same container
// doing the same keys, in interleaved blocks. (b) Flood isolation: the same echo in terminal A
// while terminal B runs `yes` (its client acking like a browser), with B in another tab (own
// socket) and in the same tab (same socket), next to raw exec echo while a raw exec `yes` is
// drained; the server process's RSS before, during and after the flood.
import { containerName } from '../server/runtime/docker/names';
import { call, createProject, startBenchServer, waitForState } from './lib/berth';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { flood, FLOOD_KEYS, FLOOD_SECONDS, type FloodResult } from './lib/flood';
import { BLOCK, openRaw, openTerminal, socketWithRouter, typeInterleaved, typeKeys } from './lib/keyboards';
import { writeSection } from './lib/results';
import { ms, rounded, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow as row, verdict } from './lib/table';

const KEYS = 500;
const WARMUP_KEYS = 20;
const GOAL_RATIO = 2;
const GOAL_P99_MS = 20;
const GOAL_FLOOD_P99_MS = 50;

await runBench('terminal-echo', async (defer) => {
  console.log('── terminal-echo: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  const bench = await startBenchServer('echo', image, defer);
  console.log(`── terminal-echo: server up (pid ${bench.server.pid}) with ${image}, WORKSPACE_SCOPE=${bench.scope}`);

  const { project } = await createProject(bench, docker, 'Bench echo', defer);
  const projectId = project.id;
  // Tab 1: the typing client acks at once, like xterm with a few characters to draw.
  const tab1 = await socketWithRouter(bench, defer, 'immediate');
  const running = waitForState(tab1.socket, projectId, 'running', 60_000);
  running.catch(() => undefined);
  const opened = await call(tab1.socket, 'workspace:open', { projectId });
  if (opened.state !== 'running') await running;
  const termA = await openTerminal(tab1.socket, tab1.router, projectId, 'Berth terminal A');
  const container = docker.getContainer(containerName(projectId));
  const raw = await openRaw(container, 'raw exec');
  defer('close raw exec', () => raw.close());

  console.log(
    `── terminal-echo: (a) ${WARMUP_KEYS} warm-up keys each, then ${KEYS} keys each in interleaved blocks of ${BLOCK}`,
  );
  await typeKeys(termA, WARMUP_KEYS);
  await typeKeys(raw, WARMUP_KEYS);
  termA.acks = [];
  const [berthEcho, rawEcho] = (await typeInterleaved([termA, raw], KEYS)) as [number[], number[]];
  const inputAcks = termA.acks;
  termA.acks = undefined;

  console.log(`── terminal-echo: (b) ${FLOOD_KEYS} keys in A while B runs \`yes\` for ${FLOOD_SECONDS} s`);
  // Tab 2: another browser tab; acks each batch after a turn of the event loop (xterm's write callback).
  const tab2 = await socketWithRouter(bench, defer, 'next-tick');
  const termB = await openTerminal(tab2.socket, tab2.router, projectId, 'Berth terminal B (other tab)');
  const otherTab = await flood(termA, termB, () => tab2.router.received.get(termB.terminalId) ?? 0, bench.server.pid);
  await call(tab2.socket, 'terminal:close', { terminalId: termB.terminalId });
  console.log(
    `  other tab: echo p99 ${ms(summarize(otherTab.echo).p99)}, B got ${(otherTab.floodChars / 2 ** 20).toFixed(1)} MiB in ${(otherTab.floodMs / 1000).toFixed(1)} s`,
  );

  // The same tab: B's output shares A's WebSocket. Acks after a turn, as above (A's too, now).
  const tab3 = await socketWithRouter(bench, defer, 'next-tick');
  const termA3 = await openTerminal(tab3.socket, tab3.router, projectId, 'Berth terminal A (shared tab)');
  const termB3 = await openTerminal(tab3.socket, tab3.router, projectId, 'Berth terminal B (shared tab)');
  const sameTab = await flood(termA3, termB3, () => tab3.router.received.get(termB3.terminalId) ?? 0, bench.server.pid);
  console.log(
    `  same tab: echo p99 ${ms(summarize(sameTab.echo).p99)}, B got ${(sameTab.floodChars / 2 ** 20).toFixed(1)} MiB in ${(sameTab.floodMs / 1000).toFixed(1)} s`,
  );
  await call(tab3.socket, 'terminal:close', { terminalId: termA3.terminalId });
  await call(tab3.socket, 'terminal:close', { terminalId: termB3.terminalId });

  const rawB = await openRaw(container, 'raw exec B');
  defer('close raw exec B', () => rawB.close());
  const rawFlood = await flood(raw, rawB, () => rawB.received());
  console.log(
    `  raw exec: echo p99 ${ms(summarize(rawFlood.echo).p99)}, B got ${(rawFlood.floodChars / 2 ** 20).toFixed(1)} MiB in ${(rawFlood.floodMs / 1000).toFixed(1)} s`,
  );
  rawB.close();

  const berth = summarize(berthEcho);
  const bare = summarize(rawEcho);
  const acks = summarize(inputAcks);
  const ratio = berth.p50 / bare.p50;
  const header = SUMMARY_HEADER;
  printTable(
    `Figure 4a — keystroke echo, one key at a time into bash (readline), ${KEYS} keys, interleaved blocks of ${BLOCK}`,
    header,
    [
      row(
        'Berth: terminal:input → terminal:output (Socket.IO)',
        berth,
        `p99 < ${GOAL_P99_MS} ms`,
        verdict(berth.p99, GOAL_P99_MS),
      ),
      row('  part: terminal:input ack round trip (same keys)', acks),
      row('baseline: raw docker exec tty (hijacked), same container', bare),
    ],
    [
      `Berth ÷ raw at p50: ${ratio.toFixed(2)}× — goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'PASS' : 'MISS'}`,
      'The ack returns once the server has parsed the input and written it to the exec stream: the Socket.IO round-trip floor.',
      "The echo then also waits for the shell and the engine (the raw figure) and for the terminal session's output batch timer (batchDelayMs, 4 ms by default).",
    ],
  );
  const mibPerS = (f: FloodResult) => `${(f.floodChars / 2 ** 20 / (f.floodMs / 1000)).toFixed(1)} MiB/s`;
  const rssNote = (f: FloodResult) =>
    f.rss
      ? `RSS ${f.rss.beforeMiB.toFixed(0)} MiB before, ${f.rss.peakMiB.toFixed(0)} MiB peak (sampled every 100 ms), ${f.rss.afterMiB.toFixed(0)} MiB after (VmHWM ${f.rss.hwmAfterMiB.toFixed(0)} MiB)`
      : '';
  const floodOther = summarize(otherTab.echo);
  const floodSame = summarize(sameTab.echo);
  const floodRaw = summarize(rawFlood.echo);
  printTable(
    `Figure 4b — echo in terminal A while terminal B runs \`yes\` (${FLOOD_KEYS} keys, flood ≥ ${FLOOD_SECONDS} s)`,
    header,
    [
      row(
        'Berth: B in another tab (own socket)',
        floodOther,
        `p99 < ${GOAL_FLOOD_P99_MS} ms`,
        verdict(floodOther.p99, GOAL_FLOOD_P99_MS),
      ),
      row(
        'Berth: B in the same tab (shared socket)',
        floodSame,
        `p99 < ${GOAL_FLOOD_P99_MS} ms`,
        verdict(floodSame.p99, GOAL_FLOOD_P99_MS),
      ),
      row('baseline: raw exec echo, raw exec `yes` drained', floodRaw),
    ],
    [
      `B's client acks each batch after setImmediate (like xterm's write callback). Server pid ${bench.server.pid}, /proc/<pid>/status:`,
      `  other tab: B received ${mibPerS(otherTab)}; ${rssNote(otherTab)}`,
      `  same tab:  B received ${mibPerS(sameTab)}; ${rssNote(sameTab)}`,
      `  raw exec:  B drained ${mibPerS(rawFlood)} (no Berth in the path)`,
      'A, B and the raw shells share the workspace container (1 CPU, as configured by default).',
    ],
  );

  const r = (summary: Summary) => rounded(summary, 2);
  const floodFigures = (f: FloodResult, s: Summary) => ({
    echo: { ...r(s), verdict: verdict(s.p99, GOAL_FLOOD_P99_MS) },
    floodMs: Math.round(f.floodMs),
    floodMiB: Math.round((f.floodChars / 2 ** 20) * 10) / 10,
    ...(f.rss
      ? { serverRssMiB: Object.fromEntries(Object.entries(f.rss).map(([k, v]) => [k, Math.round(v * 10) / 10])) }
      : {}),
  });
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
      berthClient:
        'socket.io-client, websocket transport, bearer token; terminal:input with an ack; terminal:output acked on arrival (typing tab) or after setImmediate (flooding tab)',
      raw: 'dockerode exec bash -l, Tty, hijacked stdin/stdout, resize 80×24, same container',
    },
  });
  await bench.server.stop('SIGTERM');
});
