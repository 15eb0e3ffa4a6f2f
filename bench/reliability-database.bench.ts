// Reliability: PostgreSQL hung for 30 s (every postgres process SIGSTOPped: TCP accepted, no
// answer) while a tab keeps saving a file in its running workspace (fs:write, every 100 ms) and
// database-backed REST calls keep coming (GET /api/v1/projects, every 50 ms). Figures: p99 of
// the REST calls during the outage (goal < 2 s, all 503 database_unavailable + Retry-After)
// and the share of saves that succeed (goal 100 %), each beside the same requests with the
// database up in the same run; then how long until REST answers 200 after PostgreSQL resumes,
// and after it is killed (SIGKILL: the supervisor starts it again).
// Berth runs in this process (startBerthServer, as the integration tests do: real Docker, real
// embedded PostgreSQL, no Next.js pages), so the figures do not wait on a production build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProjectDto } from '../server/contracts';
import { signalPostgres } from '../server/db/test-support';
import { call as rest, createSignedInUser, startTestServer } from '../server/test-support/api-test-server';
import { connectAs, openRunningWorkspace } from '../server/test-support/socket-client';
import { runBench } from './lib/cleanup';
import { root } from './lib/repo';
import { writeSection } from './lib/results';
import { ms, rounded, summarize } from './lib/stats';
import { printTable, verdict, type Cell } from './lib/table';

const PHASE_MS = 30_000;
const SAVE_EVERY_MS = 100;
/** REST calls are paced like a polling client: failing fast must not turn into thousands of calls. */
const CALL_EVERY_MS = 50;
const GOAL_P99_MS = 2_000;

interface RestSample {
  ms: number;
  status: number;
  retryAfter: boolean;
  code?: string;
}
interface SaveSample {
  ms: number;
  ok: boolean;
  code?: string;
}

