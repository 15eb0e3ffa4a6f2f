// Tells "the engine is not there" apart from "the engine said no", so every method can throw
// EngineUnavailableError for the first and keep Docker's status code for the second.
import { EngineUnavailableError } from '../runtime-driver';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ESOCKETTIMEDOUT',
]);

/** The HTTP status Docker answered with, if it answered. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isEngineUnavailable(error: unknown): boolean {
  if (error instanceof EngineUnavailableError) return true;
  if (statusOf(error) !== undefined) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return error instanceof Error && /socket hang up|connect (ENOENT|ECONNREFUSED)/.test(error.message);
}

/** Rethrows connection failures as EngineUnavailableError, anything else unchanged. */
export function engineError(error: unknown): unknown {
  return isEngineUnavailable(error) && !(error instanceof EngineUnavailableError)
    ? new EngineUnavailableError(error)
    : error;
}

/** Runs a call to the engine, mapping connection failures. */
export async function onEngine<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw engineError(error);
  }
}

/** null for 404 (the object does not exist), else the value or the mapped error. */
export async function orMissing<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw engineError(error);
  }
}
