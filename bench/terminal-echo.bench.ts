// Figure 4: terminal keystroke echo. (a) One printable key at a time into bash (readline
// echoes it), timed until it comes back in terminal:output on a socket.io-client acting as
// the browser — next to, in interleaved blocks of the same run: a raw `docker exec` tty
// (dockerode, hijacked) into the same container, bash alone and bash in tmux (Berth's
// terminals run in tmux); and the floor of any terminal over Socket.IO: a bare Socket.IO server
// (bench/lib/bare-socket-server.ts, its own process as Berth's is, nothing else on the path)
// that relays the keys to the same raw exec (tmux, and bash alone) — and that only echoes them
// back (the transport's round trip). (b) Flood isolation: the same echo in terminal A
// while terminal B runs `yes` (its client acking like a browser), with B in another tab (own
// socket) and in the same tab (same socket), next to raw exec echo while a raw exec `yes` is
// drained; the server process's RSS before, during and after the flood.
import { containerName } from '../server/runtime/docker/names';
import { call, waitForState } from './lib/bench-socket';
import { createProject, startBenchServer } from './lib/berth';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { flood, FLOOD_KEYS, FLOOD_SECONDS, type FloodResult } from './lib/flood';
import { openBare, startBareServer } from './lib/bare-keyboard';
import { createTmuxSession, tmuxAttachCommand } from './lib/floor-shells';
import { BLOCK, openRaw, openTerminal, socketWithRouter, typeInterleaved, typeKeys } from './lib/keyboards';
import { writeSection } from './lib/results';
import { ms, rounded, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow as row, verdict } from './lib/table';

