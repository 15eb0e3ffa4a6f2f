// /api/v1/projects/:id/environments — a project's deployment environments, their variables and
// deployments (issue 14): deploy (202, built in the background), history, one deployment with
// its build log, rollback, stop, delete. Owner only: 404 for anyone else.
import { createDeploymentSchema, createEnvironmentSchema, putVariablesSchema } from '../contracts';
import type { DeployService } from '../deploy';
import { reply, type Router } from './router';

const ENV = '/api/v1/projects/:id/environments/:env';

export function addDeploymentRoutes(router: Router, deploys: DeployService): void {
  router
    .add('GET', '/api/v1/projects/:id/environments', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await deploys.listEnvironments(userId, ctx.params.id!));
    })
    .add('POST', '/api/v1/projects/:id/environments', async (ctx) => {
      const { userId } = await ctx.user();
      const input = await ctx.body(createEnvironmentSchema);
      return reply(201, await deploys.createEnvironment(userId, ctx.params.id!, input));
    })
    .add('DELETE', ENV, async (ctx) => {
      const { userId } = await ctx.user();
      await deploys.deleteEnvironment(userId, ctx.params.id!, ctx.params.env!);
      return reply(204);
    })
    .add('GET', `${ENV}/variables`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, { variables: await deploys.listVariables(userId, ctx.params.id!, ctx.params.env!) });
    })
    .add('PUT', `${ENV}/variables`, async (ctx) => {
      const { userId } = await ctx.user();
      const input = await ctx.body(putVariablesSchema);
      return reply(200, { variables: await deploys.putVariables(userId, ctx.params.id!, ctx.params.env!, input) });
    })
    .add('POST', `${ENV}/stop`, async (ctx) => {
      const { userId } = await ctx.user();
      await deploys.stop(userId, ctx.params.id!, ctx.params.env!);
      return reply(204);
    })
    .add('GET', `${ENV}/deployments`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await deploys.history(userId, ctx.params.id!, ctx.params.env!));
    })
    .add('POST', `${ENV}/deployments`, async (ctx) => {
      const { userId } = await ctx.user();
      const { snapshotId } = await ctx.body(createDeploymentSchema);
      return reply(202, await deploys.deploy(userId, ctx.params.id!, ctx.params.env!, snapshotId));
    })
    .add('GET', `${ENV}/deployments/:did`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await deploys.deployment(userId, ctx.params.id!, ctx.params.env!, ctx.params.did!));
    })
    .add('POST', `${ENV}/deployments/:did/rollback`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(202, await deploys.rollback(userId, ctx.params.id!, ctx.params.env!, ctx.params.did!));
    });
}
