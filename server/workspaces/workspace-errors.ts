// How a workspace failure reads: in the status pushed to clients, and as the DomainError a
// request that needed the workspace is refused with.
import type { WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import { EngineUnavailableError } from '../runtime';

/** The refusal for a workspace in the error state: unavailable when the engine is down, rate_limited over quota. */
export function statusError(status: WorkspaceStatusDto): DomainError | undefined {
  if (status.state !== 'error') return undefined;
  if (status.error?.code === 'engine_unavailable')
    return new DomainError('unavailable', 'engine_unavailable', 'Docker engine unreachable');
  if (status.error?.code === 'quota_exceeded')
    return new DomainError('rate_limited', 'quota_exceeded', status.error.message);
  return new DomainError(
    'internal',
    status.error?.code ?? 'start_failed',
    status.error?.message ?? 'The workspace failed to start',
  );
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof EngineUnavailableError) return { code: error.code, message: 'Docker engine unreachable' };
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'start_failed',
    message: error instanceof Error ? error.message : String(error),
  };
}
