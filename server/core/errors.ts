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

