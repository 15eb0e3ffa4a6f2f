// /api/v1/projects/:id/git — source control of a project's workspace (issue 13): status, diff,
// base (the index's text of one file, for the editor's gutter), stage/unstage/discard, commit,
// log, one commit, branches, checkout, merge. Owner only (404 for anyone else); bodies and
// queries parsed with zod (400 with field errors); git's refusals are 409s with git's own message.
import { z } from 'zod';
import {
  gitBranchBodySchema,
  gitBranchCreateBodySchema,
  gitBranchNameSchema,
  gitCommitBodySchema,
  gitCommitHashSchema,
  gitLogQuerySchema,
  gitPathSchema,
  gitPathsBodySchema,
} from '../contracts';
import type { GitService } from '../git';
import { parseWith, reply, type RequestContext, type Router } from './router';

const diffQuerySchema = z.object({
  path: gitPathSchema,
  staged: z.enum(['true', 'false', '1', '0']).default('false'),
});
const basePathQuerySchema = z.object({ path: gitPathSchema });
const branchDeleteQuerySchema = z.object({
  name: gitBranchNameSchema,
  force: z.enum(['true', 'false', '1', '0']).default('false'),
});

const query = (ctx: RequestContext) => Object.fromEntries(ctx.url.searchParams);
const yes = (value: string) => value === 'true' || value === '1';

export function addGitRoutes(router: Router, git: GitService): void {
  const base = '/api/v1/projects/:id/git';
  router
    .add('GET', `${base}/status`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await git.status(userId, ctx.params.id!));
    })
    .add('POST', `${base}/init`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(201, await git.init(userId, ctx.params.id!));
    })
    .add('GET', `${base}/diff`, async (ctx) => {
      const { userId } = await ctx.user();
      const { path, staged } = parseWith(diffQuerySchema, query(ctx));
      return reply(200, await git.diff(userId, ctx.params.id!, path, yes(staged)));
    })
    .add('GET', `${base}/base`, async (ctx) => {
      const { userId } = await ctx.user();
      const { path } = parseWith(basePathQuerySchema, query(ctx));
      return reply(200, await git.base(userId, ctx.params.id!, path));
    })
    .add('POST', `${base}/stage`, async (ctx) => {
      const { userId } = await ctx.user();
      const { paths } = await ctx.body(gitPathsBodySchema);
      return reply(200, await git.stage(userId, ctx.params.id!, paths));
    })
    .add('POST', `${base}/unstage`, async (ctx) => {
      const { userId } = await ctx.user();
      const { paths } = await ctx.body(gitPathsBodySchema);
      return reply(200, await git.unstage(userId, ctx.params.id!, paths));
    })
    .add('POST', `${base}/discard`, async (ctx) => {
      const { userId } = await ctx.user();
      const { paths } = await ctx.body(gitPathsBodySchema);
      return reply(200, await git.discard(userId, ctx.params.id!, paths));
    })
    .add('POST', `${base}/commit`, async (ctx) => {
      const { userId } = await ctx.user();
      const body = await ctx.body(gitCommitBodySchema);
      return reply(201, await git.commit(userId, ctx.params.id!, body));
    })
    .add('GET', `${base}/log`, async (ctx) => {
      const { userId } = await ctx.user();
      const { limit } = parseWith(gitLogQuerySchema, query(ctx));
      return reply(200, await git.log(userId, ctx.params.id!, limit));
    })
    .add('GET', `${base}/commits/:hash`, async (ctx) => {
      const { userId } = await ctx.user();
      const hash = parseWith(gitCommitHashSchema, ctx.params.hash);
      return reply(200, await git.showCommit(userId, ctx.params.id!, hash));
    })
    .add('GET', `${base}/branches`, async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await git.branches(userId, ctx.params.id!));
    })
    .add('POST', `${base}/branches`, async (ctx) => {
      const { userId } = await ctx.user();
      const { name, from } = await ctx.body(gitBranchCreateBodySchema);
      return reply(201, await git.createBranch(userId, ctx.params.id!, name, from));
    })
    .add('DELETE', `${base}/branches`, async (ctx) => {
      const { userId } = await ctx.user();
      const { name, force } = parseWith(branchDeleteQuerySchema, query(ctx));
      await git.deleteBranch(userId, ctx.params.id!, name, yes(force));
      return reply(204);
    })
    .add('POST', `${base}/checkout`, async (ctx) => {
      const { userId } = await ctx.user();
      const { branch } = await ctx.body(gitBranchBodySchema);
      return reply(200, await git.checkout(userId, ctx.params.id!, branch));
    })
    .add('POST', `${base}/merge`, async (ctx) => {
      const { userId } = await ctx.user();
      const { branch } = await ctx.body(gitBranchBodySchema);
      return reply(200, await git.merge(userId, ctx.params.id!, branch));
    });
}
