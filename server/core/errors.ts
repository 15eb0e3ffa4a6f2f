// Errors that refuse a request in domain terms: services throw them, the adapters translate.
// A DomainError carries what kind of refusal it is (`kind`, a closed union), the code clients
// see (`code`, e.g. 'workspace_stopping', unchanged on the wire) and a message; no HTTP status.
// server/http maps each kind to its status in one table; server/socket answers {code, message}.

/** What kind of refusal: each one is answered with one HTTP status (server/http/error-status.ts). */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  /** A conditional write whose condition no longer holds (a stale version). */
  | 'precondition_failed'
  | 'too_large'
  | 'unsupported_media_type'
  /** Understood, but cannot be done as asked (a name a ZIP cannot carry). */
  | 'unprocessable'
  | 'locked'
  | 'rate_limited'
  | 'internal'
  /** A feature this server is not set up for (no mailer). */
  | 'not_configured'
  /** A collaborator (the workspace agent) answered something we cannot use. */
  | 'bad_gateway'
  | 'unavailable'
  | 'disk_full';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** The error code clients see and branch on. */
    readonly code: string,
    message: string,
    /** Extra fields for the client (e.g. currentVersion); the HTTP answer spreads them into its body. */
    readonly details?: Record<string, unknown>,
    /** Set when the client should retry after this many seconds (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found') => new DomainError('not_found', 'not_found', what);
export const unauthorized = () => new DomainError('unauthorized', 'unauthorized', 'Sign in or send a bearer token');
export const tooManyRequests = (retryAfterSeconds: number) =>
  new DomainError('rate_limited', 'rate_limited', `Too many attempts; try again in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });

export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** The database is down or hung: a refusal to retry soon, not a failure. */
export const databaseUnavailable = (retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS) =>
  new DomainError(
    'unavailable',
    'database_unavailable',
    'The database is not answering; try again in a few seconds',
    undefined,
    retryAfterSeconds,
  );
