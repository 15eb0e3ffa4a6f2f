// Figure 5: files. (1) Save round trip of a 100 KB file: fs:write on a socket.io-client acting as
// the browser, until its ack — next to a raw HTTP PUT of the same bytes straight to the
// workspace agent (its published port and secret, read from the container), in interleaved
// blocks; plus the round trip of fs:locks (socket + ownership check, no agent) as the floor of
// any file call, and both saves with a 10-byte file to split fixed from per-byte cost. (2) `touch` in the container → fs:changed at the client: one long-lived bash
// (exec, stdin pipe) takes `touch f<i>` lines; timed from writing the line to the event for that
// path, next to the agent's own fs.changed on a direct connection and the shell's own marker.
// (3) fs:list of a folder of 10,000 files, next to the agent's fs.list RPC on a direct
// connection and bare `ls -f | wc -l` / `ls -lU | wc -l` in the same long-lived shell; and
// how many of the 10,000 'created' changes reached the client.
import { Agent } from 'node:http';
import type { FileChange } from '../server/contracts';
import { containerName } from '../server/runtime/docker/names';
import { AgentConnection } from '../server/workspaces/agent-connection';
import { agentOf } from './lib/agent-direct';
import { call, connectSocket, waitForState, type BenchSocket } from './lib/bench-socket';
import { createProject, startBenchServer } from './lib/berth';
import { ChangeLog } from './lib/change-log';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { FILE_BYTES, measureSaves, SAVE_BLOCK, SAVE_WARMUP, SAVES } from './lib/files-saves';
import { sleep } from './lib/process';
import { writeSection } from './lib/results';
import { openShell } from './lib/shell';
import { ms, rounded, summarize, timed, type Summary } from './lib/stats';
import { p50GoalRow, printTable, SUMMARY_HEADER, summaryRow as row, verdict } from './lib/table';

const GOAL_SAVE_P50_MS = 10;
const GOAL_SAVE_P99_MS = 50;
const TOUCHES = 100;
const TOUCH_WARMUP = 5;
/** Pause between touches: longer than the agent's debounce window (40 ms), so each is its own batch. */
const TOUCH_GAP_MS = 80;
const GOAL_TOUCH_P50_MS = 150;
const BIG_FILES = 10_000;
const LISTS = 20;
const LIST_WARMUP = 2;
const GOAL_LIST_P50_MS = 100;
const STEP_TIMEOUT_MS = 10_000;

