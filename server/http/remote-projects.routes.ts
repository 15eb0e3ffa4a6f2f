// GET /api/v1/remotes/:rid/projects — the projects the remote's token reaches, as the remote
// itself lists them ({ id, name }), so the Link dialog can offer them. 404 for a remote that is not
// the caller's; a remote that refuses the token is 409 remote_refused with its reason, one that
// does not answer in time 502 remote_unreachable.
import { DomainError } from '../core/errors';
import { PeerHttpError, PeerRefusedError } from '../sync/core';
import { reply, type Router } from './router';

/** How long the remote may take to list its projects. */
const LIST_TIMEOUT_MS = 15_000;

/** What the route needs of the remotes (RemoteService.open). */
export interface RemoteProjectsSource {
  open(
    userId: string,
    remoteId: string,
  ): Promise<{ name: string; client: { projects(): Promise<{ id: string; name: string }[]> } }>;
}

export function addRemoteProjectRoutes(router: Router, remotes: RemoteProjectsSource): void {
  router.add('GET', '/api/v1/remotes/:rid/projects', async (ctx) => {
    const { userId } = await ctx.user();
    const remote = await remotes.open(userId, ctx.params.rid!);
    const projects = await withTimeout(remote.client.projects(), LIST_TIMEOUT_MS).catch((error: unknown) => {
      throw remoteFailure(remote.name, error);
    });
    return reply(
      200,
      projects.map(({ id, name }) => ({ id, name })),
    );
  });
}

/** A refused token (the user must give a new one) or an unreachable remote, in words. */
export function remoteFailure(remoteName: string, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof PeerRefusedError)
    return new DomainError('conflict', 'remote_refused', `${remoteName} refused the token: ${error.message}`, {
      reason: error.message,
    });
  if (error instanceof PeerHttpError && error.status === 404)
    return new DomainError('not_found', 'not_found', `${remoteName}: ${error.message}`);
  const reason = error instanceof Error ? error.message : String(error);
  return new DomainError('bad_gateway', 'remote_unreachable', `Could not reach ${remoteName}: ${reason}`, { reason });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
