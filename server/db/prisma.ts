// Builds the generated Prisma 7 client on a `pg` pool through the driver adapter:
// no Rust query engine at run time.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import type { DatabaseHealth } from './database-health';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable';

/** Waiting for a pool connection (or making one) longer than this means the database is not answering. */
export const CONNECT_TIMEOUT_MS = 1_500;
/** Server-side limit on one statement; Berth's longest (snapshot blob batches) take seconds. */
export const STATEMENT_TIMEOUT_MS = 30_000;

export interface PrismaClientOptions {
  /** Pool size; modest by default (PostgreSQL's own limit is 100 connections). */
  maxConnections?: number;
  /** When given, queries fail at once while it reports the database down, and in-flight ones when it goes down. */
  health?: DatabaseHealth;
  /** The error thrown for an unreachable database (e.g. an HTTP 503 error); default DatabaseUnavailableError. */
  unavailableError?: (cause: unknown) => Error;
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    // A server that hangs never enforces statement_timeout: the client gives the connection up too
    // (database-health.ts fails the caller much sooner; this frees the pool slot).
    query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
  });
  const client = new PrismaClient({ adapter });
  const { health } = options;
  const unavailable =
    options.unavailableError ?? ((cause: unknown) => new DatabaseUnavailableError(undefined, { cause }));
  const extended = client.$extends({
    query: {
      async $allOperations({ args, query }) {
        if (health?.state === 'down') throw unavailable(new Error('database health probe failed'));
        let offDown = (): void => undefined;
        const wentDown = new Promise<never>((_, reject) => {
          if (health) offDown = health.onceDown((cause) => reject(unavailable(cause)));
        });
        try {
          return await Promise.race([query(args), wentDown]);
        } catch (error) {
          // Raw driver errors (refused, reset, pool timeout) become the one unavailable error.
          throw isDatabaseUnavailable(error) && (error as { code?: unknown }).code !== 'database_unavailable'
            ? unavailable(error)
            : error;
        } finally {
          offDown();
        }
      },
    },
  });
  // Same surface as the plain client (a query extension adds no methods or types).
  return extended as unknown as PrismaClient;
}

export type { PrismaClient };
