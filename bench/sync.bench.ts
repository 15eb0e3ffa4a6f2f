// Issue 18: hybrid sync on a 1,000-file project (10 MiB; 90 % source-like text, 10 % random
// bytes), two production Berths on loopback ("team" and "laptop", each with its own embedded
// PostgreSQL) and the bundled `berth` command (dist/berth-cli.mjs) as a child process.
// (1) The folder: a sync with nothing to do, and a sync of ten changed files — its time and the
//     bytes it put on the wire (counted by a TCP pipe between the command and the team Berth),
//     next to the ten files' gzip size. Baseline in the same run: `rsync -a` of the same tree
//     and the same change between two local folders.
// (2) Berth ↔ Berth: POST /sync on the laptop for its project linked to the team's, nothing to do,
//     then ten files saved through the files API and synced; bytes counted the same way.
// `berth watch` (a save visible on the other side) is bench/sync-watch.bench.ts.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectDto, RemoteDto, SyncResultDto } from '../server/contracts';
import { createProject, startBenchServer, type BenchServer } from './lib/berth';
import { startByteCounter } from './lib/byte-counter';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { tempDir } from './lib/repo';
import { writeSection } from './lib/results';
import { GEN_FILE_BYTES, GEN_FILES } from './lib/snapshot-project';
import { loadAverage, ms, summarize, type Summary } from './lib/stats';
import { changeFiles, copyFiles, ensureRsync, generateInto, makeCli, rsync } from './lib/sync-folder';
import { p50GoalRow, printTable, SUMMARY_HEADER, summaryRow, type Cell } from './lib/table';

const WARMUP = 2;
const NOOP_RUNS = 9;
const CHANGE_ROUNDS = 5;
const CHANGED = 10;
const NOOP_GOAL_MS = 300;
const CHANGE_GOAL_MS = 1000;
const BYTES_GOAL_RATIO = 2;
// The team Berth is reached through the byte counter, whose port its Host header names.
const ENV = {
  SNAPSHOT_DEBOUNCE_SECONDS: '3600',
  SYNC_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
  BERTH_ALLOWED_HOSTS: '127.0.0.1',
};

