import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database';
import { makeTempDir, silentLog } from './test-support';

const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

describe('openDatabase with an embedded PostgreSQL', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let db: Database | undefined;

  beforeAll(async () => {
    tmp = await makeTempDir('berth-database-test-');
    db = await openDatabase({ dataDir: tmp.path, migrationsDir, log: silentLog });
  });

  afterAll(async () => {
    await db?.close();
    await tmp?.remove();
  });

  it('starts embedded, migrated, and answers ping', async () => {
    expect(db!.embedded).toBe(true);
    expect(db!.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/berth$/);
    expect(existsSync(join(tmp.path, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(await db!.ping()).toBe(true);
  });

  it('creates a user and a project through Prisma', async () => {
    const prisma = db!.prisma;
    const user = await prisma.user.create({ data: { email: 'ada@example.com', name: 'Ada' } });
    const project = await prisma.project.create({ data: { ownerId: user.id, name: 'First', template: 'node' } });
    const found = await prisma.user.findUniqueOrThrow({
      where: { email: 'ada@example.com' },
      include: { projects: true },
    });
    expect(found.projects.map((p) => p.id)).toEqual([project.id]);
    expect(project.createdAt).toBeInstanceOf(Date);
    await expect(prisma.user.create({ data: { email: 'ada@example.com', name: 'Dup' } })).rejects.toMatchObject({
      code: 'P2002',
    });
  });

  it('keeps data across a restart of the same data folder', async () => {
    await db!.close();
    db = await openDatabase({ dataDir: tmp.path, migrationsDir, log: silentLog });
    expect(await db.prisma.user.count()).toBe(1);
  });

  it('closes cleanly and idempotently; ping is false afterwards', async () => {
    const url = new URL(db!.url);
    await Promise.all([db!.close(), db!.close()]);
    await db!.close();
    expect(await db!.ping()).toBe(false);
    // The embedded server is really gone: nothing listens on its port any more.
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: url.href, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
    expect(existsSync(join(tmp.path, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
