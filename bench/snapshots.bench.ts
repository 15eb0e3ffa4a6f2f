// Issue 6: snapshots of a generated project of 1,000 files / 10 MB (90 % source-like text, 10 %
// random bytes, in nested folders), written in the workspace by a script through a long-lived
// shell. (1) The first full snapshot, POST /snapshots → 201, next to `tar -c` of the same folder
// and `sha256sum` of every file in the same shell; stored bytes next to the raw size.
// (2) Incremental: one file changed (a different one each time), then POST → 201, interleaved
// with the same POST when nothing changed (scan + manifest cost only). (3) Duplicate: POST
// /duplicate, open the copy (restored from the copied snapshot), snapshot it: the bytes it
// stored, next to the original's first snapshot. (4) Restore into an empty volume: workspace
// stopped, container and volume removed, `workspace:open` → 'running' with restoredFrom, tree
// checksum checked; next to a new blank-node project's cold start and to the same project's
// start with only the container removed (volume kept). Automatic snapshots are held off
// (SNAPSHOT_DEBOUNCE_SECONDS=3600) so that only the measured ones run.
import type { ProjectDto, SnapshotDto } from '../server/contracts';
import { containerName } from '../server/runtime/docker/names';
import { connectSocket } from './lib/bench-socket';
import { createProject, startBenchServer, trackProject } from './lib/berth';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { sleep } from './lib/process';
import { writeSection } from './lib/results';
import { openShell, type Shell } from './lib/shell';
import { printSplit, splitFullSnapshot } from './lib/snapshot-split';
import {
  dropWorkspace,
  duplicateProject,
  GEN_DIR,
  GEN_FILE_BYTES,
  GEN_FILES,
  GEN_RANDOM_EVERY,
  generateProject,
  genPath,
  openUntilRunning,
  takeSnapshot,
  timeShell,
  treeChecksum,
} from './lib/snapshot-project';
import os from 'node:os';
import { ms, rounded, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow as row, verdict } from './lib/table';

const GOAL_FULL_MS = 2_000;
const GOAL_INCREMENTAL_P50_MS = 200;
/** "≈ 0": less than one KiB stored for a duplicated project's snapshot. */
const GOAL_DUPLICATE_BYTES = 1024;
const GOAL_RESTORE_P50_MS = 3_000;
const FULL_RUNS = 3;
const INCREMENTAL = 20;
const INCREMENTAL_WARMUP = 2;
const RESTORES = 3;
const STEP_TIMEOUT_MS = 60_000;
/** Pause after a workspace goes: its teardown goes on in the engine a little after. */
const SETTLE_MS = 1_000;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
/** The machine is shared (2 cores): the load average goes with every figure. */
const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loads: Record<string, string> = {};