await runBench('reliability-database', async (defer) => {
  process.env.WORKSPACE_IMAGE ??= readFileSync(path.join(root, '.data', 'workspace-image'), 'utf8').trim();
  console.log('── reliability-database: starting Berth (in-process), a user, a running workspace');
  const t = await startTestServer();
  defer('stop Berth', () => t.stop());
  const user = await createSignedInUser(t.baseUrl);
  const project = (await (
    await rest(
      t.baseUrl,
      'POST',
      '/api/v1/projects',
      { cookie: user.cookie },
      { name: 'Bench outage', template: 'blank-node' },
    )
  ).json()) as ProjectDto;
  defer(
    'delete the project',
    async () => void (await rest(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: user.cookie })),
  );
  const tab = await connectAs(t, user);
  defer('close the socket', () => tab.close());
  await openRunningWorkspace(tab, project.id);

  let version: string | null = null;
  const save = async (n: number): Promise<SaveSample> => {
    const began = performance.now();
    const ack = await tab.call<{ version: string }>('fs:write', {
      projectId: project.id,
      path: 'bench.txt',
      content: `save ${n}\n`,
      baseVersion: version,
    });
    if (ack.ok) version = ack.data.version;
    return { ms: performance.now() - began, ok: ack.ok, ...(ack.ok ? {} : { code: ack.error.code }) };
  };
  const list = async (): Promise<RestSample> => {
    const began = performance.now();
    const response = await rest(t.baseUrl, 'GET', '/api/v1/projects', { cookie: user.cookie });
    const body = (await response.json()) as { error?: string };
    return {
      ms: performance.now() - began,
      status: response.status,
      retryAfter: response.headers.has('retry-after'),
      ...(body.error ? { code: body.error } : {}),
    };
  };
  /** Saves and REST calls side by side for `PHASE_MS`. */
  const phase = async (): Promise<{ saves: SaveSample[]; calls: RestSample[] }> => {
    const saves: SaveSample[] = [];
    const calls: RestSample[] = [];
    const end = Date.now() + PHASE_MS;
    await Promise.all([
      (async () => {
        for (let n = 0; Date.now() < end; n++) {
          saves.push(await save(n));
          await new Promise((r) => setTimeout(r, SAVE_EVERY_MS));
        }
      })(),
      (async () => {
        while (Date.now() < end) {
          calls.push(await list());
          await new Promise((r) => setTimeout(r, CALL_EVERY_MS));
        }
      })(),
    ]);
    return { saves, calls };
  };
  /** Time until GET /api/v1/projects answers 200 (and `ready()` holds), polling every 50 ms. */
  const untilOk = async (ready: () => boolean = () => true): Promise<number> => {
    const began = performance.now();
    while (!ready() || (await list()).status !== 200) {
      if (performance.now() - began > 60_000) throw new Error('REST did not answer 200 within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - began;
  };

  console.log(`── reliability-database: baseline, database up (${PHASE_MS / 1000} s)`);
  const up = await phase();

  console.log(`── reliability-database: PostgreSQL hung (all its processes SIGSTOPped) for ${PHASE_MS / 1000} s`);
  const pid = t.server.database.postgresPid();
  if (!pid) throw new Error('the bench needs the embedded PostgreSQL (no DATABASE_URL)');
  signalPostgres(pid, 'SIGSTOP');
  defer('resume PostgreSQL', () => signalPostgres(pid, 'SIGCONT'));
  const hung = await phase();
  signalPostgres(pid, 'SIGCONT');
  const afterResumeMs = await untilOk();

  console.log('── reliability-database: PostgreSQL killed (SIGKILL); waiting for it to be started again');
  const killedPid = t.server.database.postgresPid()!;
  signalPostgres(killedPid, 'SIGKILL');
  // Its backends may answer a moment longer: wait for a new postmaster, then for REST.
  const afterKillMs = await untilOk(() => t.server.database.postgresPid() !== killedPid);
  const restartedPid = t.server.database.postgresPid();

  const share = (saves: SaveSample[]) => (saves.length ? (100 * saves.filter((s) => s.ok).length) / saves.length : 0);
  const restGood = (calls: RestSample[], status: number) =>
    calls.filter((c) => c.status === status && (status === 200 || (c.code === 'database_unavailable' && c.retryAfter)))
      .length;
  const upRest = summarize(up.calls.map((c) => c.ms));
  const hungRest = summarize(hung.calls.map((c) => c.ms));
  const upSave = summarize(up.saves.map((s) => s.ms));
  const hungSave = summarize(hung.saves.map((s) => s.ms));
  const hungAll503 = restGood(hung.calls, 503) === hung.calls.length;
  const failedCodes = [...new Set(hung.saves.filter((s) => !s.ok).map((s) => s.code))];

  const rows: Cell[][] = [
    [
      'GET /api/v1/projects, database up (baseline)',
      upRest.n,
      ms(upRest.p50),
      ms(upRest.p99),
      ms(upRest.max),
      `${restGood(up.calls, 200)}/${up.calls.length} 200`,
      '—',
      '—',
    ],
    [
      'GET /api/v1/projects, database hung',
      hungRest.n,
      ms(hungRest.p50),
      ms(hungRest.p99),
      ms(hungRest.max),
      `${restGood(hung.calls, 503)}/${hung.calls.length} 503+Retry-After`,
      `p99 < ${GOAL_P99_MS} ms, all 503`,
      hungAll503 ? verdict(hungRest.p99, GOAL_P99_MS) : 'MISS',
    ],
    [
      'fs:write (editor save), database up (baseline)',
      upSave.n,
      ms(upSave.p50),
      ms(upSave.p99),
      ms(upSave.max),
      `${share(up.saves).toFixed(1)} % ok`,
      '—',
      '—',
    ],
    [
      'fs:write (editor save), database hung',
      hungSave.n,
      ms(hungSave.p50),
      ms(hungSave.p99),
      ms(hungSave.max),
      `${share(hung.saves).toFixed(1)} % ok`,
      '100 % ok',
      share(hung.saves) === 100 ? 'PASS' : 'MISS',
    ],
  ];
  printTable(
    `Database outage — ${PHASE_MS / 1000} s hung PostgreSQL; a save every ${SAVE_EVERY_MS} ms and a REST call every ${CALL_EVERY_MS} ms beside it`,
    ['what', 'n', 'p50', 'p99', 'max', 'answers', 'goal', 'verdict'],
    rows,
    [
      'The slowest outage answers are the calls in flight when PostgreSQL stopped: they fail once it has been silent for 1.25 s.',
      `REST answers 200 again ${ms(afterResumeMs)} after PostgreSQL resumes (SIGCONT).`,
      `Killed with SIGKILL (pid ${killedPid}): restarted by the supervisor (pid ${restartedPid}); REST answers 200 again after ${ms(afterKillMs)}.`,
      ...(failedCodes.length ? [`Failed saves answered: ${failedCodes.join(', ')}`] : []),
    ],
  );

  writeSection('reliability-database', {
    phaseMs: PHASE_MS,
    saveEveryMs: SAVE_EVERY_MS,
    callEveryMs: CALL_EVERY_MS,
    goalP99Ms: GOAL_P99_MS,
    restUp: { ...rounded(upRest, 1), ok200: restGood(up.calls, 200) },
    restHung: {
      ...rounded(hungRest, 1),
      answered503WithRetryAfter: restGood(hung.calls, 503),
      verdict: hungAll503 ? verdict(hungRest.p99, GOAL_P99_MS) : 'MISS',
    },
    savesUp: { ...rounded(upSave, 1), okPercent: share(up.saves) },
    savesHung: {
      ...rounded(hungSave, 1),
      okPercent: share(hung.saves),
      verdict: share(hung.saves) === 100 ? 'PASS' : 'MISS',
    },
    restOkAfterResumeMs: Math.round(afterResumeMs),
    restOkAfterKillMs: Math.round(afterKillMs),
  });
});
