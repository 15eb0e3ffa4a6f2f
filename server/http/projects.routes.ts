// /api/v1/projects — list, create, read, rename, delete (owner only; others get 404).
import { createProjectSchema, updateProjectSchema } from '../contracts';
import type { ProjectService } from '../projects';
import { reply, type Router } from './router';

export function addProjectRoutes(router: Router, projects: ProjectService): void {
  router
    .add('GET', '/api/v1/projects', async (ctx) => reply(200, await projects.list((await ctx.user()).userId)))
    .add('POST', '/api/v1/projects', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(201, await projects.create(userId, await ctx.body(createProjectSchema)));
    })
    .add('GET', '/api/v1/projects/:id', async (ctx) =>
      reply(200, await projects.get((await ctx.user()).userId, ctx.params.id!)),
    )
    .add('PATCH', '/api/v1/projects/:id', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await projects.rename(userId, ctx.params.id!, await ctx.body(updateProjectSchema)));
    })
    .add('DELETE', '/api/v1/projects/:id', async (ctx) => {
      await projects.delete((await ctx.user()).userId, ctx.params.id!);
      return reply(204);
    });
}