await runBench('snapshots', async (defer) => {
  console.log('── snapshots: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  const bench = await startBenchServer('snapshots', image, defer, { SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  console.log(
    `── snapshots: server up (pid ${bench.server.pid}) with ${image}, WORKSPACE_SCOPE=${bench.scope}, SNAPSHOT_DEBOUNCE_SECONDS=3600`,
  );
  const socket = await connectSocket(bench, defer);
  let shell: Shell | undefined;
  defer('close the shell', () => shell?.close());

  // ── (1) the first full snapshot: of FULL_RUNS new projects, each with its own text ──
  console.log(
    `── snapshots: (1) ${FULL_RUNS} new projects of ${GEN_FILES} generated files each: first snapshot, then tar and sha256sum of the folder`,
  );
  const fullRuns: { ms: number; snapshot: SnapshotDto }[] = [];
  const tarSamples: number[] = [];
  const shaSamples: number[] = [];
  let main: { project: ProjectDto; remove: () => Promise<number> } | undefined;
  for (let k = 1; k <= FULL_RUNS; k++) {
    const made = await createProject(bench, docker, `Bench snapshots ${k}`, defer);
    const started = await openUntilRunning(socket, made.project.id, 'workspace:open', STEP_TIMEOUT_MS);
    shell = await openShell(docker, docker.getContainer(containerName(made.project.id)), STEP_TIMEOUT_MS);
    const gen = await generateProject(shell, 42 + k);
    await sleep(SETTLE_MS); // the agent's watcher reports the 1,000 new files first; the snapshot is timed alone
    const full = await takeSnapshot(bench, made.project.id);
    if (full.snapshot.fileCount < GEN_FILES)
      throw new Error(
        `the first snapshot holds ${full.snapshot.fileCount} files, fewer than the ${GEN_FILES} generated`,
      );
    fullRuns.push(full);
    tarSamples.push(await timeShell(shell, `tar -cf - ${GEN_DIR} | wc -c > /dev/null`));
    shaSamples.push(await timeShell(shell, `find ${GEN_DIR} -type f -print0 | xargs -0 sha256sum > /dev/null`));
    console.log(
      `  project ${k}: started in ${ms(started.ms)}, ${gen.files} files / ${mb(gen.bytes)} generated in ${ms(gen.ms)}; first snapshot ${ms(full.ms)}: ${full.snapshot.fileCount} files, ` +
        `${mb(full.snapshot.newBytes)} stored; tar ${ms(tarSamples.at(-1)!)}, sha256sum ${ms(shaSamples.at(-1)!)}; load ${loadavg()}`,
    );
    if (k === FULL_RUNS) main = made;
    else {
      shell.close();
      await made.remove();
      await sleep(SETTLE_MS);
    }
  }
  loads.full = loadavg();
  if (!main || !shell) throw new Error('no project kept for figures 2 to 4');
  const projectId = main.project.id;
  const full = fullRuns.at(-1)!;
  const gzipped = Number((await shell.run(`tar -cf - ${GEN_DIR} | gzip -4 | wc -c`, STEP_TIMEOUT_MS)).output.trim());
  console.log(
    '── snapshots: (1) where the time goes: workspace restarted (volume kept), then scan, archive read and encode timed one by one',
  );
  shell.close();
  const split = await splitFullSnapshot(bench, socket, docker, projectId);
  shell = await openShell(docker, docker.getContainer(containerName(projectId)), STEP_TIMEOUT_MS);
  loads.split = loadavg();

  // ── (2) incremental ──
  console.log(
    `── snapshots: (2) ${INCREMENTAL_WARMUP} warm-up, then ${INCREMENTAL} snapshots after changing one file, interleaved with ${INCREMENTAL} with nothing changed`,
  );
  const changedSamples: number[] = [];
  const unchangedSamples: number[] = [];
  const changedNewBytes: number[] = [];
  for (let i = 0; i < INCREMENTAL_WARMUP + INCREMENTAL; i++) {
    const file = genPath(i * 10 + (i % 9)); // text files (never index 9 mod 10), a different one each time
    if (file.endsWith('.bin')) throw new Error(`${file} is not a text file`);
    await timeShell(shell, `echo '// edit ${i}' >> ${file}`);
    const changed = await takeSnapshot(bench, projectId);
    if (changed.snapshot.changedFiles !== 1)
      throw new Error(`snapshot after changing ${file}: changedFiles ${changed.snapshot.changedFiles}, expected 1`);
    const unchanged = await takeSnapshot(bench, projectId);
    if (unchanged.snapshot.changedFiles !== 0)
      throw new Error(`snapshot with nothing changed: changedFiles ${unchanged.snapshot.changedFiles}, expected 0`);
    if (i < INCREMENTAL_WARMUP) continue;
    changedSamples.push(changed.ms);
    unchangedSamples.push(unchanged.ms);
    changedNewBytes.push(changed.snapshot.newBytes);
  }
  loads.incremental = loadavg();
  const checksum = await treeChecksum(shell);

  // ── (3) duplicate ──
  console.log('── snapshots: (3) duplicate, open the copy, snapshot it');
  const dup = await duplicateProject(bench, projectId);
  const copy = trackProject(bench, docker, dup.project, defer);
  const copyStart = await openUntilRunning(socket, copy.project.id, 'workspace:open', STEP_TIMEOUT_MS);
  if (!copyStart.status.restoredFrom) throw new Error("the copy's first start did not restore its copied snapshot");
  const copyShell = await openShell(docker, docker.getContainer(containerName(copy.project.id)), STEP_TIMEOUT_MS);
  const copyChecksum = await treeChecksum(copyShell).finally(() => copyShell.close());
  if (copyChecksum !== checksum) throw new Error(`the copy's files differ: ${copyChecksum}, original ${checksum}`);
  const copySnap = await takeSnapshot(bench, copy.project.id);
  console.log(
    `  duplicate ${ms(dup.ms)}; copy running in ${ms(copyStart.ms)} (restored ${copyStart.status.restoredFrom.snapshotId}); its snapshot ${ms(copySnap.ms)}: ${copySnap.snapshot.newBytes} new bytes, ${copySnap.snapshot.changedFiles} changed files`,
  );
  loads.duplicate = loadavg();
  await copy.remove();
  await sleep(SETTLE_MS);

  // ── (4) restore into an empty volume ──
  console.log(
    `── snapshots: (4) ${RESTORES} restores into an empty volume, interleaved with a new blank-node project's cold start and the same project's start with its volume kept`,
  );
  const restoreSamples: number[] = [];
  const keptSamples: number[] = [];
  const blankSamples: number[] = [];
  const checks: string[] = [];
  for (let i = 1; i <= RESTORES; i++) {
    shell.close();
    await dropWorkspace(socket, docker, projectId, false);
    await sleep(SETTLE_MS);
    const restored = await openUntilRunning(socket, projectId, 'workspace:open', STEP_TIMEOUT_MS);
    if (!restored.status.restoredFrom)
      throw new Error(`restore ${i}: running without restoredFrom (the volume was not new?)`);
    shell = await openShell(docker, docker.getContainer(containerName(projectId)), STEP_TIMEOUT_MS);
    const after = await treeChecksum(shell);
    if (after !== checksum)
      throw new Error(`restore ${i}: files differ after the restore: ${after}, expected ${checksum}`);
    checks.push(after);
    restoreSamples.push(restored.ms);

    shell.close();
    await dropWorkspace(socket, docker, projectId, true);
    await sleep(SETTLE_MS);
    const kept = await openUntilRunning(socket, projectId, 'workspace:open', STEP_TIMEOUT_MS);
    if (kept.status.restoredFrom) throw new Error(`kept-volume start ${i} restored a snapshot`);
    keptSamples.push(kept.ms);
    shell = await openShell(docker, docker.getContainer(containerName(projectId)), STEP_TIMEOUT_MS);
    await sleep(SETTLE_MS);

    const blank = await createProject(bench, docker, `Bench snapshots blank ${i}`, defer);
    const cold = await openUntilRunning(socket, blank.project.id, 'workspace:open', STEP_TIMEOUT_MS);
    blankSamples.push(cold.ms);
    await blank.remove();
    await sleep(SETTLE_MS);
    console.log(
      `  run ${i}: restore ${ms(restored.ms)} (${after}), volume kept ${ms(kept.ms)}, blank-node cold start ${ms(cold.ms)}; load ${loadavg()}`,
    );
  }

  loads.restore = loadavg();
  console.log(
    `── snapshots: load average (1, 5, 15 min) at the end of each part: ${Object.entries(loads)
      .map(([part, load]) => `${part} ${load}`)
      .join('; ')}`,
  );

  // ── tables ──
  const tar = summarize(tarSamples);
  const sha = summarize(shaSamples);
  const fullTime = summarize(fullRuns.map((run) => run.ms));
  const stored = summarize(fullRuns.map((run) => run.snapshot.newBytes));
  const raw = full.snapshot.totalBytes;
  printTable(
    `Figure 6.1 — first full snapshot of ${GEN_FILES} files / ${mb(GEN_FILES * GEN_FILE_BYTES)} (${100 / GEN_RANDOM_EVERY} % random bytes), ${FULL_RUNS} new projects`,
    SUMMARY_HEADER,
    [
      row(
        'Berth: POST /snapshots → 201 (scan, hash, read, gzip, store)',
        fullTime,
        `< ${ms(GOAL_FULL_MS)}`,
        verdict(fullTime.p50, GOAL_FULL_MS),
      ),
      row(`baseline: tar -cf - ${GEN_DIR} | wc -c in the container`, tar),
      row('baseline: sha256sum of every file in the container', sha),
    ],
    [
      `Stored (newBytes) p50 ${mb(stored.p50)} of ${mb(raw)} raw (${(stored.p50 / raw).toFixed(3)}); for scale, tar | gzip -4 of the folder: ${mb(gzipped)}.`,
      `${full.snapshot.fileCount} files per snapshot (${GEN_FILES} generated + the blank-node template's). The verdict is on the p50; the max is ${ms(fullTime.max)}.`,
      'The agent hashes every file (its hash cache is empty), the server reads them all as one tar stream, gzips each (level 4), inserts blobs in 8 MB statements, then the manifest in one transaction.',
      `Load average (1, 5, 15 min) after this part: ${loads.full} on ${os.cpus().length} cores (a shared machine inflates every figure).`,
    ],
  );
  printSplit(split, fullTime.p50);
  const changed = summarize(changedSamples);
  const unchanged = summarize(unchangedSamples);
  printTable(
    `Figure 6.2 — incremental snapshot, ${INCREMENTAL} each (${INCREMENTAL_WARMUP} warm-up), interleaved`,
    SUMMARY_HEADER,
    [
      row(
        'Berth: one file changed → POST /snapshots → 201',
        changed,
        `p50 < ${ms(GOAL_INCREMENTAL_P50_MS)}`,
        verdict(changed.p50, GOAL_INCREMENTAL_P50_MS),
      ),
      row('baseline: nothing changed → POST /snapshots → 201', unchanged),
    ],
    [
      `Changed − unchanged at p50: ${ms(changed.p50 - unchanged.p50)} (reading, gzipping and storing one ${kb(GEN_FILE_BYTES)} file); new bytes per changed snapshot p50 ${summarize(changedNewBytes).p50} B.`,
      `Both scan ${full.snapshot.fileCount} files (hashes from the agent's cache), load the previous manifest, diff, insert a ${full.snapshot.fileCount}-row manifest and prune.`,
      `Load average (1, 5, 15 min) after this part: ${loads.incremental} on ${os.cpus().length} cores (a shared machine inflates every figure).`,
    ],
  );
  const dupVerdict = verdict(copySnap.snapshot.newBytes, GOAL_DUPLICATE_BYTES);
  printTable(
    'Figure 6.3 — duplicate a project, open the copy, snapshot it',
    ['what', 'value', 'goal', 'verdict'],
    [
      [
        "Berth: new bytes stored by the copy's snapshot",
        `${copySnap.snapshot.newBytes} B`,
        '≈ 0 (< 1 KiB)',
        dupVerdict,
      ],
      [
        "baseline: new bytes of the original's first snapshot",
        `${full.snapshot.newBytes} B (${mb(full.snapshot.newBytes)})`,
        '—',
        '—',
      ],
      ['  POST /duplicate → 201', ms(dup.ms), '—', '—'],
      ['  copy: workspace:open → running (restored from the copy)', ms(copyStart.ms), '—', '—'],
      ['  copy: POST /snapshots → 201', ms(copySnap.ms), '—', '—'],
    ],
    [
      `The copy's snapshot: ${copySnap.snapshot.fileCount} files, ${copySnap.snapshot.changedFiles} changed since the copied one; the copy's tree checksum equals the original's.`,
    ],
  );
  const restore = summarize(restoreSamples);
  const kept = summarize(keptSamples);
  const blank = summarize(blankSamples);
  printTable(
    `Figure 6.4 — restore into an empty volume: workspace:open → 'running' with restoredFrom, ${RESTORES} runs, interleaved`,
    SUMMARY_HEADER,
    [
      row(
        `Berth: restore ${GEN_FILES} files / ${mb(raw)} into a new volume`,
        restore,
        `p50 < ${ms(GOAL_RESTORE_P50_MS)}`,
        verdict(restore.p50, GOAL_RESTORE_P50_MS),
      ),
      row('baseline: new blank-node project, cold start', blank),
      row('baseline: same project, container removed, volume kept', kept),
    ],
    [
      `Restore − volume kept at p50: ${ms(restore.p50 - kept.p50)} (manifest + blobs from PostgreSQL, gunzip, tar, putArchive into the new volume).`,
      `Every restore's tree checksum (sha256 over sorted sha256sum of ${GEN_DIR}/) matched the original: ${checksum}.`,
      `Load average (1, 5, 15 min) after this part: ${loads.restore} on ${os.cpus().length} cores (a shared machine inflates every figure).`,
    ],
  );

  const r = (s: Summary) => rounded(s, 1);
  writeSection('snapshots', {
    goal: {
      fullMs: GOAL_FULL_MS,
      incrementalP50Ms: GOAL_INCREMENTAL_P50_MS,
      duplicateNewBytes: GOAL_DUPLICATE_BYTES,
      restoreP50Ms: GOAL_RESTORE_P50_MS,
    },
    project: {
      files: GEN_FILES,
      fileBytes: GEN_FILE_BYTES,
      randomEvery: GEN_RANDOM_EVERY,
      snapshotFiles: full.snapshot.fileCount,
      totalBytes: raw,
    },
    full: {
      berth: { ...r(fullTime), verdict: verdict(fullTime.p50, GOAL_FULL_MS) },
      newBytes: fullRuns.map((run) => run.snapshot.newBytes),
      tarMs: r(tar),
      sha256sumMs: r(sha),
      tarGzip4Bytes: gzipped,
      split: Object.fromEntries(Object.entries(split).map(([key, value]) => [key, Math.round(value)])),
    },
    incremental: {
      changed: { ...r(changed), verdict: verdict(changed.p50, GOAL_INCREMENTAL_P50_MS) },
      unchanged: r(unchanged),
      changedNewBytes: summarize(changedNewBytes).p50,
    },
    duplicate: {
      copyNewBytes: copySnap.snapshot.newBytes,
      verdict: dupVerdict,
      originalNewBytes: full.snapshot.newBytes,
      duplicateMs: Math.round(dup.ms),
      copyStartMs: Math.round(copyStart.ms),
      copySnapshotMs: Math.round(copySnap.ms),
    },
    loadAverage: loads,
    restore: {
      berth: { ...r(restore), verdict: verdict(restore.p50, GOAL_RESTORE_P50_MS) },
      blankColdStart: r(blank),
      volumeKept: r(kept),
      checksum: checks[0],
    },
    method: {
      full: 'POST /api/v1/projects/:id/snapshots with the bearer token, right after generating the files (agent hash cache empty); baselines timed in one docker exec -i bash, from writing the line to its end marker',
      incremental:
        'echo a line onto a different text file, POST; then POST again with nothing changed; 2 warm-up pairs',
      duplicate:
        'POST /duplicate (copies the current snapshot), workspace:open of the copy until running (restoredFrom set), checksum compared, POST a snapshot of the copy',
      restore:
        'workspace:stop, container and volume removed with dockerode, workspace:open until the running push with restoredFrom; kept: the same with the volume left; blank: a new blank-node project',
    },
  });
  await bench.server.stop('SIGTERM');
});
