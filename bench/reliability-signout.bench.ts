// Issue 17, figure "access that ends": from a sign-out (next-auth's POST /api/auth/signout) to
// the last of the session's sockets closed, over ROUNDS sessions with SOCKETS sockets each —
// p99 < 1 s. The same for deleting an access token with sockets opened with it. Baselines in
// the same run: the sign-out request's own round trip, and SOCKETS sockets connecting in
// parallel (the transport's floor).
import { io, type Socket } from 'socket.io-client';
import { benchServerEnv } from './lib/berth';
import { runBench } from './lib/cleanup';
import { startBenchPostgres } from './lib/postgres';
import { freePort, spawnServer, waitForOk } from './lib/process';
import { ensureBuilt, root, serverBundle, tempDir } from './lib/repo';
import { writeSection } from './lib/results';
import { createBenchUser } from './lib/seed';
import { rounded, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';

const ROUNDS = 30;
const SOCKETS = 5;
const GOAL_P99_MS = 1000;

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((line) => line.split(';')[0]!.trim());
}

async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookiePairs(csrf).join('; '),
      Origin: base,
    },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
  });
  await res.arrayBuffer();
  const session = cookiePairs(res).find((pair) => pair.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in set no session cookie (${res.status})`);
  return session;
}

async function signOut(base: string, session: string): Promise<void> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers: { Cookie: session } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: [session, ...cookiePairs(csrf)].join('; '),
      Origin: base,
    },
    body: new URLSearchParams({ csrfToken, json: 'true' }).toString(),
  });
  await res.arrayBuffer();
  if (res.status >= 400) throw new Error(`sign-out answered ${res.status}`);
}

async function open(
  base: string,
  headers: Record<string, string>,
): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = io(base, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const closed = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(performance.now())));
  return { socket, closed };
}

await runBench('reliability-signout', async (defer) => {
  await ensureBuilt();
  const dir = tempDir('berth-bench-signout-', defer);
  const db = await startBenchPostgres(dir, defer);
  const { base, env } = benchServerEnv(await freePort(), dir, db.url, { SOCKETS_MAX_PER_USER: String(SOCKETS * 4) });
  const server = spawnServer(process.execPath, ['--enable-source-maps', serverBundle], { cwd: root, env }, defer);
  await waitForOk(`${base}/api/ready`, server, { timeoutMs: 120_000 });
  const user = await createBenchUser(base);

  console.log(`── reliability-signout: ${ROUNDS} rounds, ${SOCKETS} sockets per session`);
  const signOutToLastClose: number[] = [];
  const signOutRequest: number[] = [];
  const tokenToLastClose: number[] = [];
  const connect: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const session = await signIn(base, user.email, user.password);
    const started = performance.now();
    const sockets = await Promise.all(
      Array.from({ length: SOCKETS }, () => open(base, { Origin: base, Cookie: session })),
    );
    connect.push(performance.now() - started);
    const t0 = performance.now();
    await signOut(base, session);
    signOutRequest.push(performance.now() - t0);
    const closedAt = await Promise.race([
      Promise.all(sockets.map((entry) => entry.closed)),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('sockets still open 10 s after sign-out')), 10_000),
      ),
    ]);
    signOutToLastClose.push(Math.max(...closedAt) - t0);

    const created = await fetch(`${base}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ name: `round ${round}` }),
    });
    const token = (await created.json()) as { id: string; token: string };
    const tokenSockets = await Promise.all(
      Array.from({ length: SOCKETS }, () => open(base, { Authorization: `Bearer ${token.token}` })),
    );
    const t1 = performance.now();
    const deleted = await fetch(`${base}/api/v1/tokens/${token.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${user.token}` },
    });
    if (deleted.status !== 204) throw new Error(`DELETE token answered ${deleted.status}`);
    const tokenClosed = await Promise.all(tokenSockets.map((entry) => entry.closed));
    tokenToLastClose.push(Math.max(...tokenClosed) - t1);
  }

  const figures: Record<string, Summary | unknown> = {
    rounds: ROUNDS,
    socketsPerSession: SOCKETS,
    goalP99Ms: GOAL_P99_MS,
  };
  const series = [
    {
      key: 'signOutToLastSocketClosed',
      name: 'sign-out → last of its sockets closed',
      samples: signOutToLastClose,
      goal: GOAL_P99_MS,
    },
    {
      key: 'tokenDeleteToLastSocketClosed',
      name: 'token DELETE → last of its sockets closed',
      samples: tokenToLastClose,
      goal: GOAL_P99_MS,
    },
    { key: 'signOutRequest', name: 'baseline: the sign-out request alone (round trip)', samples: signOutRequest },
    { key: 'connectSockets', name: `baseline: ${SOCKETS} sockets connecting in parallel`, samples: connect },
  ];
  const rows = series.map(({ name, samples, goal }) => {
    const summary = summarize(samples);
    return summaryRow(name, summary, goal ? `p99 < ${goal} ms` : '—', goal ? verdict(summary.p99, goal) : '—');
  });
  for (const { key, samples, goal } of series) {
    const summary = summarize(samples);
    figures[key] = { ...rounded(summary, 2), ...(goal ? { verdict: verdict(summary.p99, goal) } : {}) };
  }
  printTable(
    'Issue 17 — access that ends: time until every socket of an ended session or token is closed',
    SUMMARY_HEADER,
    rows,
    [
      'Sockets close when the request that ends the session is handled (in-process event), so the figure is about the request itself plus the close frames.',
    ],
  );
  writeSection('reliability-signout', figures);
  await server.stop('SIGTERM');
});
