// Projects in and out: GET /api/v1/projects/:id/export.zip (?check=1: 204, or the 422 it would answer) and …/bundle (streamed), POST
// /api/v1/projects/:id/duplicate, POST /api/v1/projects/import (a ZIP or bundle as multipart/form-data,
// field "file", optional field "name"; or JSON {gitUrl, name?}). GET …/bundle?since=<snapshotId> is an
// incremental bundle (what changed after that snapshot), applied with POST …/bundle (multipart, field
// "file") onto a project that has the base: 409 base_missing otherwise. GET …/exports: the export
// history, newest first. Owner only: 404 for anyone else.
import { bundleQuerySchema, gitImportSchema, projectNameSchema, type ExportHistoryDto } from '../contracts';
import type { GitImport, ProjectTransfer } from '../transfer';
import { receiveUpload } from './multipart-upload';
import { parseWith, reply, type Reply, type RequestContext, type Router } from './router';

export function addTransferRoutes(
  router: Router,
  transfer: ProjectTransfer,
  git: GitImport,
  options: { importMaxBytes: number },
): void {
  router
    .add('GET', '/api/v1/projects/:id/export.zip', async (ctx) => {
      const { userId } = await ctx.user();
      // ?check=1: the answer the download would start with (204, or 422 unexportable_name), no bytes.
      if (ctx.url.searchParams.get('check') === '1') {
        await transfer.checkZip(userId, ctx.params.id!);
        return reply(204);
      }
      return download(ctx, (start) => transfer.exportZip(userId, ctx.params.id!, ctx.res, start));
    })
    .add('GET', '/api/v1/projects/:id/bundle', async (ctx) => {
      const { userId } = await ctx.user();
      const { since } = parseWith(bundleQuerySchema, Object.fromEntries(ctx.url.searchParams));
      return download(ctx, (start) => transfer.exportBundle(userId, ctx.params.id!, ctx.res, start, since));
    })
    .add('POST', '/api/v1/projects/:id/bundle', async (ctx) => {
      const { userId } = await ctx.user();
      // The owner is checked before the upload is read: another user's project is 404 whatever is sent.
      await transfer.assertProject(userId, ctx.params.id!);
      const upload = await receiveUpload(ctx.req, options.importMaxBytes);
      try {
        return reply(200, await transfer.applyBundle(userId, ctx.params.id!, upload.file));
      } finally {
        await upload.remove();
      }
    })
    .add('GET', '/api/v1/projects/:id/exports', async (ctx) => {
      const { userId } = await ctx.user();
      const history: ExportHistoryDto = { exports: await transfer.exports(userId, ctx.params.id!) };
      return reply(200, history);
    })
    .add('POST', '/api/v1/projects/:id/duplicate', async (ctx) => {
      const { userId } = await ctx.user();
      return reply(201, await transfer.duplicate(userId, ctx.params.id!));
    })
    .add('POST', '/api/v1/projects/import', async (ctx) => {
      const { userId } = await ctx.user();
      if (/^application\/json/i.test(ctx.req.headers['content-type'] ?? '')) {
        const { gitUrl, name } = await ctx.body(gitImportSchema);
        return reply(201, await git.import(userId, gitUrl, name));
      }
      const upload = await receiveUpload(ctx.req, options.importMaxBytes);
      try {
        // A bundle keeps its own name unless one is given; plain files are named after the upload.
        const fallback = upload.fileName.replace(/(\.berth)?\.zip$/i, '').slice(0, 64) || 'Imported project';
        const given = upload.fields.name ? parseWith(projectNameSchema, upload.fields.name) : undefined;
        return reply(201, await transfer.importZip(userId, upload.file, { given, fallback }));
      } finally {
        await upload.remove();
      }
    });
}

/** Streams a ZIP download: headers once the producer knows the file name, then its bytes. */
async function download(
  ctx: RequestContext,
  produce: (start: (fileName: string) => void) => Promise<void>,
): Promise<Reply> {
  await produce((fileName) => {
    ctx.res.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'no-store',
    });
  });
  ctx.res.end();
  return reply(200);
}
