// /api/v1/projects/:id/files — a project's files. Listings and moves are JSON; content is raw
// bytes streamed both ways between the client and the workspace agent (never buffered here):
// these routes read the request body themselves instead of going through ctx.body().
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { mkdirBodySchema, moveBodySchema, relativePathSchema } from '../contracts';
import { DomainError } from '../core/errors';
import type { FileService } from '../files';
import { contentTypeFor } from './content-type';
import { parseWith, reply, type RequestContext, type Router } from './router';

const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/** The `path` query parameter, checked before anything reaches the agent. */
function pathParam(ctx: RequestContext, required: boolean): string {
  const raw = ctx.url.searchParams.get('path') ?? '';
  const path = parseWith(relativePathSchema, raw);
  if (required && path.replace(/\/+$/, '') === '')
    throw new DomainError('bad_request', 'validation', 'A file path is required (?path=)');
  return path;
}

/** `"v1"`, `W/"v1"` or a bare `v1` → v1. */
const unquote = (value: string) =>
  value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');

/**
 * A refused upload's unread body: read and discard a little of it, so the client sees our
 * answer instead of a reset mid-send; past that, drop the connection rather than drain it all.
 */
function discardUnread(req: IncomingMessage, limitBytes = DISCARD_LIMIT_BYTES, timeoutMs = 5000): void {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  const timer = setTimeout(() => req.socket.destroy(), timeoutMs).unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen <= limitBytes) return;
    clearTimeout(timer);
    req.socket.destroy();
  });
  req.on('end', () => clearTimeout(timer));
  req.resume();
}

/**
 * The request body as a stream the file service may destroy: destroying the request itself
 * would reset the socket before the error answer goes out.
 */
function bodyOf(req: IncomingMessage): PassThrough {
  const body = new PassThrough();
  req.pipe(body);
  req.on('close', () => {
    if (!req.complete) body.destroy(new Error('The upload was aborted'));
  });
  return body;
}

function setContentHeaders(
  res: ServerResponse,
  path: string,
  version: string,
  size: number | undefined,
  download: boolean,
): void {
  res.setHeader('ETag', `"${version}"`);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Type', contentTypeFor(path));
  if (size !== undefined) res.setHeader('Content-Length', size);
  // Project files are untrusted: opened directly, an HTML or SVG file must not run as Berth.
  res.setHeader(
    'Content-Security-Policy',
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
  );
  if (download) {
    const name = path.slice(path.lastIndexOf('/') + 1) || 'download';
    const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
  }
}

export function addFileRoutes(router: Router, files: FileService): void {
  router
    .add('GET', '/api/v1/projects/:id/files', async (ctx) => {
      const path = pathParam(ctx, false);
      const { userId } = await ctx.user();
      return reply(200, await files.list({ userId }, ctx.params.id!, path));
    })
    .add('GET', '/api/v1/projects/:id/files/content', async (ctx) => {
      const path = pathParam(ctx, true);
      const { userId } = await ctx.user();
      const file = await files.openRead({ userId }, ctx.params.id!, path);
      const ifNoneMatch = ctx.req.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => unquote(tag) === file.version)) {
        file.stream.destroy();
        ctx.res.setHeader('ETag', `"${file.version}"`);
        return reply(304);
      }
      setContentHeaders(ctx.res, path, file.version, file.size, ctx.url.searchParams.get('download') === '1');
      ctx.res.statusCode = 200;
      // A client that goes away destroys the agent stream too (pipeline), freeing the socket.
      await pipeline(file.stream, ctx.res);
      return reply(200);
    })
    .add('PUT', '/api/v1/projects/:id/files/content', async (ctx) => {
      try {
        const path = pathParam(ctx, true);
        const declared = Number(ctx.req.headers['content-length'] ?? 0);
        if (declared > files.maxBytes)
          throw new DomainError(
            'too_large',
            'too_large',
            `Files are at most ${Math.round(files.maxBytes / 1024 / 1024)} MB (FILE_MAX_MB)`,
          );
        const { userId } = await ctx.user();
        const ifMatch = ctx.req.headers['if-match'];
        const ifNoneMatch = ctx.req.headers['if-none-match'];
        const conditions = {
          ifMatch: ifMatch && ifMatch.trim() !== '*' ? unquote(ifMatch) : undefined,
          ifNoneMatch: ifNoneMatch?.trim() === '*' ? true : undefined,
        };
        const body = bodyOf(ctx.req);
        const written = await files
          .write({ userId, holderId: `rest:${userId}` }, ctx.params.id!, path, body, conditions)
          .finally(() => {
            ctx.req.unpipe(body);
            body.destroy();
          });
        ctx.res.setHeader('ETag', `"${written.version}"`);
        return reply(200, written);
      } catch (error) {
        discardUnread(ctx.req);
        throw error;
      }
    })
    .add('DELETE', '/api/v1/projects/:id/files/content', async (ctx) => {
      const path = pathParam(ctx, true);
      const { userId } = await ctx.user();
      await files.delete({ userId, holderId: `rest:${userId}` }, ctx.params.id!, path);
      return reply(204);
    })
    .add('POST', '/api/v1/projects/:id/files/move', async (ctx) => {
      const { userId } = await ctx.user();
      const { from, to } = await ctx.body(moveBodySchema);
      return reply(200, await files.move({ userId, holderId: `rest:${userId}` }, ctx.params.id!, from, to));
    })
    .add('POST', '/api/v1/projects/:id/files/mkdir', async (ctx) => {
      const { userId } = await ctx.user();
      const { path } = await ctx.body(mkdirBodySchema);
      return reply(201, await files.mkdir({ userId, holderId: `rest:${userId}` }, ctx.params.id!, path));
    });
}
