// Figure 1: `npm start` on a built tree until /api/ready answers 200, embedded database
// included — first run on an empty DATA_DIR (initdb) apart from warm runs. Baselines in
// the same run show where the time goes: bare Node HTTP start, the embedded PostgreSQL
// alone, npm start's build check, and the server alone against an already running database.
import path from 'node:path';
import { applyMigrations, startEmbeddedPostgres } from '../server/db/index';
import { runBench, type Defer } from './lib/cleanup';
import { benchDbLog, startBenchPostgres } from './lib/postgres';
import { ensurePostgresGone, freePort, postmasterPid, spawnServer, waitForOk, type Spawned } from './lib/process';
import { ensureBuilt, loadSourceHash, migrationsDir, root, serverBundle, tempDir } from './lib/repo';
import { writeSection } from './lib/results';
import { rounded, seconds, summarize } from './lib/stats';
import { printTable, type Cell } from './lib/table';

const RUNS = 5; // npm start: 1 on an empty DATA_DIR + 4 on the existing one
const MAX_DISCARDED = 3; // runs thrown away because sources changed under us and start.mjs rebuilt

interface StartRun {
  readyMs: number;
  stopMs: number;
}

function serverEnv(port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BERTH_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

/** Spawns, waits for `readyPath` = 200, stops with SIGTERM and waits for it (and its postgres) to be gone. */
async function timeStart(
  defer: Defer,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  pgDataDir?: string,
): Promise<StartRun & { server: Spawned }> {
  const started = performance.now();
  const server = spawnServer(command, args, { cwd: root, env }, defer);
  await waitForOk(readyUrl, server, { intervalMs: 25, timeoutMs: 180_000 });
  const readyMs = performance.now() - started;

  const pgPid = pgDataDir ? postmasterPid(pgDataDir) : undefined;
  if (pgDataDir && pgPid === undefined) throw new Error(`no postmaster.pid in ${pgDataDir} while the server is ready`);
  const stopStarted = performance.now();
  await server.stop('SIGTERM');
  const { code, signal } = await server.exited;
  const cleanExit = await ensurePostgresGone(pgPid);
  const stopMs = performance.now() - stopStarted;
  if (!cleanExit) throw new Error('the embedded PostgreSQL outlived the server');
  if (pgDataDir && code !== 0) throw new Error(`server exited with ${code ?? signal} on SIGTERM:\n${server.output()}`);
  return { readyMs, stopMs, server };
}

async function npmStartRuns(defer: Defer): Promise<{ cold: StartRun; warm: StartRun[]; discarded: number }> {
  let discarded = 0;
  let dataDir = '';
  const runs: StartRun[] = [];
  while (runs.length < RUNS) {
    if (runs.length === 0) dataDir = tempDir('berth-bench-start-', defer); // empty: this run includes initdb
    const port = await freePort();
    const run = await timeStart(
      defer,
      process.execPath,
      [path.join(root, 'scripts', 'start.mjs')],
      serverEnv(port, { DATA_DIR: dataDir }),
      `http://127.0.0.1:${port}/api/ready`,
      path.join(dataDir, 'postgres'),
    );
    if (/building \(next build/.test(run.server.output())) {
      // Someone changed the sources meanwhile: this run timed a build, not a start.
      if (++discarded > MAX_DISCARDED) throw new Error('sources keep changing; every start rebuilt');
      console.log(`  (run discarded: start.mjs rebuilt because sources changed during the bench)`);
      continue;
    }
    runs.push(run);
    console.log(
      `  npm start #${runs.length}${runs.length === 1 ? ' (empty DATA_DIR)' : ''}: ready in ${seconds(run.readyMs)}, stopped in ${seconds(run.stopMs)}`,
    );
  }
  return { cold: runs[0]!, warm: runs.slice(1), discarded };
}

async function bareNodeRuns(defer: Defer): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const script = "require('http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,'127.0.0.1')";
    const run = await timeStart(
      defer,
      process.execPath,
      ['-e', script],
      { ...process.env, PORT: String(port) },
      `http://127.0.0.1:${port}/`,
    );
    samples.push(run.readyMs);
  }
  return samples;
}