await runBench('files', async (defer) => {
  console.log('── files: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  const bench = await startBenchServer('files', image, defer);
  console.log(`── files: server up (pid ${bench.server.pid}) with ${image}, WORKSPACE_SCOPE=${bench.scope}`);
  // The scope's shared network goes after the project's DELETE (startBenchServer registered it).

  const { project } = await createProject(bench, docker, 'Bench files', defer);
  const projectId = project.id;
  const socket: BenchSocket = await connectSocket(bench, defer);
  const berthChanges = new ChangeLog();
  socket.on('fs:changed', (payload) => {
    if (payload.projectId === projectId) berthChanges.push(payload.changes, performance.now());
  });
  const running = waitForState(socket, projectId, 'running', 60_000);
  running.catch(() => undefined);
  const opened = await call(socket, 'workspace:open', { projectId });
  if (opened.state !== 'running') await running;

  const container = docker.getContainer(containerName(projectId));
  const endpoint = await agentOf(container);
  const http = new Agent({ keepAlive: true, maxFreeSockets: 8 });
  defer('close the keep-alive HTTP agent', () => http.destroy());
  const agent = await AgentConnection.connect(endpoint);
  defer('close the direct agent connection', () => agent.close());
  const agentChanges = new ChangeLog();
  agent.events.on('onDidEvent', ({ event, data }) => {
    if (event === 'fs.changed' && Array.isArray(data)) agentChanges.push(data as FileChange[], performance.now());
  });
  const shell = await openShell(docker, container, STEP_TIMEOUT_MS);
  defer('close the shell', () => shell.close());
  const hello = await shell.run('id -u; pwd');
  console.log(
    `── files: agent at ${endpoint.url}, shell as uid ${hello.output.split('\n')[0]} in ${hello.output.split('\n')[1]}`,
  );

  // ── (1) saves ──
  const saveSamples = await measureSaves({ socket, projectId, http, endpoint, shell, timeoutMs: STEP_TIMEOUT_MS });
  await berthChanges.settle(300, 10_000);

  // ── (2) touch → fs:changed ──
  console.log(`── files: (2) ${TOUCH_WARMUP} warm-up, then ${TOUCHES} touches, ${TOUCH_GAP_MS} ms apart`);
  await shell.run('mkdir -p touch');
  await berthChanges.waitFor('touch', STEP_TIMEOUT_MS, 'folder touch');
  await berthChanges.settle(300, 10_000);
  const touchSamples = { berth: [] as number[], agent: [] as number[], shell: [] as number[] };
  for (let i = 1; i <= TOUCH_WARMUP + TOUCHES; i++) {
    const path = `touch/f${i}`;
    const berthAt = berthChanges.waitFor(path, STEP_TIMEOUT_MS, 'Berth fs:changed');
    const agentAt = agentChanges.waitFor(path, STEP_TIMEOUT_MS, 'agent fs.changed');
    const done = shell.run(`touch ${path}`);
    // run() writes the line synchronously: this is the moment it went to the exec stream.
    const sent = performance.now();
    const [b, a, s] = await Promise.all([berthAt, agentAt, done]);
    if (s.status !== 0) throw new Error(`touch ${path} failed (${s.status})`);
    if (i > TOUCH_WARMUP) {
      touchSamples.berth.push(b - sent);
      touchSamples.agent.push(a - sent);
      touchSamples.shell.push(s.at - sent);
    }
    await sleep(TOUCH_GAP_MS);
  }

  // ── (3) a folder of 10,000 files ──
  console.log(`── files: (3) creating ${BIG_FILES} files in big/, waiting for the fs:changed burst to settle`);
  const burstFrom = { batches: berthChanges.batches, changes: berthChanges.changes };
  const burstStart = performance.now();
  const made = await shell.run(`(mkdir big && cd big && seq 1 ${BIG_FILES} | xargs touch)`, 120_000);
  if (made.status !== 0) throw new Error(`creating big/ failed (${made.status})`);
  const createdMs = made.at - burstStart;
  await berthChanges.settle(1_000, 120_000);
  const burst = {
    createMs: createdMs,
    settledMs: berthChanges.lastAt - burstStart,
    batches: berthChanges.batches - burstFrom.batches,
    changes: berthChanges.changes - burstFrom.changes,
    createdFiles: berthChanges.createdUnder('big/'),
    agentCreatedFiles: agentChanges.createdUnder('big/'),
  };
  console.log(
    `  created in ${ms(burst.createMs)}; ${burst.changes} changes in ${burst.batches} fs:changed pushes, last ${ms(burst.settledMs)} after the start; 'created' for ${burst.createdFiles} of ${BIG_FILES} files at the client, ${burst.agentCreatedFiles} on the direct agent connection`,
  );
  console.log(`── files: (3) ${LIST_WARMUP} warm-up, then ${LISTS} listings of big/ each, interleaved`);
  const listSamples = { berth: [] as number[], agent: [] as number[], ls: [] as number[], lsl: [] as number[] };
  let listingBytes = 0;
  for (let i = 0; i < LIST_WARMUP + LISTS; i++) {
    const berth = await timed(() => call(socket, 'fs:list', { projectId, path: 'big' }, 30_000));
    if (berth.value.length !== BIG_FILES)
      throw new Error(`fs:list big: ${berth.value.length} entries, not ${BIG_FILES}`);
    const direct = await timed(() => agent.request('fs.list', { path: 'big' }, 30_000));
    if (direct.value.length !== BIG_FILES)
      throw new Error(`agent fs.list big: ${direct.value.length} entries, not ${BIG_FILES}`);
    const sent = performance.now();
    const ls = await shell.run('ls -f big | wc -l');
    if (Number(ls.output.trim()) !== BIG_FILES + 2) throw new Error(`ls -f big | wc -l: ${ls.output.trim()}`);
    const sentL = performance.now();
    const lsl = await shell.run('ls -lU big | wc -l');
    if (Number(lsl.output.trim()) !== BIG_FILES + 1) throw new Error(`ls -lU big | wc -l: ${lsl.output.trim()}`);
    if (i < LIST_WARMUP) continue;
    listSamples.lsl.push(lsl.at - sentL);
    listSamples.berth.push(berth.ms);
    listSamples.agent.push(direct.ms);
    listSamples.ls.push(ls.at - sent);
    listingBytes = Buffer.byteLength(JSON.stringify(berth.value));
  }

  // ── tables ──
  const header = SUMMARY_HEADER;
  const save = {
    berth: summarize(saveSamples.berth),
    raw: summarize(saveSamples.raw),
    locks: summarize(saveSamples.locks),
    berthTiny: summarize(saveSamples.berthTiny),
    rawTiny: summarize(saveSamples.rawTiny),
  };
  const saveVerdict =
    verdict(save.berth.p50, GOAL_SAVE_P50_MS) === 'PASS' && verdict(save.berth.p99, GOAL_SAVE_P99_MS) === 'PASS'
      ? 'PASS'
      : 'MISS';
  printTable(
    `Figure 5.1 — save round trip of a ${FILE_BYTES / 1024} KB file, ${SAVES} saves each (${SAVE_WARMUP} warm-up), interleaved blocks of ${SAVE_BLOCK}`,
    header,
    [
      row(
        `Berth: fs:write → ack (Socket.IO)`,
        save.berth,
        `p50 < ${GOAL_SAVE_P50_MS} ms, p99 < ${GOAL_SAVE_P99_MS} ms`,
        saveVerdict,
      ),
      row('  part: fs:locks → ack (socket + ownership check)', save.locks),
      row('baseline: PUT /fs/content straight to the agent', save.raw),
      row('  same, 10-byte file: Berth fs:write → ack', save.berthTiny),
      row('  same, 10-byte file: PUT straight to the agent', save.rawTiny),
    ],
    [
      `Berth − agent at p50: ${ms(save.berth.p50 - save.raw.p50)} at ${FILE_BYTES / 1024} KB, ${ms(save.berthTiny.p50 - save.rawTiny.p50)} at 10 bytes (socket frame, validation, ownership query, lock check, then the same PUT over keep-alive).`,
      `Per-byte part at p50 (100 KB − 10 B): Berth ${ms(save.berth.p50 - save.berthTiny.p50)}, agent alone ${ms(save.raw.p50 - save.rawTiny.p50)}.`,
      "Every save sends a new version (a counter in the first bytes) based on the previous save's version; the agent writes a temp file and renames it.",
    ],
  );
  const touch = {
    berth: summarize(touchSamples.berth),
    agent: summarize(touchSamples.agent),
    shell: summarize(touchSamples.shell),
  };
  printTable(
    `Figure 5.2 — \`touch\` in the container → 'created' at the client, ${TOUCHES} unique files (${TOUCH_WARMUP} warm-up), ${TOUCH_GAP_MS} ms apart`,
    header,
    [
      p50GoalRow('Berth: line to bash → fs:changed (Socket.IO)', touch.berth, GOAL_TOUCH_P50_MS),
      row('  part: line to bash → agent fs.changed (direct WS)', touch.agent),
      row('  part: line to bash → touch done (shell marker back)', touch.shell),
    ],
    [
      'One long-lived `docker exec -i bash` (stdin pipe, no tty) takes `touch touch/f<i>; echo marker` lines: no exec start-up is counted.',
      `The agent debounces watcher events (40 ms window) before it sends fs.changed; Berth − agent at p50: ${ms(touch.berth.p50 - touch.agent.p50)} (server relay to the room).`,
    ],
  );
  const list = {
    berth: summarize(listSamples.berth),
    agent: summarize(listSamples.agent),
    ls: summarize(listSamples.ls),
    lsl: summarize(listSamples.lsl),
  };
  printTable(
    `Figure 5.3 — listing a folder of ${BIG_FILES} files, ${LISTS} times each (${LIST_WARMUP} warm-up), interleaved`,
    header,
    [
      p50GoalRow('Berth: fs:list → ack (Socket.IO)', list.berth, GOAL_LIST_P50_MS),
      row('baseline: agent fs.list RPC (direct WS)', list.agent),
      row('baseline: `ls -f big | wc -l` in the same shell', list.ls),
      row('baseline: `ls -lU big | wc -l` (lstat each) same shell', list.lsl),
    ],
    [
      `The listing is ${(listingBytes / 1024).toFixed(0)} KB of JSON (name, path, kind, size, mtime, version per entry); the agent lstat()s every entry, ls -f reads names only.`,
      `Creating the folder: ${ms(burst.createMs)} for seq | xargs touch; ${burst.changes} changes in ${burst.batches} fs:changed pushes, the last ${ms(burst.settledMs)} after the start;`,
      `  'created' reached the client for ${burst.createdFiles} of the ${BIG_FILES} files (direct agent connection: ${burst.agentCreatedFiles}); the rest were already there`,
      "  when the agent began watching big/: it reads a new folder and records its children silently (the folder's own 'created' makes the tree list it).",
    ],
  );

  const r = (s: Summary) => rounded(s, 2);
  writeSection('files', {
    goal: {
      saveP50Ms: GOAL_SAVE_P50_MS,
      saveP99Ms: GOAL_SAVE_P99_MS,
      touchP50Ms: GOAL_TOUCH_P50_MS,
      listP50Ms: GOAL_LIST_P50_MS,
    },
    save: {
      fileBytes: FILE_BYTES,
      berth: { ...r(save.berth), verdict: saveVerdict },
      locksRoundTrip: r(save.locks),
      agentPut: r(save.raw),
      tinyFile: { berth: r(save.berthTiny), agentPut: r(save.rawTiny) },
    },
    touch: {
      berth: { ...r(touch.berth), verdict: verdict(touch.berth.p50, GOAL_TOUCH_P50_MS) },
      agentEvent: r(touch.agent),
      shellDone: r(touch.shell),
      gapMs: TOUCH_GAP_MS,
    },
    list: {
      files: BIG_FILES,
      listingBytes,
      berth: { ...r(list.berth), verdict: verdict(list.berth.p50, GOAL_LIST_P50_MS) },
      agentRpc: r(list.agent),
      lsF: r(list.ls),
      lsLU: r(list.lsl),
      createBurst: {
        createMs: Math.round(burst.createMs),
        settledMs: Math.round(burst.settledMs),
        batches: burst.batches,
        changes: burst.changes,
        createdFilesAtClient: burst.createdFiles,
        createdFilesAtAgentConnection: burst.agentCreatedFiles,
      },
    },
    method: {
      save: 'fs:write with the previous version as baseVersion (null first), 100 KB utf8 text changed every save; baseline PUT /fs/content?maxBytes with If-Match over a keep-alive node:http agent to the published agent port; blocks of 20 alternate Berth, agent, fs:locks, Berth 10 B, agent 10 B',
      touch:
        'one docker exec -i bash (uid 1000, /workspace, stdin pipe) fed `touch touch/f<i>; echo marker`; clock from writing the line to the first created change for the path at the socket / the direct agent connection / the marker on stdout',
      list: 'mkdir big && seq 1 10000 | xargs touch in the shell, fs:changed settled (1 s quiet); then per round fs:list, agent fs.list, ls -f | wc -l and ls -lU | wc -l one after another',
    },
  });
  await bench.server.stop('SIGTERM');
});
