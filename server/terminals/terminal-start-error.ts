// Why a terminal could not start, in words a person can act on. The usual cause is the
// workspace's process limit (WORKSPACE_PIDS_LIMIT): tmux, the attach client or the shell cannot
// fork, and the engine or sh says "Cannot fork" / "Resource temporarily unavailable", or runc
// loses its init process before exec ("read init-p: connection reset by peer"). The browser shows the message in the terminal panel with a Retry button.
import { DomainError } from '../core/errors';

const PROCESS_LIMIT =
  /cannot fork|fork failed|fork: retry|resource temporarily unavailable|EAGAIN|read init-p: connection reset by peer/i;

export function terminalStartError(cause: unknown): DomainError {
  if (cause instanceof DomainError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (PROCESS_LIMIT.test(detail)) {
    return new DomainError(
      'unavailable',
      'terminal_start_failed',
      'The terminal could not start: the workspace has reached its process limit. End some processes (or restart the workspace) and retry.',
    );
  }
  return new DomainError('unavailable', 'terminal_start_failed', `The terminal could not start: ${detail}`);
}
