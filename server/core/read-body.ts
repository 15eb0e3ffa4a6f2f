// Reads a request body up to a byte limit; past it the request is refused with 413
// without buffering the rest.
import type { IncomingMessage } from 'node:http';
import { DomainError } from './errors';

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes)
    throw new DomainError('too_large', 'payload_too_large', `Body is larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      req.resume();
      throw new DomainError('too_large', 'payload_too_large', `Body is larger than ${limitBytes} bytes`);
    }
    chunks.push(buffer);
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