const KEYS = 500;
// Per keyboard, before the timed keys: enough for the JIT to settle on every path (Berth's is the
// longest); with 20 the first blocks still ran cold code.
const WARMUP_KEYS = 200;
const GOAL_RATIO = 2;
/** Berth's echo over the floor: a bare Socket.IO relay to the same kind of shell (tmux). */
const GOAL_FLOOR_RATIO = 1.3;
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
  await createTmuxSession(container, 'bench-floor-raw');
  const rawTmux = await openRaw(container, 'raw exec tmux', tmuxAttachCommand('bench-floor-raw'));
  defer('close raw exec tmux', () => rawTmux.close());
  // The floor gets a server process of its own, as Berth has: it idles between its blocks as
  // long as Berth's does (a process woken after a longer sleep answers slower here). The other
  // bare rows share a second one.
  const bare = await startBareServer(containerName(projectId), defer);
  const bareOthers = await startBareServer(containerName(projectId), defer);
  console.log(`── terminal-echo: bare Socket.IO servers up (pids ${bare.server.pid}, ${bareOthers.server.pid})`);
  const bareTmux = await openBare(bare.base, 'tmux', 'bare Socket.IO → exec tmux', defer);
  const bareBash = await openBare(bareOthers.base, 'bash', 'bare Socket.IO → exec bash', defer);
  const bareEcho = await openBare(bareOthers.base, 'none', 'bare Socket.IO echo', defer);

  const keyboards = [termA, bareTmux, bareBash, bareEcho, rawTmux, raw];
  console.log(
    `── terminal-echo: (a) ${WARMUP_KEYS} warm-up keys each, then ${KEYS} keys each in interleaved blocks of ${BLOCK}: ${keyboards.map((kb) => kb.name).join(', ')}`,
  );
  for (const kb of keyboards) await typeKeys(kb, WARMUP_KEYS);
  termA.acks = [];
  const [berthEcho, bareTmuxEcho, bareBashEcho, bareEchoRtt, rawTmuxEcho, rawEcho] = (await typeInterleaved(
    keyboards,
    KEYS,
  )) as [number[], number[], number[], number[], number[], number[]];
  const inputAcks = termA.acks;
  termA.acks = undefined;
  for (const kb of [bareTmux, bareBash, bareEcho, rawTmux]) kb.close();
  await Promise.all([bare.server.stop('SIGTERM'), bareOthers.server.stop('SIGTERM')]);

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
  const bareRaw = summarize(rawEcho);
  const rawTmuxSummary = summarize(rawTmuxEcho);
  const floor = summarize(bareTmuxEcho);
  const floorBash = summarize(bareBashEcho);
  const transport = summarize(bareEchoRtt);
  const acks = summarize(inputAcks);
  const ratio = berth.p50 / bareRaw.p50;
  const floorRatio = berth.p50 / floor.p50;
  const pass = (value: number, goal: number) => (value <= goal ? 'PASS' : 'MISS');
  const header = SUMMARY_HEADER;
  printTable(
    `Figure 4a — keystroke echo, one key at a time into bash (readline), ${KEYS} keys, interleaved blocks of ${BLOCK}`,
    header,
    [
      row(
        'Berth: terminal:input → terminal:output (Socket.IO, tmux)',
        berth,
        `p99 < ${GOAL_P99_MS} ms`,
        verdict(berth.p99, GOAL_P99_MS),
      ),
      row('  part: terminal:input ack round trip (same keys)', acks),
      row('floor: bare Socket.IO server → raw exec, tmux', floor),
      row('floor: bare Socket.IO server → raw exec, bash alone', floorBash),
      row('floor: bare Socket.IO echo, no shell (transport round trip)', transport),
      row('baseline: raw docker exec tty (hijacked), tmux', rawTmuxSummary),
      row('baseline: raw docker exec tty (hijacked), bash alone', bareRaw),
    ],
    [
      `Berth ÷ floor (bare Socket.IO → exec tmux) at p50: ${floorRatio.toFixed(2)}× — goal ≤ ${GOAL_FLOOR_RATIO}×: ${pass(floorRatio, GOAL_FLOOR_RATIO)}; at p95: ${(berth.p95 / floor.p95).toFixed(2)}×`,
      `Berth ÷ raw exec (bash alone) at p50: ${ratio.toFixed(2)}× — goal ≤ ${GOAL_RATIO}×: ${pass(ratio, GOAL_RATIO)}`,
      `Of which tmux (raw exec tmux ÷ bash alone at p50): ${(rawTmuxSummary.p50 / bareRaw.p50).toFixed(2)}×; Socket.IO (floor ÷ raw exec tmux): ${(floor.p50 / rawTmuxSummary.p50).toFixed(2)}×`,
      'The floor is what any terminal over Socket.IO costs: the same client, transport and shell, and no authentication, gate, schema or session on the path.',
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
    goal: { ratioP50: GOAL_RATIO, floorRatioP50: GOAL_FLOOR_RATIO, p99Ms: GOAL_P99_MS, floodP99Ms: GOAL_FLOOD_P99_MS },
    echo: {
      berth: { ...r(berth), verdict: verdict(berth.p99, GOAL_P99_MS) },
      inputAckRoundTrip: r(acks),
      floorSocketIoTmux: r(floor),
      floorSocketIoBash: r(floorBash),
      socketIoEcho: r(transport),
      rawExecTmux: r(rawTmuxSummary),
      rawExec: r(bareRaw),
      ratioP50: Math.round(ratio * 100) / 100,
      verdictRatio: pass(ratio, GOAL_RATIO),
      floorRatioP50: Math.round(floorRatio * 100) / 100,
      verdictFloorRatio: pass(floorRatio, GOAL_FLOOR_RATIO),
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
      raw: "dockerode exec bash -l (and bash -l in a tmux session with Berth's tmux.conf), Tty, hijacked stdin/stdout, resize 80×24, same container",
      floor:
        'bench/lib/bare-socket-server.ts: node HTTP server + Socket.IO (websocket), no auth/gate/schema/session; input acked and written to a raw exec (tmux or bash), output pushed and acked; or echoed back with no shell',
    },
  });
  await bench.server.stop('SIGTERM');
});
