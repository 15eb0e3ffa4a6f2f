// /api/v1/projects/:id/sync/peer/* — this Berth's side of the peer protocol (docs/adr-hybrid-sync.md):
// the state (with a long poll), which blobs the caller must send, a framed blob upload and
// download, conversations by id and apply. Bearer token or session; owner only (404 otherwise);
// every JSON body parsed with its contract schema, read only once the project is known to be the
// caller's (a stranger's body costs no memory). Manifests and hash lists are larger than the
// router's 1 MB JSON bound, so these bodies are read here with bounds of their own (gzip'd
// bodies are inflated within the same bounds). Big JSON answers go gzip'd to a client that
// accepts it (compressed-json.ts).
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage } from 'node:http';
import { z, type ZodType } from 'zod';
import { peerApplySchema, peerConversationIdsSchema, peerHashesSchema, peerPathsSchema } from '../contracts';
import { DomainError } from '../core/errors';
import { readBody } from '../core/read-body';
import {
  BLOB_FRAMES_CONTENT_TYPE,
  BlobFrameError,
  decodeBlobFrames,
  encodeBlobFrames,
  PEER_STATE_MAX_WAIT_MS,
  type BlobContent,
} from '../sync/core';
import type { SyncPeers } from '../sync';
import { sendCompressibleJson } from './compressed-json';
import { parseWith, reply, type RequestContext, type Router } from './router';

/** 200,000 hashes as JSON are ~14 MB. */
const HASHES_BODY_LIMIT = 16 * 1024 * 1024;
/** 1,000 conversation ids as JSON are ~70 KB. */
const IDS_BODY_LIMIT = 1024 * 1024;
/**
 * A 200,000-entry manifest is ~40 MB (an apply with changes far less); conversations ride along.
 * The same bound HttpPeer reads JSON answers within.
 */
const APPLY_BODY_LIMIT = 64 * 1024 * 1024;

const stateQuerySchema = z.object({
  known: z.string().min(1).max(64).optional(),
  waitMs: z.coerce
    .number()
    .int()
    .min(0)
    .transform((ms) => Math.min(ms, PEER_STATE_MAX_WAIT_MS))
    .optional(),
});

export type SyncPeerRoutes = Pick<SyncPeers, 'service' | 'limits'>;

export function addSyncPeerRoutes(router: Router, peers: SyncPeerRoutes): void {
  const base = '/api/v1/projects/:id/sync/peer';
  const { service, limits } = peers;
  router
    .add('GET', `${base}/state`, async (ctx) => {
      const { userId } = await ctx.user();
      const query = parseWith(stateQuerySchema, Object.fromEntries(ctx.url.searchParams));
      // A long poll ends when its caller goes away.
      const gone = new AbortController();
      ctx.res.once('close', () => gone.abort());
      const answer = await service.state(userId, ctx.params.id!, { ...query, signal: gone.signal });
      return compressible(ctx, answer);
    })
    .add('POST', `${base}/blobs/missing`, async (ctx) => {
      const { userId } = await ctx.user();
      await service.assertOwner(userId, ctx.params.id!);
      const { hashes } = await readJson(ctx.req, HASHES_BODY_LIMIT, peerHashesSchema);
      return compressible(ctx, { missing: await service.missing(userId, ctx.params.id!, hashes) });
    })
    .add('POST', `${base}/blobs`, async (ctx) => {
      const { userId } = await ctx.user();
      await service.assertOwner(userId, ctx.params.id!);
      const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== BLOB_FRAMES_CONTENT_TYPE)
        throw new DomainError('unsupported_media_type', 'unsupported_media_type', `Send ${BLOB_FRAMES_CONTENT_TYPE}`);
      const blobs = decodeBlobFrames(ctx.req, {
        maxBlobBytes: limits.maxBlobBytes,
        maxTotalBytes: limits.uploadMaxBytes,
      });
      try {
        return reply(200, await service.putBlobs(userId, ctx.params.id!, blobs, { verified: true }));
      } catch (error) {
        // The rest of a refused body is read and dropped, so the answer reaches a client still sending.
        ctx.req.resume();
        throw error instanceof BlobFrameError ? frameRefusal(error) : error;
      }
    })
    .add('POST', `${base}/blobs/read`, async (ctx) => {
      const { userId } = await ctx.user();
      await service.assertOwner(userId, ctx.params.id!);
      const { hashes } = await readJson(ctx.req, HASHES_BODY_LIMIT, peerHashesSchema);
      // Every hash is checked before the first byte goes out: an unknown one is a plain 404.
      const blobs: AsyncIterable<BlobContent> = await service.readBlobs(userId, ctx.params.id!, hashes);
      ctx.res.writeHead(200, { 'Content-Type': BLOB_FRAMES_CONTENT_TYPE, 'Cache-Control': 'no-store' });
      await pipeline(encodeBlobFrames(blobs), ctx.res);
      return reply(200);
    })
    .add('POST', `${base}/present`, async (ctx) => {
      const { userId } = await ctx.user();
      await service.assertOwner(userId, ctx.params.id!);
      const { paths } = await readJson(ctx.req, HASHES_BODY_LIMIT, peerPathsSchema);
      return compressible(ctx, { present: await service.present(userId, ctx.params.id!, paths) });
    })
    .add('POST', `${base}/conversations`, async (ctx) => {
      const { userId } = await ctx.user();
      await service.assertOwner(userId, ctx.params.id!);
      const { ids } = await readJson(ctx.req, IDS_BODY_LIMIT, peerConversationIdsSchema);
      return compressible(ctx, { conversations: await service.conversations(userId, ctx.params.id!, ids) });
    })
    .add('POST', `${base}/apply`, async (ctx) => {
      const { userId } = await ctx.user();
      await service.assertOwner(userId, ctx.params.id!);
      const input = await readJson(ctx.req, APPLY_BODY_LIMIT, peerApplySchema);
      return reply(200, await service.apply(userId, ctx.params.id!, input));
    });
}

/** 200 with `body`, gzip'd when big and accepted. */
async function compressible(ctx: RequestContext, body: unknown) {
  // A long poll's caller may have gone meanwhile: nothing to send to.
  if (!ctx.res.destroyed) await sendCompressibleJson(ctx.req, ctx.res, 200, body);
  return reply(200);
}

/** A JSON body up to `limit` bytes, parsed with `schema` (400 with field errors). */
async function readJson<T>(req: IncomingMessage, limit: number, schema: ZodType<T>): Promise<T> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== '')
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', 'Send application/json');
  const raw = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('bad_request', 'invalid_json', 'Body is not valid JSON');
  }
  return parseWith(schema, value);
}

function frameRefusal(error: BlobFrameError): DomainError {
  switch (error.fault) {
    case 'too_large':
      return new DomainError('too_large', 'blob_too_large', error.message);
    case 'hash_mismatch':
    case 'truncated':
    case 'malformed':
      return new DomainError('bad_request', 'bad_blob_frames', error.message);
  }
}
