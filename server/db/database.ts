// Opens Berth's database: the configured DATABASE_URL or an embedded PostgreSQL,
// migrated to the latest schema, with a Prisma client and a cheap readiness probe.
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { applyMigrations } from './migrate';
import { createPrismaClient, type PrismaClient } from './prisma';
import { DatabaseHealth, type DatabaseState } from './database-health';
import type { DbLog } from './log';

export interface OpenDatabaseOptions {
  /** Use this server; when absent an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl?: string;
  /** Berth's data folder (e.g. `.data`); the embedded cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Default `<cwd>/prisma/migrations`. */
  migrationsDir?: string;
  log: DbLog;
  /** Receives the embedded PostgreSQL's own log lines. */
  onPostgresLog?: (line: string) => void;
  /** The error queries throw while the database is unreachable (e.g. an HTTP 503); see prisma.ts. */
  unavailableError?: (cause: unknown) => Error;
}

export interface Database {
  prisma: PrismaClient;
  url: string;
  /** True when Berth started its own embedded PostgreSQL. */
  embedded: boolean;
  /** PID of the embedded PostgreSQL server running now (changes after a restart); undefined when not embedded. */
  postgresPid(): number | undefined;
  /** Probed every half second on a connection of its own; queries fail fast while it is 'down'. */
  state(): DatabaseState;
  /** `SELECT 1` within `timeoutMs` (default 2000); false on error, timeout or after close(). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Idempotent: disconnects Prisma, then stops the embedded PostgreSQL if any. */
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { log } = options;
  const migrationsDir = options.migrationsDir ?? resolve('prisma', 'migrations');
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(options.dataDir, 'postgres'),
      log,
      ...(options.onPostgresLog ? { onLog: options.onPostgresLog } : {}),
    });
    url = embedded.url;
  }

  let prisma: PrismaClient;
  const health = new DatabaseHealth(url, {
    onChange: (state, cause) =>
      state === 'down'
        ? log.warn({ err: cause }, 'database is not answering; database-backed requests answer 503 until it is back')
        : log.info('database is answering again'),
  });
  try {
    await applyMigrations(url, migrationsDir, log);
    prisma = createPrismaClient(url, {
      health,
      ...(options.unavailableError ? { unavailableError: options.unavailableError } : {}),
    });
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  health.start();

  let closed: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    health.stop();
    try {
      await prisma.$disconnect();
    } finally {
      await embedded?.stop();
    }
  };

  const ping = async (timeoutMs = 2000): Promise<boolean> => {
    if (closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const query = prisma.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    prisma,
    url,
    embedded: embedded !== undefined,
    state: () => health.state,
    postgresPid: () => embedded?.pid(),
    ping,
    close: () => (closed ??= close()),
  };
}
