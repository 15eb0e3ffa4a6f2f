// server/db — Berth's database: the Prisma client (generated into ./generated), the
// start-up migration runner over prisma/migrations, and the embedded PostgreSQL used
// when no DATABASE_URL is set. It imports nothing from other server/ folders; callers
// import from this file only (never from ./generated or the helpers directly) and
// construct the database once, in server/main.ts.
export { openDatabase, type Database, type OpenDatabaseOptions } from './database';
export { applyMigrations } from './migrate';
export { withAdvisoryLock } from './advisory-lock';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
export { createPrismaClient, type PrismaClientOptions } from './prisma';
export type { DbLog } from './log';
export { Prisma } from './generated/client';
export type { PrismaClient, User, Project, ApiToken, Account, Session, VerificationToken } from './generated/client';
export { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';
export { DatabaseHealth, type DatabaseState } from './database-health';
