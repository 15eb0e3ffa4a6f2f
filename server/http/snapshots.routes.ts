// /api/v1/projects/:id/snapshots — list, take (with a label), compare with now, read one file
// as it was, restore the project or one file. Owner only: 404 for anyone else.
import { createSnapshotSchema, restoreSnapshotSchema } from '../contracts';
import { DomainError } from '../core/errors';
import type { ProjectSnapshots } from '../snapshots';
import { reply, type Router } from './router';

export function addSnapshotRoutes(router: Router, snapshots: ProjectSnapshots): void {
  router
    .add('GET', '/api/v1/projects/:id/snapshots', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await snapshots.list(userId, ctx.params.id!));
    })
    .add('POST', '/api/v1/projects/:id/snapshots', async (ctx) => {
      const { userId } = await ctx.user();
      const { label } = await ctx.body(createSnapshotSchema);
      return reply(201, await snapshots.take(userId, ctx.params.id!, label));
    })
    .add('GET', '/api/v1/projects/:id/snapshots/:sid/diff', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(200, await snapshots.diff(userId, ctx.params.id!, ctx.params.sid!));
    })
    .add('GET', '/api/v1/projects/:id/snapshots/:sid/file', async (ctx) => {
      const path = ctx.url.searchParams.get('path');
      if (!path) throw new DomainError('bad_request', 'bad_request', 'path is required');
      const { userId } = await ctx.user();
      const { entry, content } = await snapshots.file(userId, ctx.params.id!, ctx.params.sid!, path);
      ctx.res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': content.length,
        'X-Berth-Mode': entry.mode.toString(8),
        'Cache-Control': 'private, max-age=31536000, immutable',
      });
      ctx.res.end(content);
      return reply(200);
    })
    .add('POST', '/api/v1/projects/:id/snapshots/:sid/restore', async (ctx) => {
      const { userId } = await ctx.user();
      const { path } = await ctx.body(restoreSnapshotSchema);
      return reply(200, await snapshots.restore(userId, ctx.params.id!, ctx.params.sid!, path));
    });
}
