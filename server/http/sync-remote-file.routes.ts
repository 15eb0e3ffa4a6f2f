// GET /api/v1/projects/:id/sync/file?side=local|remote&sha256=<hash> — one side of a sync
// conflict, by the content hash the conflict names, for the Ask view's side-by-side diff: this
// Berth's copy (its own peer, which serves only blobs of the caller's projects) or the linked
// remote project's (read through the link with the user's token there). Owner only (404 for
// anyone else and for an unlinked project); 400 for a bad side or hash; 413 for a file too large
// to compare in the browser.
import { z } from 'zod';
import { DomainError } from '../core/errors';
import type { BlobContent } from '../sync/core';
import { remoteFailure, withTimeout } from './remote-projects.routes';
import { parseWith, reply, type Router } from './router';

/** Largest side sent for comparison (the browser's diff view shows text, not archives). */
export const CONFLICT_FILE_MAX_BYTES = 2 * 1024 * 1024;
/** How long the remote may take to send one file. */
const READ_TIMEOUT_MS = 30_000;

const querySchema = z.object({
  side: z.enum(['local', 'remote']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256'),
});

interface BlobReader {
  readBlobs(hashes: string[]): AsyncIterable<BlobContent>;
}

/** What the route needs: the project check, the link, the remote and this Berth's peer. */
export interface SyncFileSources {
  projects: { get(userId: string, projectId: string): Promise<unknown> };
  links: { find(userId: string, projectId: string): Promise<{ remoteId: string; remoteProjectId: string } | null> };
  remotes: {
    open(
      userId: string,
      remoteId: string,
    ): Promise<{ name: string; client: { peer(projectId: string, name: string): BlobReader } }>;
  };
  localPeer(userId: string, projectId: string): BlobReader;
}

export function addSyncRemoteFileRoutes(router: Router, sources: SyncFileSources): void {
  router.add('GET', '/api/v1/projects/:id/sync/file', async (ctx) => {
    // Signed in first (401), the project next (404), the query last (400).
    const { userId } = await ctx.user();
    const projectId = ctx.params.id!;
    await sources.projects.get(userId, projectId);
    const { side, sha256 } = parseWith(querySchema, Object.fromEntries(ctx.url.searchParams));
    const link = await sources.links.find(userId, projectId);
    if (!link) throw new DomainError('not_found', 'sync_not_linked', 'This project is not linked to a remote project');
    let content: Buffer;
    if (side === 'local') {
      content = await readOne(sources.localPeer(userId, projectId), sha256);
    } else {
      const remote = await sources.remotes.open(userId, link.remoteId);
      const peer = remote.client.peer(link.remoteProjectId, remote.name);
      content = await withTimeout(readOne(peer, sha256), READ_TIMEOUT_MS).catch((error: unknown) => {
        throw remoteFailure(remote.name, error);
      });
    }
    ctx.res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': content.length,
      // Named by its hash: the same answer for as long as anyone asks.
      'Cache-Control': 'private, max-age=86400, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
    });
    ctx.res.end(content);
    return reply(200);
  });
}

async function readOne(peer: BlobReader, sha256: string): Promise<Buffer> {
  for await (const blob of peer.readBlobs([sha256])) {
    if (blob.content.length > CONFLICT_FILE_MAX_BYTES)
      throw new DomainError(
        'too_large',
        'too_large',
        `This file is ${(blob.content.length / 1024 / 1024).toFixed(1)} MB: too large to compare here`,
      );
    if (blob.sha256 === sha256) return blob.content;
  }
  throw new DomainError('not_found', 'not_found', 'That version of the file is not there');
}
