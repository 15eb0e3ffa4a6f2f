// How a remote's failures read to the user. A refused token (PeerRefusedError: the remote
// answered 401/403) is a 409 remote_refused carrying the remote's own reason — the user must give
// a new token; anything else (refused connection, timeout, a non-Berth answer) is "unreachable".
import { DomainError } from '../../core/errors';
import { PeerHttpError } from '../core/remote-api';
import { PeerRefusedError } from '../core/sync-peer';

/** The error's message with its cause's code or message (fetch's "fetch failed" says nothing alone). */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  const detail =
    cause instanceof Error
      ? ((cause as NodeJS.ErrnoException).code ?? cause.message)
      : typeof cause === 'string'
        ? cause
        : undefined;
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}

export const isRefusal = (error: unknown): error is PeerRefusedError => error instanceof PeerRefusedError;

export function remoteRefused(remoteName: string, error: PeerRefusedError): DomainError {
  return new DomainError('conflict', 'remote_refused', `${remoteName} refused the token: ${error.message}`, {
    reason: error.message,
  });
}

export function remoteUnreachable(remoteName: string, error: unknown): DomainError {
  const reason = reasonOf(error);
  // It answered, with an error: say so (a wrong URL, a proxy's page), not "could not reach".
  const message =
    error instanceof PeerHttpError
      ? `${remoteName} answered, but not as a Berth would: ${reason}`
      : `Could not reach ${remoteName}: ${reason}`;
  return new DomainError('bad_request', 'remote_unreachable', message, { reason });
}

/** Rejects with a timeout error when `promise` takes longer than `ms`. */
export async function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
