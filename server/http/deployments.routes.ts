// /api/v1/projects/:id/environments — a project's deployment environments, their variables and
// deployments (issue 14): deploy (202, built in the background), history, one deployment with
// its build log, rollback, stop, delete, PATCH (private, plan). The live logs and the private
// hand-off are deployment-streams.routes.ts. Owner only: 404 for anyone else. Every route waits
// for start-up reconciliation (it runs in the background).
import {
  createDeploymentSchema,
  createEnvironmentSchema,
  patchEnvironmentSchema,
  putVariablesSchema,
} from '../contracts';
import type { DeployService } from '../deploy';
import { addDeploymentStreamRoutes } from './deployment-streams.routes';
import { reply, type Reply, type RequestContext, type Router } from './router';

const ENV = '/api/v1/projects/:id/environments/:env';

/** Waits for start-up reconciliation before the handler (history and state are right then). */
export const afterReconcile =
  (deploys: DeployService, handler: (ctx: RequestContext) => Promise<Reply>) =>
  async (ctx: RequestContext): Promise<Reply> => {
    await deploys.ready();
    return handler(ctx);
  };

export function addDeploymentRoutes(router: Router, deploys: DeployService): void {
  const add = (method: string, path: string, handler: (ctx: RequestContext) => Promise<Reply>) =>
    router.add(method, path, afterReconcile(deploys, handler));
  add('GET', '/api/v1/projects/:id/environments', async (ctx) => {
    const { userId } = await ctx.user();
    return reply(200, await deploys.environments.list(userId, ctx.params.id!));
  });
  add('POST', '/api/v1/projects/:id/environments', async (ctx) => {
    const { userId } = await ctx.user();
    const input = await ctx.body(createEnvironmentSchema);
    return reply(201, await deploys.environments.create(userId, ctx.params.id!, input));
  });
  add('PATCH', ENV, async (ctx) => {
    const { userId } = await ctx.user();
    const input = await ctx.body(patchEnvironmentSchema);
    return reply(200, await deploys.environments.patch(userId, ctx.params.id!, ctx.params.env!, input));
  });
  add('DELETE', ENV, async (ctx) => {
    const { userId } = await ctx.user();
    await deploys.deleteEnvironment(userId, ctx.params.id!, ctx.params.env!);
    return reply(204);
  });
  add('GET', `${ENV}/variables`, async (ctx) => {
    const { userId } = await ctx.user();
    return reply(200, { variables: await deploys.listVariables(userId, ctx.params.id!, ctx.params.env!) });
  });
  add('PUT', `${ENV}/variables`, async (ctx) => {
    const { userId } = await ctx.user();
    const input = await ctx.body(putVariablesSchema);
    return reply(200, { variables: await deploys.putVariables(userId, ctx.params.id!, ctx.params.env!, input) });
  });
  add('POST', `${ENV}/stop`, async (ctx) => {
    const { userId } = await ctx.user();
    await deploys.stop(userId, ctx.params.id!, ctx.params.env!);
    return reply(204);
  });
  add('GET', `${ENV}/deployments`, async (ctx) => {
    const { userId } = await ctx.user();
    return reply(200, await deploys.history(userId, ctx.params.id!, ctx.params.env!));
  });
  add('POST', `${ENV}/deployments`, async (ctx) => {
    const { userId } = await ctx.user();
    const { snapshotId } = await ctx.body(createDeploymentSchema);
    return reply(202, await deploys.deploy(userId, ctx.params.id!, ctx.params.env!, snapshotId));
  });
  add('GET', `${ENV}/deployments/:did`, async (ctx) => {
    const { userId } = await ctx.user();
    return reply(200, await deploys.deployment(userId, ctx.params.id!, ctx.params.env!, ctx.params.did!));
  });
  add('POST', `${ENV}/deployments/:did/rollback`, async (ctx) => {
    const { userId } = await ctx.user();
    return reply(202, await deploys.rollback(userId, ctx.params.id!, ctx.params.env!, ctx.params.did!));
  });
  addDeploymentStreamRoutes(add, deploys);
}
