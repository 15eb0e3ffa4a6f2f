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
import { openShell, type Shell } from './lib/shell';
import { mb, reportSnapshotFigures, type SnapshotRuns } from './lib/snapshot-figures';
import { splitFullSnapshot } from './lib/snapshot-split';
import {
  dropWorkspace,
  duplicateProject,
  GEN_DIR,
  GEN_FILES,
  generateProject,
  genPath,
  openUntilRunning,
  takeSnapshot,
  timeShell,
  treeChecksum,
} from './lib/snapshot-project';
import { loadAverage as loadavg, ms } from './lib/stats';

const FULL_RUNS = 3;
const INCREMENTAL = 20;
const INCREMENTAL_WARMUP = 2;
const RESTORES = 3;
const STEP_TIMEOUT_MS = 60_000;
/** Pause after a workspace goes: its teardown goes on in the engine a little after. */
const SETTLE_MS = 1_000;
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
  const runs: SnapshotRuns = {
    counts: { full: FULL_RUNS, incremental: INCREMENTAL, warmup: INCREMENTAL_WARMUP, restores: RESTORES },
    fullRuns,
    tarSamples,
    shaSamples,
    gzipped,
    split,
    changedSamples,
    unchangedSamples,
    changedNewBytes,
    dup,
    copyStart,
    copySnap,
    restoreSamples,
    keptSamples,
    blankSamples,
    checks,
    checksum,
    loads,
  };
  reportSnapshotFigures(runs);
  await bench.server.stop('SIGTERM');
});
