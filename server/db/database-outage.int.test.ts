// PostgreSQL hung (every postgres process stopped: TCP is accepted, nothing answers) or killed:
// queries fail within 2 s with DatabaseUnavailableError instead of hanging 10–60 s, work again
// once it is back, and a killed embedded PostgreSQL is started again by itself.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database';
import { isDatabaseUnavailable } from './database-unavailable';
import { makeTempDir, signalPostgres, silentLog } from './test-support';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let db: Database;
let frozenPid: number | undefined;

beforeAll(async () => {
  tmp = await makeTempDir('berth-outage-test-');
  db = await openDatabase({ dataDir: tmp.path, migrationsDir, log: silentLog });
}, 60_000);

afterAll(async () => {
  if (frozenPid) signalPostgres(frozenPid, 'SIGCONT');
  await db?.close();
  await tmp?.remove();
});

/** How long a query takes to settle, and how. */
async function timed(): Promise<{ ms: number; error?: unknown }> {
  const began = performance.now();
  try {
    await db.prisma.project.findMany({ take: 1 });
    return { ms: performance.now() - began };
  } catch (error) {
    return { ms: performance.now() - began, error };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const began = performance.now();
  while (!(await check())) {
    if (performance.now() - began > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - began;
}

describe('PostgreSQL hung or killed', () => {
  it('fails queries within 2 s while it hangs, and answers again once it resumes', async () => {
    // Warm pool connections: queries on them wait on a server that never answers.
    await Promise.all([timed(), timed(), timed()]);
    const pid = db.postgresPid()!;
    signalPostgres(pid, 'SIGSTOP');
    frozenPid = pid;
    const during = await Promise.all(Array.from({ length: 12 }, () => timed()));
    for (const result of during) {
      expect(isDatabaseUnavailable(result.error)).toBe(true);
      expect(result.ms).toBeLessThan(2_000);
    }
    expect(db.state()).toBe('down');
    // Once known down, a query fails at once.
    const later = await timed();
    expect(isDatabaseUnavailable(later.error)).toBe(true);
    expect(later.ms).toBeLessThan(100);
    expect(await db.ping()).toBe(false);

    signalPostgres(pid, 'SIGCONT');
    frozenPid = undefined;
    await until(async () => (await timed()).error === undefined, 5_000);
    expect(db.state()).toBe('up');
  }, 30_000);

  it('restarts a killed embedded PostgreSQL by itself', async () => {
    const pid = db.postgresPid()!;
    signalPostgres(pid, 'SIGKILL');
    await until(async () => !isAlive(pid), 5_000);
    await until(async () => (await timed()).error === undefined, 20_000);
    expect(db.postgresPid()).not.toBe(pid);
    expect(await db.ping()).toBe(true);
  }, 30_000);
});
