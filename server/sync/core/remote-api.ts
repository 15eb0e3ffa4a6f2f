// Talking to another Berth's REST API from the initiator's side (HttpPeer, BerthClient): one
// request helper that sends the bearer token, reads JSON answers within a byte bound (a hostile
// remote must not exhaust memory), parses them with the contract's zod schemas and turns
// refusals into the errors the planner knows. Pure Node: the CLI bundles this file.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ZodType } from 'zod';
import { nodeFetch, type RemoteFetch, type RemoteResponse } from './node-fetch';
import { ChangedMeanwhileError, PeerRefusedError } from './sync-peer';

/** JSON answers are read up to this many bytes (the largest, a 200,000-entry state, is ~40 MB). */
export const MAX_JSON_RESPONSE_BYTES = 64 * 1024 * 1024;
/** An error answer's body is read up to this. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** JSON request bodies above this go gzip'd (a manifest or a list of hashes; small ones are not worth it). */
export const GZIP_REQUEST_MIN_BYTES = 4 * 1024;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A call is given up when the remote sends (or takes) no bytes for this long (review M1). */
export const REMOTE_IDLE_MS = 60_000;

/** The remote went silent mid-call: it accepted the connection but stopped answering. */
export class RemoteIdleError extends Error {
  readonly code = 'remote_idle';
}

/**
 * The idle clock of one call: it runs only while this side waits on the remote (for its answer,
 * its next bytes, or to take the next bytes sent), never while this side is busy itself (a slow
 * consumer of the answer, a slow source of the upload), and aborts the call when it runs out.
 */
class IdleWatch {
  readonly controller = new AbortController();
  error: RemoteIdleError | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly what: string,
  ) {}

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.error = new RemoteIdleError(`${this.what} sent nothing for ${Math.round(this.ms / 1000)} s; gave up`);
      this.controller.abort(this.error);
    }, this.ms);
    // A call left unread must not keep the CLI's process alive.
    this.timer.unref?.();
  }

  pause(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A stream whose reads run the clock only while they wait on `source`. */
  watch(source: ReadableStream<Uint8Array>, waitingOnRemote: boolean): ReadableStream<Uint8Array> {
    const reader = source.getReader();
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        // Reading the answer: the remote is waited on while the read is pending. Reading this
        // side's upload: the remote waits on us meanwhile, then must take what was read.
        if (waitingOnRemote) this.arm();
        else this.pause();
        try {
          const { done, value } = await reader.read();
          if (waitingOnRemote) this.pause();
          else this.arm();
          if (done) {
            if (waitingOnRemote) this.pause();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          this.pause();
          controller.error(this.error ?? error);
        }
      },
      cancel: (reason) => {
        this.pause();
        return reader.cancel(reason);
      },
    });
  }
}

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
  /** The idle bound of this call instead of the API's (a long poll: its wait and a margin). */
  idleMs?: number;
}

export class RemoteApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
    /**
     * A Berth's server passes one that refuses internal addresses (server/sync/remotes/remote-fetch.ts);
     * the default is node:http (the CLI's start-up never loads undici).
     */
    private readonly fetchImpl: RemoteFetch = nodeFetch,
    /** No bytes either way for this long ends a call (RemoteIdleError). */
    private readonly idleMs: number = REMOTE_IDLE_MS,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The raw answer when it is 2xx; every other status becomes the matching error. */
  async send(call: RemoteCall): Promise<RemoteResponse> {
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
    const idle = new IdleWatch(call.idleMs ?? this.idleMs, `${this.baseUrl} (${call.method} ${call.path})`);
    if (body instanceof ReadableStream) body = idle.watch(body as ReadableStream<Uint8Array>, false);
    const signal = call.signal ? AbortSignal.any([call.signal, idle.controller.signal]) : idle.controller.signal;
    let response: RemoteResponse;
    idle.arm();
    try {
      response = await this.fetchImpl(`${this.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        body,
        signal,
        redirect: 'error',
        // A streamed request body (blob upload) needs half duplex.
        ...(body && typeof body === 'object' && !(body instanceof Uint8Array) ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      idle.pause();
      if (idle.error) throw idle.error;
      if (call.signal?.aborted) throw call.signal.reason ?? error;
      throw new Error(`Cannot reach ${this.baseUrl}: ${causeOf(error)}`, { cause: error });
    }
    idle.pause();
    // Not a new Response: that would load undici (see node-fetch.ts).
    if (response.body)
      response = {
        ok: response.ok,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: idle.watch(response.body, true),
      };
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

async function refusalOf(response: RemoteResponse, baseUrl: string): Promise<Error> {
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
export async function readBounded(response: RemoteResponse, limit: number): Promise<Buffer> {
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
export async function readJsonBody(response: RemoteResponse, limit: number): Promise<Buffer> {
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
