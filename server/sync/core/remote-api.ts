// Talking to another Berth's REST API from the initiator's side (HttpPeer, BerthClient): one
// request helper that sends the bearer token, reads JSON answers within a byte bound (a hostile
// remote must not exhaust memory), parses them with the contract's zod schemas and turns
// refusals into the errors the planner knows. Pure Node: the CLI bundles this file.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ZodType } from 'zod';
import { ChangedMeanwhileError, PeerRefusedError } from './sync-peer';

/** JSON answers are read up to this many bytes (the largest, a 200,000-entry state, is ~40 MB). */
export const MAX_JSON_RESPONSE_BYTES = 64 * 1024 * 1024;
/** An error answer's body is read up to this. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** JSON request bodies above this go gzip'd (a manifest or a list of hashes; small ones are not worth it). */
export const GZIP_REQUEST_MIN_BYTES = 4 * 1024;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A refusal by the remote that is neither a token problem nor changed_meanwhile. */
export class PeerHttpError extends Error {
  constructor(
    readonly status: number,
    /** The remote's error code (`not_found`, `validation`…), when it sent one. */
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface RemoteCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** JSON body, or a stream/bytes with its own content type. */
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
  /** Ask for a gzip'd answer (JSON answers: json() inflates them). */
  acceptGzip?: boolean;
}

export class RemoteApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
    /** A Berth's server passes one that refuses internal addresses (server/sync/remotes/remote-fetch.ts). */
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The raw answer when it is 2xx; every other status becomes the matching error. */
  async send(call: RemoteCall): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    // Asked for here, not left to the fetch: a Berth's own fetch (node:http) does not ask, and
    // JSON answers are inflated by json() whichever fetch carried them.
    if (call.acceptGzip) headers['Accept-Encoding'] = 'gzip';
    let body: BodyInit | undefined = call.body;
    if (call.json !== undefined) {
      const text = JSON.stringify(call.json);
      headers['Content-Type'] = 'application/json';
      if (Buffer.byteLength(text) > GZIP_REQUEST_MIN_BYTES) {
        body = new Uint8Array(await gzipAsync(text));
        headers['Content-Encoding'] = 'gzip';
      } else body = text;
    } else if (call.contentType) headers['Content-Type'] = call.contentType;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        body,
        signal: call.signal,
        redirect: 'error',
        // A streamed request body (blob upload) needs half duplex.
        ...(body && typeof body === 'object' && !(body instanceof Uint8Array) ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      throw new Error(`Cannot reach ${this.baseUrl}: ${causeOf(error)}`, { cause: error });
    }
    if (response.ok) return response;
    throw await refusalOf(response, this.baseUrl);
  }

  /** A JSON answer, bounded and parsed with `schema`. */
  async json<T>(call: RemoteCall, schema: ZodType<T>): Promise<T> {
    const response = await this.send({ ...call, acceptGzip: true });
    const text = (await readJsonBody(response, MAX_JSON_RESPONSE_BYTES)).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`${this.baseUrl} answered ${call.path} with something that is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new Error(
        `${this.baseUrl} answered ${call.path} with an unexpected shape: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }
}

async function refusalOf(response: Response, baseUrl: string): Promise<Error> {
  let code: string | undefined;
  let message = `${baseUrl} answered HTTP ${response.status}`;
  try {
    const body = JSON.parse((await readJsonBody(response, MAX_ERROR_BODY_BYTES)).toString('utf8')) as unknown;
    if (body && typeof body === 'object') {
      const fields = body as { error?: unknown; message?: unknown };
      if (typeof fields.error === 'string') code = fields.error;
      if (typeof fields.message === 'string') message = `${baseUrl}: ${fields.message.slice(0, 1000)}`;
    }
  } catch {
    // Not JSON (a proxy's page) or too long: the status says enough.
  }
  if (response.status === 401 || response.status === 403) return new PeerRefusedError(message);
  if (response.status === 409 && code === 'changed_meanwhile') return new ChangedMeanwhileError(message);
  return new PeerHttpError(response.status, code, message);
}

/** The body, refused once it passes `limit` bytes (the rest is not read). */
export async function readBounded(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel();
    throw new Error(`The answer is larger than ${limit} bytes`);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`The answer is larger than ${limit} bytes`);
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks);
}

/** gzip's first two bytes: no JSON text starts with them. */
const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * A JSON answer's bytes within `limit`, inflated (within `limit` too) when it came gzip'd. The
 * global fetch inflates by itself and a Berth's own does not, so the bytes decide, not the header.
 */
export async function readJsonBody(response: Response, limit: number): Promise<Buffer> {
  const raw = await readBounded(response, limit);
  if (!isGzip(raw)) return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (error) {
    if (error instanceof RangeError) throw new Error(`The answer is larger than ${limit} bytes`, { cause: error });
    throw new Error(`The answer is not valid gzip: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as unknown) : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
