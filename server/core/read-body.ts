// Reads a request body up to a byte limit; past it the request is refused with 413
// without buffering the rest. A gzip'd body (Content-Encoding: gzip: a sync's manifests) is
// inflated as it arrives, and the limit holds for the inflated bytes (no gzip bomb).
import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { DomainError } from './errors';

const tooLarge = (limitBytes: number) =>
  new DomainError('too_large', 'payload_too_large', `Body is larger than ${limitBytes} bytes`);

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip')
    throw new DomainError('unsupported_media_type', 'unsupported_encoding', 'Send the body plain or gzip-encoded');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const inflate = encoding === 'gzip' ? createGunzip() : undefined;
  if (inflate) {
    req.once('error', (error) => inflate.destroy(error));
    req.pipe(inflate);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of inflate ?? req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > limitBytes) throw tooLarge(limitBytes);
      chunks.push(buffer);
    }
  } catch (error) {
    // The rest is read and dropped, so the answer reaches a client still sending.
    if (inflate) {
      req.unpipe(inflate);
      inflate.destroy();
    }
    req.resume();
    if (inflate && (error as { code?: string }).code?.startsWith('Z_'))
      throw new DomainError('bad_request', 'invalid_gzip', 'Body is not valid gzip');
    throw error;
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON or form body into a plain object; anything else is a 400/415. */
export async function readFormOrJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const raw = await readBody(req, limitBytes);
  if (raw.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      throw new DomainError('bad_request', 'invalid_json', 'Body is not valid JSON');
    }
  }
  throw new DomainError('unsupported_media_type', 'unsupported_media_type', 'Send application/json');
}