async function api<T>(bench: BenchServer, method: string, url: string, body: unknown, expect: number): Promise<T> {
  const res = await fetch(`${bench.base}${url}`, {
    method,
    headers: { Authorization: `Bearer ${bench.user.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(300_000),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ratioRow = (name: string, sent: number[], compressed: number[]): Cell[] => {
  const ratios = sent.map((s, i) => s / compressed[i]!);
  const p50 = summarize(ratios).p50;
  return [
    name,
    kib(summarize(sent).p50),
    kib(summarize(compressed).p50),
    `${p50.toFixed(2)}×`,
    `≤ ${BYTES_GOAL_RATIO}×`,
    p50 <= BYTES_GOAL_RATIO ? 'PASS' : 'MISS',
  ];
};

await runBench('sync', async (defer) => {
  ensureRsync();
  console.log('── sync: production build, Docker engine and workspace image');
  const { docker, image } = await prepareDocker(defer);
  // One after the other: each builds the app when it is stale, and two next builds cannot run at once.
  const team = await startBenchServer('sync-team', image, defer, ENV);
  const laptop = await startBenchServer('sync-laptop', image, defer, ENV);
  const counter = await startByteCounter(Number(new URL(team.base).port), defer);
  console.log(`── sync: team ${team.base} (counted at ${counter.url}), laptop ${laptop.base}; load ${loadAverage()}`);

  // ── (1) the folder and the command line ──
  const cli = makeCli(defer);
  await cli.run(['login', counter.url, '--token', team.user.token]);
  const { project } = await createProject(team, docker, 'sync-bench', defer);
  const work = tempDir('berth-bench-sync-', defer);
  const folder = path.join(work, 'folder');
  const [plainA, plainB] = [path.join(work, 'plain-a'), path.join(work, 'plain-b')];
  await cli.run(['clone', project.id, folder], { cwd: work });
  generateInto(folder, 7);
  const upload = await cli.run(['sync', folder, '--mode', 'up']);
  console.log(`── sync: first upload of ${GEN_FILES} files (${kib(GEN_FILES * GEN_FILE_BYTES)}) in ${ms(upload.ms)}`);
  // The new project's workspace writes its template files when it first starts (during the clone
  // or the upload): one two-way sync brings them to the folder before anything is timed.
  await cli.run(['sync', folder]);
  mkdirSync(plainB);
  await rsync(folder, plainA);
  await rsync(plainA, plainB);

  const cliNoop: number[] = [];
  const rsyncNoop: number[] = [];
  for (let i = 0; i < WARMUP + NOOP_RUNS; i += 1) {
    const run = await cli.run(['sync', folder]);
    const base = await rsync(plainA, plainB);
    if (!/↑ 0 files · ↓ 0 files/.test(run.out)) throw new Error(`a no-op sync did something: ${run.out}`);
    if (i < WARMUP) continue;
    cliNoop.push(run.ms);
    rsyncNoop.push(base);
  }

  const cliChange: number[] = [];
  const rsyncChange: number[] = [];
  const cliSent: number[] = [];
  const cliReceived: number[] = [];
  const compressed: number[] = [];
  for (let round = 0; round < CHANGE_ROUNDS; round += 1) {
    const change = changeFiles(folder, round, CHANGED);
    copyFiles(folder, plainA, change.paths);
    counter.reset();
    const run = await cli.run(['sync', folder]);
    if (!run.out.includes(`↑ ${CHANGED} files`)) throw new Error(`expected ${CHANGED} files up: ${run.out}`);
    cliSent.push(counter.sent());
    cliReceived.push(counter.received());
    compressed.push(change.compressed);
    cliChange.push(run.ms);
    rsyncChange.push(await rsync(plainA, plainB));
  }

  // ── (2) Berth ↔ Berth ──
  const remote = await api<RemoteDto>(
    laptop,
    'POST',
    '/api/v1/remotes',
    {
      url: counter.url,
      token: team.user.token,
      name: 'team',
    },
    201,
  );
  const { project: local } = await createProject(laptop, docker, 'sync-bench-laptop', defer);
  await api(
    laptop,
    'PUT',
    `/api/v1/projects/${local.id}/link`,
    { remoteId: remote.id, remoteProjectId: project.id },
    200,
  );
  const sync = () =>
    api<SyncResultDto>(laptop, 'POST', `/api/v1/projects/${local.id}/sync`, { mode: 'both', onConflict: 'ask' }, 200);
  const started = performance.now();
  let first = await sync();
  // The laptop's new workspace starts (and writes its template) meanwhile: a run may find it changing.
  for (let attempt = 0; !first.success && attempt < 5; attempt += 1) first = await sync();
  if (!first.success) throw new Error(`the laptop's first sync failed: ${first.errors.join('; ')}`);
  console.log(
    `── sync: laptop's first sync (${first.filesDownloaded} files down) in ${ms(performance.now() - started)}`,
  );

  const berthNoop: number[] = [];
  for (let i = 0; i < WARMUP + NOOP_RUNS; i += 1) {
    const t0 = performance.now();
    const result = await sync();
    const took = performance.now() - t0;
    if (result.filesUploaded + result.filesDownloaded !== 0) throw new Error(`a no-op sync moved files`);
    if (i >= WARMUP) berthNoop.push(took);
  }
  const berthChange: number[] = [];
  const berthSent: number[] = [];
  const berthCompressed: number[] = [];
  for (let round = 0; round < CHANGE_ROUNDS; round += 1) {
    const change = changeFiles(folder, 100 + round, CHANGED);
    for (const relative of change.paths) await saveFile(laptop, local, relative, path.join(folder, relative));
    counter.reset();
    const t0 = performance.now();
    const result = await sync();
    berthChange.push(performance.now() - t0);
    if (result.filesUploaded !== CHANGED) throw new Error(`expected ${CHANGED} files up, got ${result.filesUploaded}`);
    berthSent.push(counter.sent());
    berthCompressed.push(change.compressed);
  }

  const row = (name: string, s: Summary) => summaryRow(name, s);
  const s = {
    cliNoop: summarize(cliNoop),
    rsyncNoop: summarize(rsyncNoop),
    cliChange: summarize(cliChange),
    rsyncChange: summarize(rsyncChange),
    berthNoop: summarize(berthNoop),
    berthChange: summarize(berthChange),
  };
  printTable(`Sync with nothing to do, ${GEN_FILES} files (load ${loadAverage()})`, SUMMARY_HEADER, [
    p50GoalRow('berth sync (folder ↔ team, whole command)', s.cliNoop, NOOP_GOAL_MS),
    p50GoalRow('POST /sync (laptop Berth ↔ team Berth)', s.berthNoop, NOOP_GOAL_MS),
    row('baseline: rsync -a, two local folders', s.rsyncNoop),
  ]);
  printTable(`Sync of ${CHANGED} changed files out of ${GEN_FILES}`, SUMMARY_HEADER, [
    p50GoalRow('berth sync (folder → team)', s.cliChange, CHANGE_GOAL_MS),
    p50GoalRow('POST /sync (laptop → team)', s.berthChange, CHANGE_GOAL_MS),
    row('baseline: rsync -a of the same change', s.rsyncChange),
  ]);
  printTable(
    `Bytes sent for ${CHANGED} changed files (p50 of ${CHANGE_ROUNDS}; counted on the wire)`,
    ['what', 'sent', 'files gzip', 'ratio', 'goal', 'verdict'],
    [ratioRow('berth sync', cliSent, compressed), ratioRow('POST /sync', berthSent, berthCompressed)],
    [`berth sync also received ${kib(summarize(cliReceived).p50)} (p50): the team's state and answers`],
  );
  writeSection('sync', { ...s, cliSent, cliReceived, compressed, berthSent, berthCompressed });
});

async function saveFile(bench: BenchServer, project: ProjectDto, relative: string, from: string): Promise<void> {
  const res = await fetch(
    `${bench.base}/api/v1/projects/${project.id}/files/content?path=${encodeURIComponent(relative)}`,
    {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bench.user.token}`, 'Content-Type': 'application/octet-stream' },
      body: await readFile(from),
      signal: AbortSignal.timeout(30_000),
    },
  );
  if (!res.ok) throw new Error(`PUT ${relative}: ${res.status} ${await res.text()}`);
}
