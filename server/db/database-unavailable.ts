// Tells "the database is down or not answering" apart from every other database error, so
// callers can answer 503 (retry later) instead of 500, and serve cached answers meanwhile.

/** Thrown by the Prisma client while the database is unreachable (see database-health.ts). */
export class DatabaseUnavailableError extends Error {
  readonly code = 'database_unavailable';
  constructor(message = 'The database is not answering; try again shortly', options?: { cause?: unknown }) {
    super(message, options);
  }
}

// node-postgres's own messages for a connection that never came or went away.
const PG_CONNECTION_MESSAGES =
  /Can't reach database server|timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|is not currently accepting connections|terminating connection due to/i;
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// Prisma's "can't reach / timed out / closed" codes; P2024 is its own pool's wait timeout.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// The driver adapter's kinds for the same (see @prisma/adapter-pg's convertDriverError).
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// SQLSTATE: class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now).
const isUnavailableSqlState = (code: string): boolean => code.startsWith('08') || /^57P0[1-3]$/.test(code);

/** True for errors that mean the database could not be reached in time (not a bad query). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    kind?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (e.code === 'database_unavailable') return true;
  if (
    typeof e.code === 'string' &&
    (SOCKET_CODES.has(e.code) ||
      PRISMA_CODES.has(e.code) ||
      (/^[0-9A-Z]{5}$/.test(e.code) && isUnavailableSqlState(e.code)))
  )
    return true;
  if (
    typeof e.kind === 'string' &&
    (ADAPTER_KINDS.has(e.kind) || (e.kind === 'postgres' && isUnavailableSqlState(String(e.code))))
  )
    return true;
  if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}
