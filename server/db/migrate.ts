// Applies prisma/migrations/*/migration.sql at start-up, without Prisma's schema engine.
// Bookkeeping uses Prisma's own `_prisma_migrations` table and advisory-lock key, so
// `prisma migrate deploy` can take over (or run alongside) wherever the engine exists.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { DbLog } from './log';

// The key Prisma Migrate locks on PostgreSQL: we and it exclude each other.
const ADVISORY_LOCK_KEY = 72707369;

// Column for column what Prisma Migrate creates.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Like Prisma, a file still matches if only its line endings changed (git autocrlf). */
function sameScript(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((variant) => sha256(variant) === checksum);
}

export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read the migrations folder ${migrationsDir} (${err.code ?? err.message})`);
  });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8').catch(
      (err: NodeJS.ErrnoException) => {
        throw new Error(`Migration folder ${name} has no readable migration.sql (${err.code ?? err.message})`);
      },
    );
    files.push({ name, sql, checksum: sha256(sql) });
  }
  return files;
}

function checkHistory(files: MigrationFile[], applied: AppliedRow[], log: DbLog): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied) {
    const file = byName.get(row.migration_name);
    if (row.finished_at === null) {
      throw new Error(
        `Migration ${row.migration_name} was started but never finished (a failed \`prisma migrate deploy\`?). ` +
          'Fix the database by hand, then mark it rolled back or applied in _prisma_migrations.',
      );
    }
    if (!file) {
      log.warn(
        { migration: row.migration_name },
        'migration applied to the database is missing from the migrations folder',
      );
    } else if (!sameScript(file.sql, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was modified after it was applied (checksum mismatch). ` +
          'Never edit an applied migration: restore the file and add a new migration instead.',
      );
    }
  }
}

/** Applies the migrations the database lacks, in lexical order, each in its own transaction. Returns their names. */
export async function applyMigrations(databaseUrl: string, migrationsDir: string, log: DbLog): Promise<string[]> {
  const files = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const appliedNow: string[] = [];
  try {
    // Session-level lock: held across the per-migration transactions below.
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
    );
    checkHistory(files, rows, log);
    const done = new Set(rows.map((r) => r.migration_name));

    for (const file of files.filter((f) => !done.has(f.name))) {
      const started = Date.now();
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, $4, now(), 1)`,
          [randomUUID(), file.checksum, file.name, new Date(started)],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`Migration ${file.name} failed and was rolled back: ${(err as Error).message}`, { cause: err });
      }
      appliedNow.push(file.name);
      log.info({ migration: file.name, ms: Date.now() - started }, 'applied database migration');
    }
  } finally {
    // Ending the session also releases the advisory lock.
    await client.end().catch(() => undefined);
  }
  return appliedNow;
}
