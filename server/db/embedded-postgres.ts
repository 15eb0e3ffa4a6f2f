// Starts a private PostgreSQL server for Berth when no DATABASE_URL is configured:
// real PostgreSQL binaries from npm, a persistent data folder, a free loopback port.
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { prepareDataDir, reachableBinaries } from './data-dir';
import { ensureCluster, SUPERUSER } from './postgres-cluster';
import { findPostgresBinaries } from './postgres-binaries';
import { PortInUseError, spawnPostgres, type PostgresProcess } from './postgres-process';
import { clearStalePostmaster } from './postmaster-pid';
import { supervisePostgres } from './postgres-supervisor';
import { resolveRunAs } from './run-as';
import type { DbLog } from './log';

export interface EmbeddedPostgresOptions {
  /** PostgreSQL's data folder; default `<cwd>/.data/postgres`. Kept across runs. */
  dataDir?: string;
  /** Database created on start if missing; default `berth`. */
  database?: string;
  log: DbLog;
  /** Receives every line PostgreSQL prints (it is never written to our stdout). */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgresql://… URL of `database` on 127.0.0.1. */
  url: string;
  port: number;
  /** The folder actually used (may be a fallback under /var/lib/berth when running as root). */
  dataDir: string;
  /** PID of the postgres server running now (it changes when a crashed one is restarted). */
  pid(): number;
  /** Idempotent; fast shutdown of the server. */
  stop(): Promise<void>;
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function urlFor(password: string, port: number, database: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (err) {
    // Two starters racing on one cluster: the loser sees duplicate_database.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { log, onLog } = options;
  const database = options.database ?? 'berth';
  const runAs = resolveRunAs(log);
  const binaries = await reachableBinaries(await findPostgresBinaries(), runAs, log);
  const dataDir = await prepareDataDir(options.dataDir ?? resolve('.data', 'postgres'), runAs, log);
  const password = await ensureCluster(dataDir, binaries, runAs, log);
  await clearStalePostmaster(dataDir, log);

  let server: PostgresProcess | undefined;
  let port = 0;
  for (let attempt = 1; !server; attempt++) {
    port = await findFreePort();
    try {
      server = await spawnPostgres({ binaries, dataDir, port, runAs, log, onLog });
    } catch (err) {
      // Another process may grab the port between findFreePort() and postgres binding it.
      if (!(err instanceof PortInUseError) || attempt >= 3) throw err;
    }
  }

  try {
    await ensureDatabase(urlFor(password, port, 'postgres'), database);
  } catch (err) {
    await server.stop();
    throw err;
  }
  log.info({ dataDir, port, database }, 'embedded PostgreSQL started');
  // Restarted on the same port when it dies, so the pool's URL stays valid.
  const supervisor = supervisePostgres(server, {
    log,
    start: async () => {
      await clearStalePostmaster(dataDir, log);
      return spawnPostgres({ binaries, dataDir, port, runAs, log, onLog });
    },
  });
  return {
    url: urlFor(password, port, database),
    port,
    dataDir,
    pid: () => supervisor.current().pid,
    stop: supervisor.stop,
  };
}