async function embeddedPostgresRuns(dir: string): Promise<{ cold: number; warm: number[]; stop: number[] }> {
  const dataDir = path.join(dir, 'postgres');
  const times: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const pg = await startEmbeddedPostgres({ dataDir, log: benchDbLog });
    times.push(performance.now() - started);
    const stopStarted = performance.now();
    await pg.stop();
    stops.push(performance.now() - stopStarted);
  }
  return { cold: times[0]!, warm: times.slice(1), stop: stops };
}

async function buildCheckRuns(): Promise<number[]> {
  const sourceHash = await loadSourceHash();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    sourceHash();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The server alone (no build check, no embedded database): `node dist/server.mjs` with DATABASE_URL. */
async function serverOnlyRuns(defer: Defer, databaseUrl: string, dataDir: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS - 1; i++) {
    const port = await freePort();
    const run = await timeStart(
      defer,
      process.execPath,
      ['--enable-source-maps', serverBundle],
      serverEnv(port, { DATA_DIR: dataDir, DATABASE_URL: databaseUrl }),
      `http://127.0.0.1:${port}/api/ready`,
    );
    samples.push(run.readyMs);
  }
  return samples;
}

await runBench('startup', async (defer) => {
  console.log('── startup: making sure the production build is up to date');
  await ensureBuilt();

  console.log('── startup: npm start → /api/ready (polled every 25 ms)');
  const npm = await npmStartRuns(defer);

  console.log('── startup: baselines');
  const bare = await bareNodeRuns(defer);
  const pgDir = tempDir('berth-bench-pg-', defer);
  const pg = await embeddedPostgresRuns(pgDir);
  const buildCheck = await buildCheckRuns();
  const db = await startBenchPostgres(pgDir, defer);
  const migrateStarted = performance.now();
  await applyMigrations(db.url, migrationsDir, benchDbLog);
  const migrateMs = performance.now() - migrateStarted;
  const serverOnly = await serverOnlyRuns(defer, db.url, pgDir);

  const warm = summarize(npm.warm.map((r) => r.readyMs));
  const stops = summarize([npm.cold, ...npm.warm].map((r) => r.stopMs));
  const row = (name: string, samples: readonly number[]): Cell[] => {
    const s = summarize(samples);
    return [name, s.n, seconds(s.min), seconds(s.p50), seconds(s.max), '—', '—'];
  };
  printTable(
    'Figure 1 — `npm start` on a built tree → GET /api/ready = 200, embedded PostgreSQL included',
    ['what', 'runs', 'min', 'p50', 'max', 'goal', 'verdict'],
    [
      row('npm start, empty DATA_DIR (initdb + migrations)', [npm.cold.readyMs]),
      row(
        'npm start, existing DATA_DIR',
        npm.warm.map((r) => r.readyMs),
      ),
      row(
        '  stop: SIGTERM → exit, postgres gone',
        [npm.cold, ...npm.warm].map((r) => r.stopMs),
      ),
      row('baseline: bare Node HTTP server → 200', bare),
      row('baseline: embedded PostgreSQL start, empty dir (initdb)', [pg.cold]),
      row('baseline: embedded PostgreSQL start, existing dir', pg.warm),
      row('part: build check (source hash, in-process)', buildCheck),
      row('part: migrations on an empty database (in-process)', [migrateMs]),
      row('part: node dist/server.mjs, database already up', serverOnly),
    ],
    [
      'No goal is set for this figure; it is reported, not judged. Readiness is polled every 25 ms (±25 ms).',
      `npm start = node scripts/start.mjs (build check, then node dist/server.mjs); ${npm.discarded} run(s) discarded for rebuilding.`,
    ],
  );

  writeSection('startup', {
    npmStartColdMs: Math.round(npm.cold.readyMs),
    npmStartWarmMs: rounded(warm, 0),
    stopMs: rounded(stops, 0),
    discardedRuns: npm.discarded,
    baselines: {
      bareNodeHttpMs: rounded(summarize(bare), 0),
      embeddedPostgresColdMs: Math.round(pg.cold),
      embeddedPostgresWarmMs: rounded(summarize(pg.warm), 0),
      embeddedPostgresStopMs: rounded(summarize(pg.stop), 0),
      buildCheckMs: rounded(summarize(buildCheck), 1),
      migrationsEmptyDbMs: Math.round(migrateMs),
      serverWithRunningDbMs: rounded(summarize(serverOnly), 0),
    },
    method: { runs: RUNS, pollIntervalMs: 25, command: 'node scripts/start.mjs' },
  });
});
