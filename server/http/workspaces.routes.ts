// /api/v1/projects/:id/{start,stop,workspace} — the workspace of one of your projects.
// A Docker engine that does not answer is a 503 with a message a person can act on.
import type { WorkspaceStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { ProjectService } from '../projects';
import { EngineUnavailableError, type RuntimeDriver } from '../runtime';
import { statusError, type WorkspaceService } from '../workspaces';
import { reply, type Router } from './router';

const engineUnavailable = () => new DomainError('unavailable', 'engine_unavailable', 'Docker engine unreachable');

function answer(status: WorkspaceStatusDto) {
  const failure = statusError(status);
  if (failure) throw failure;
  return reply(200, status);
}

export function addWorkspaceRoutes(
  router: Router,
  projects: ProjectService,
  workspaces: WorkspaceService,
  driver: RuntimeDriver,
): void {
  const requireEngine = async () => {
    try {
      await driver.ping();
    } catch (error) {
      if (error instanceof EngineUnavailableError) throw engineUnavailable();
      throw error;
    }
  };
  router
    .add('GET', '/api/v1/projects/:id/workspace', async (ctx) => {
      await projects.get((await ctx.user()).userId, ctx.params.id!);
      await requireEngine();
      return reply(200, workspaces.status(ctx.params.id!));
    })
    .add('POST', '/api/v1/projects/:id/start', async (ctx) => {
      await projects.get((await ctx.user()).userId, ctx.params.id!);
      await requireEngine();
      return answer(await workspaces.start(ctx.params.id!));
    })
    .add('POST', '/api/v1/projects/:id/stop', async (ctx) => {
      await projects.get((await ctx.user()).userId, ctx.params.id!);
      await requireEngine();
      return answer(await workspaces.stop(ctx.params.id!));
    });
}
