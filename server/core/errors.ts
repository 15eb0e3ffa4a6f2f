// Errors that carry an HTTP status, so any layer can refuse a request with a precise answer.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found') => new HttpError(404, 'not_found', what);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'Sign in or send a bearer token');
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', `Too many attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });

/** A 503 that tells the client when to try again (sent as the Retry-After header). */
export class UnavailableError extends HttpError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
  }
}

export const DATABASE_RETRY_AFTER_SECONDS = 5;
export const databaseUnavailable = (retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS) =>
  new UnavailableError(
    'database_unavailable',
    'The database is not answering; try again in a few seconds',
    retryAfterSeconds,
  );
