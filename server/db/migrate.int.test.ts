import { fileURLToPath } from 'node:url';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { applyMigrations, readMigrations } from './migrate';
import { makeTempDir, silentLog } from './test-support';

const repoMigrations = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

describe('applyMigrations (real PostgreSQL)', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let server: EmbeddedPostgres | undefined;
  let dbCount = 0;

  // Each test gets a fresh database on the shared server.
  async function freshDatabase(): Promise<string> {
    const name = `t${++dbCount}`;
    const admin = new pg.Client({ connectionString: server!.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return server!.url.replace(/\/berth$/, `/${name}`);
  }

  async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    tmp = await makeTempDir('berth-migrate-test-');
    server = await startEmbeddedPostgres({ dataDir: join(tmp.path, 'postgres'), log: silentLog });
  });

  afterAll(async () => {
    await server?.stop();
    await tmp?.remove();
  });

  it('applies every migration once, then nothing', async () => {
    const url = await freshDatabase();
    const names = (await readMigrations(repoMigrations)).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);

    expect(await applyMigrations(url, repoMigrations, silentLog)).toEqual(names);
    expect(await applyMigrations(url, repoMigrations, silentLog)).toEqual([]);

    const rows = await query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
      url,
      'SELECT migration_name, finished_at, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.finished_at !== null && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['User', 'Project', 'ApiToken', '_prisma_migrations']),
    );
  });

  it('creates _prisma_migrations with the columns Prisma uses', async () => {
    const url = await freshDatabase();
    await applyMigrations(url, repoMigrations, silentLog);
    const cols = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(cols).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES' },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES' },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO' },
    ]);
  });

  it('refuses to start when an applied migration file was edited', async () => {
    const url = await freshDatabase();
    const dir = join(tmp.path, 'edited-migrations');
    await cp(repoMigrations, dir, { recursive: true });
    await applyMigrations(url, dir, silentLog);
    const [first] = await readMigrations(dir);
    await writeFile(join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
    await expect(applyMigrations(url, dir, silentLog)).rejects.toThrow(/modified after it was applied/);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const url = await freshDatabase();
    const dir = join(tmp.path, 'failing-migrations');
    await cp(repoMigrations, dir, { recursive: true });
    await cp(join(dir, '0001_init'), join(dir, '9999_broken'), { recursive: true });
    await writeFile(
      join(dir, '9999_broken', 'migration.sql'),
      'CREATE TABLE "Half" (id int);\nSELECT * FROM no_such_table;\n',
    );
    await expect(applyMigrations(url, dir, silentLog)).rejects.toThrow(/9999_broken failed and was rolled back/);
    const half = await query(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`);
    expect(half).toHaveLength(0);
    const recorded = await query<{ migration_name: string }>(url, 'SELECT migration_name FROM "_prisma_migrations"');
    expect(recorded.map((r) => r.migration_name)).not.toContain('9999_broken');
  });

  it('does not double-apply when several processes migrate at once', async () => {
    const url = await freshDatabase();
    const runs = await Promise.all(Array.from({ length: 4 }, () => applyMigrations(url, repoMigrations, silentLog)));
    const names = (await readMigrations(repoMigrations)).map((m) => m.name);
    expect(runs.flat().sort()).toEqual(names);
    const rows = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(rows[0]!.n)).toBe(names.length);
  });
});
