// Figure 2: GET /api/v1/projects for a user with 1,000 projects — p50/p99 over 200
// sequential keep-alive requests after 20 warm-up requests, with a bearer token and with
// the session cookie. Baselines in the same run: GET /api/health through the same server
// (HTTP floor), the same SELECT through `pg` directly (DB floor), and on the way between
// them Prisma's findMany in-process and GET /api/v1/me (auth + one row).
import pg from 'pg';
import { createPrismaClient } from '../server/db/index';
import { benchServerEnv } from './lib/berth';
import { runBench } from './lib/cleanup';
import { startBenchPostgres } from './lib/postgres';
import { freePort, spawnServer, waitForOk } from './lib/process';
import { ensureBuilt, root, serverBundle, tempDir } from './lib/repo';
import { writeSection } from './lib/results';
import { createBenchUser, insertProjects } from './lib/seed';
import { rounded, summarize, timeSequential, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER_NO_MIN, summaryRow, verdict } from './lib/table';

const PROJECTS = 1000;
const REQUESTS = 200;
const WARMUP = 20;
const GOAL_P50_MS = 20;

const LIST_SQL =
  'SELECT id, name, template, "createdAt", "updatedAt", "lastOpenedAt" FROM "Project" WHERE "ownerId" = $1 ' +
  'ORDER BY "lastOpenedAt" DESC NULLS LAST, "updatedAt" DESC';

/** One sequential GET; the body is read completely; anything but 200 aborts the bench. */
function getter(url: string, headers: Record<string, string>): () => Promise<void> {
  return async () => {
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    if (res.status !== 200)
      throw new Error(`GET ${url}: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  };
}

await runBench('projects-list', async (defer) => {
  console.log('── projects-list: making sure the production build is up to date');
  await ensureBuilt();

  const dir = tempDir('berth-bench-list-', defer);
  const db = await startBenchPostgres(dir, defer);
  const { base, env } = benchServerEnv(await freePort(), dir, db.url);
  const server = spawnServer(process.execPath, ['--enable-source-maps', serverBundle], { cwd: root, env }, defer);
  await waitForOk(`${base}/api/ready`, server, { timeoutMs: 120_000 });

  console.log(`── projects-list: seeding a user (sign-up, sign-in, token) and ${PROJECTS} projects`);
  const user = await createBenchUser(base);
  await insertProjects(db.url, user.id, PROJECTS);

  const listUrl = `${base}/api/v1/projects`;
  const bearer = { Authorization: `Bearer ${user.token}` };
  const cookie = { Cookie: user.cookie };
  for (const [how, headers] of [
    ['bearer', bearer],
    ['cookie', cookie],
  ] as const) {
    const res = await fetch(listUrl, { headers });
    const list = (await res.json()) as { name: string }[];
    if (res.status !== 200 || !Array.isArray(list) || list.length !== PROJECTS) {
      throw new Error(
        `GET /api/v1/projects (${how}) returned ${res.status} with ${Array.isArray(list) ? list.length : 'no'} items, expected ${PROJECTS}`,
      );
    }
    if (list[0]?.name !== `Bench project ${PROJECTS}`)
      throw new Error(`unexpected order: first item is ${list[0]?.name}`);
  }
  const sample = await fetch(listUrl, { headers: bearer });
  const responseBytes = (await sample.arrayBuffer()).byteLength;
  const encoding = sample.headers.get('content-encoding') ?? 'uncompressed';

  console.log(`── projects-list: ${REQUESTS} sequential requests per series after ${WARMUP} warm-up`);
  const series: { key: string; name: string; goal?: number; samples: number[] }[] = [];
  const measure = async (key: string, name: string, fn: () => Promise<void>, goal?: number) => {
    series.push({ key, name, goal, samples: await timeSequential(REQUESTS, WARMUP, fn) });
  };

  await measure('listBearer', 'GET /api/v1/projects, bearer token', getter(listUrl, bearer), GOAL_P50_MS);
  await measure('listCookie', 'GET /api/v1/projects, session cookie', getter(listUrl, cookie), GOAL_P50_MS);
  await measure('health', 'baseline: GET /api/health (HTTP floor)', getter(`${base}/api/health`, {}));
  await measure('meBearer', 'part: GET /api/v1/me, bearer (auth + 1 row)', getter(`${base}/api/v1/me`, bearer));
  await measure('meCookie', 'part: GET /api/v1/me, session cookie', getter(`${base}/api/v1/me`, cookie));

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  defer('close pg client', () => client.end());
  await measure('sql', 'baseline: same SELECT through pg (DB floor)', async () => {
    const { rowCount } = await client.query(LIST_SQL, [user.id]);
    if (rowCount !== PROJECTS) throw new Error(`SELECT returned ${rowCount} rows`);
  });
  const plan = (
    await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${LIST_SQL}`, [user.id])
  ).rows.map((r) => r['QUERY PLAN']);

  const prisma = createPrismaClient(db.url, { maxConnections: 2 });
  defer('disconnect prisma', () => prisma.$disconnect());
  await measure('prisma', 'part: same findMany through Prisma, in-process', async () => {
    const rows = await prisma.project.findMany({
      where: { ownerId: user.id },
      select: { id: true, name: true, template: true, createdAt: true, updatedAt: true, lastOpenedAt: true },
      orderBy: [{ lastOpenedAt: { sort: 'desc', nulls: 'last' } }, { updatedAt: 'desc' }],
    });
    if (rows.length !== PROJECTS) throw new Error(`findMany returned ${rows.length} rows`);
  });

  const summaries = series.map((s) => ({ ...s, summary: summarize(s.samples) }));
  const rows = summaries.map(({ name, goal, summary: s }) =>
    summaryRow(name, s, goal === undefined ? '—' : `p50 < ${goal} ms`, verdict(s.p50, goal), { min: false }),
  );
  printTable(
    `Figure 2 — GET /api/v1/projects, user with ${PROJECTS} projects (${(responseBytes / 1024).toFixed(0)} KiB JSON, ${encoding}), sequential keep-alive`,
    SUMMARY_HEADER_NO_MIN,
    rows,
    [
      'Times are client-side, request sent → body fully read. Query plan of the list SELECT:',
      ...plan.map((line) => `    ${line}`),
    ],
  );

  const figures: Record<string, Summary | unknown> = {
    projects: PROJECTS,
    requests: REQUESTS,
    warmup: WARMUP,
    goalP50Ms: GOAL_P50_MS,
    responseBytes,
    responseEncoding: encoding,
    queryPlan: plan,
  };
  for (const { key, goal, summary } of summaries) {
    figures[key] = { ...rounded(summary, 2), ...(goal === undefined ? {} : { verdict: verdict(summary.p50, goal) }) };
  }
  writeSection('projects-list', figures);
  await server.stop('SIGTERM');
});
