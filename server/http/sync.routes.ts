// A project's link to a remote project and its syncs (issue 18). Owner only (404 for anyone
// else); bodies parsed with zod (400 with field errors).
// - GET|PUT|DELETE /api/v1/projects/:id/link: PUT { remoteId, remoteProjectId } or
//   { remoteId, createRemoteProject: true }, plus autoSync / intervalMinutes; GET and DELETE of an
//   unlinked project are 404 sync_not_linked.
// - POST /api/v1/projects/:id/sync { mode, onConflict, resolutions? } → SyncResultDto (a remote
//   that does not answer: success false with the reason; one that refuses the token: 409
//   remote_refused with its reason).
// - GET /api/v1/projects/:id/sync → SyncStatusDto (the last sync and a live check of both sides).
import { z } from 'zod';
import { linkSettingsSchema, putLinkSchema, syncRequestSchema } from '../contracts';
import type { LinkService, SyncService, SyncStatusService } from '../sync';
import { reply, type Router } from './router';

const putLinkBodySchema = z.intersection(putLinkSchema, linkSettingsSchema);

export interface SyncRouteServices {
  /** Throws not_found unless the project is the user's: checked before a body is parsed (404 before 400). */
  projects: { get(userId: string, projectId: string): Promise<unknown> };
  links: LinkService;
  service: SyncService;
  status: SyncStatusService;
}

export function addSyncRoutes(router: Router, { projects, links, service, status }: SyncRouteServices): void {
  const base = '/api/v1/projects/:id';
  router
    .add('GET', `${base}/link`, async (ctx) => reply(200, await links.get((await ctx.user()).userId, ctx.params.id!)))
    .add('PUT', `${base}/link`, async (ctx) => {
      const { userId } = await ctx.user();
      await projects.get(userId, ctx.params.id!);
      return reply(200, await links.put(userId, ctx.params.id!, await ctx.body(putLinkBodySchema)));
    })
    .add('DELETE', `${base}/link`, async (ctx) => {
      await links.remove((await ctx.user()).userId, ctx.params.id!);
      return reply(204);
    })
    .add('POST', `${base}/sync`, async (ctx) => {
      const { userId } = await ctx.user();
      await projects.get(userId, ctx.params.id!);
      return reply(200, await service.sync(userId, ctx.params.id!, await ctx.body(syncRequestSchema)));
    })
    .add('GET', `${base}/sync`, async (ctx) =>
      reply(200, await status.status((await ctx.user()).userId, ctx.params.id!)),
    );
}
