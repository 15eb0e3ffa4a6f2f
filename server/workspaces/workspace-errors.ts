// How a workspace failure reads: in the status pushed to clients, and as the HttpError a
// request that needed the workspace answers with.
import type { WorkspaceStatusDto } from '../contracts';
import { HttpError } from '../core/errors';
import { EngineUnavailableError } from '../runtime';

/** The HttpError a workspace in the error state answers with: 503 when the engine is down, 429 over quota. */
export function statusError(status: WorkspaceStatusDto): HttpError | undefined {
  if (status.state !== 'error') return undefined;
  if (status.error?.code === 'engine_unavailable')
    return new HttpError(503, 'engine_unavailable', 'Docker engine unreachable');
  if (status.error?.code === 'quota_exceeded') return new HttpError(429, 'quota_exceeded', status.error.message);
  return new HttpError(
    500,
    status.error?.code ?? 'start_failed',
    status.error?.message ?? 'The workspace failed to start',
  );
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof EngineUnavailableError) return { code: error.code, message: 'Docker engine unreachable' };
  if (error instanceof HttpError) return { code: error.code, message: error.message };
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'start_failed',
    message: error instanceof Error ? error.message : String(error),
  };
}
