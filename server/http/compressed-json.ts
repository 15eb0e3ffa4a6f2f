// A JSON answer sent gzip'd when the client accepts it and it is big enough to gain (a sync
// state of a big project: 1,000 files are ~130 KB of JSON, about half of it once gzip'd). The
// compression runs on libuv's thread pool, not the event loop. What the router's sendJson does
// otherwise (status, no-store, length). Used by the sync peer routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** Smaller answers go plain: a few KB cost less to send than to compress. */
export const GZIP_ANSWER_MIN_BYTES = 8 * 1024;
const gzipAsync = promisify(gzip);

export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const quality = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

export async function sendCompressibleJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
): Promise<void> {
  const text = JSON.stringify(body);
  const plain = Buffer.from(text);
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Vary', 'Accept-Encoding');
  if (plain.length < GZIP_ANSWER_MIN_BYTES || !acceptsGzip(req)) {
    res.setHeader('Content-Length', plain.length);
    res.end(plain);
    return;
  }
  // Level 4: on hashes and paths the default 6 gains little and takes about twice as long.
  const packed = await gzipAsync(plain, { level: 4 });
  res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', packed.length);
  res.end(packed);
}
