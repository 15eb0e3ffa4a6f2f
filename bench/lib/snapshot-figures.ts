// The figures of the snapshots bench (snapshots.bench.ts): its four tables (first full snapshot,
// incremental, duplicate, restore), each with its same-run baselines and goal, and the results
// section written for the report.
import os from 'node:os';
import type { SnapshotDto } from '../../server/contracts';
import { writeSection } from './results';
import { GEN_DIR, GEN_FILE_BYTES, GEN_FILES, GEN_RANDOM_EVERY } from './snapshot-project';
import { printSplit, type SnapshotSplit } from './snapshot-split';
import { ms, rounded, summarize, type Summary } from './stats';
import { p50GoalRow, printTable, SUMMARY_HEADER, summaryRow as row, verdict } from './table';

const GOAL_FULL_MS = 2_000;
const GOAL_INCREMENTAL_P50_MS = 200;
/** "≈ 0": less than one KiB stored for a duplicated project's snapshot. */
const GOAL_DUPLICATE_BYTES = 1024;
const GOAL_RESTORE_P50_MS = 3_000;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

type Timed = { ms: number; snapshot: SnapshotDto };

/** What the bench measured, part by part (samples in ms unless named bytes). */
export interface SnapshotRuns {
  counts: { full: number; incremental: number; warmup: number; restores: number };
  /** (1) One first snapshot per new project; the last project is the one kept for (2) to (4). */
  fullRuns: Timed[];
  tarSamples: number[];
  shaSamples: number[];
  gzipped: number;
  split: SnapshotSplit;
  /** (2) */
  changedSamples: number[];
  unchangedSamples: number[];
  changedNewBytes: number[];
  /** (3) */
  dup: { ms: number };
  copyStart: { ms: number };
  copySnap: Timed;
  /** (4) */
  restoreSamples: number[];
  keptSamples: number[];
  blankSamples: number[];
  checks: string[];
  checksum: string;
  /** The load average (1, 5, 15 min) at the end of each part. */
  loads: Record<string, string>;
}

export function reportSnapshotFigures(runs: SnapshotRuns): void {
  const { counts, fullRuns, tarSamples, shaSamples, gzipped, split, changedSamples, unchangedSamples } = runs;
  const { changedNewBytes, dup, copyStart, copySnap, restoreSamples, keptSamples, blankSamples } = runs;
  const { checks, checksum, loads } = runs;
  const { full: FULL_RUNS, incremental: INCREMENTAL, warmup: INCREMENTAL_WARMUP, restores: RESTORES } = counts;
  const full = fullRuns.at(-1)!;
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
      p50GoalRow('Berth: one file changed → POST /snapshots → 201', changed, GOAL_INCREMENTAL_P50_MS),
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
      p50GoalRow(`Berth: restore ${GEN_FILES} files / ${mb(raw)} into a new volume`, restore, GOAL_RESTORE_P50_MS),
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
}
