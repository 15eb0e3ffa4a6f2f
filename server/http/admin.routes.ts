// /api/v1/admin/* — users and workspaces across the server, for BERTH_ADMIN_EMAILS only.
// Everyone else (signed out included) gets the same 404 as an unknown route: the admin API
// does not reveal that it exists.
import type { AccountService } from '../accounts';
import type { AdminService } from '../admin';
import { adminProjectParamsSchema, idParamsSchema } from '../contracts';
import { DomainError } from '../core/errors';
import { parseWith, reply, type RequestContext, type Router } from './router';

const hidden = () => new DomainError('not_found', 'not_found', 'No such API route');

export function addAdminRoutes(router: Router, admin: AdminService, accounts: AccountService): void {
  const requireAdmin = async (ctx: RequestContext): Promise<void> => {
    // 401 (signed out) and 403 (foreign origin) would both tell that the route exists.
    const principal = await ctx.user().catch((error: unknown) => {
      if (error instanceof DomainError) throw hidden();
      throw error;
    });
    if (!(await admin.isAdmin(principal.userId))) throw hidden();
  };
  const projectId = (ctx: RequestContext) => parseWith(adminProjectParamsSchema, ctx.params).projectId;

  router
    .add('GET', '/api/v1/admin/users', async (ctx) => {
      await requireAdmin(ctx);
      return reply(200, await admin.users());
    })
    .add('GET', '/api/v1/admin/workspaces', async (ctx) => {
      await requireAdmin(ctx);
      return reply(200, await admin.workspaceList());
    })
    .add('POST', '/api/v1/admin/workspaces/:projectId/stop', async (ctx) => {
      await requireAdmin(ctx);
      ctx.log.info({ projectId: ctx.params.projectId }, 'admin stops a workspace');
      return reply(200, await admin.stop(projectId(ctx)));
    })
    .add('POST', '/api/v1/admin/users/:id/reset-link', async (ctx) => {
      await requireAdmin(ctx);
      const userId = parseWith(idParamsSchema, ctx.params).id;
      ctx.log.info({ userId }, 'admin issues a password-reset link');
      return reply(201, await accounts.resetLink(userId));
    })
    .add('POST', '/api/v1/admin/workspaces/:projectId/remove', async (ctx) => {
      await requireAdmin(ctx);
      ctx.log.info({ projectId: ctx.params.projectId }, 'admin removes a workspace');
      return reply(200, await admin.remove(projectId(ctx)));
    });
}
