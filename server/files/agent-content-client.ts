// File content to and from the workspace agent over HTTP (GET/PUT /fs/content), streamed both
// ways with node:http — not fetch: a pending fetch did not keep the process alive, and we want
// backpressure from the browser all the way to the container. Keep-alive sockets are reused.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { AGENT_FILE_ERROR_STATUS, type AgentFileErrorCode } from '../contracts';
import { DomainError } from '../core/errors';
import type { AgentEndpoint } from '../runtime';
import { agentErrorKind, fromAgentError } from './agent-error-code';

const HEADERS_TIMEOUT_MS = 30_000;
const ERROR_BODY_LIMIT = 64 * 1024;

export interface PutOptions {
  /** Write only if the file is still at this version. */
  ifMatch?: string;
  /** Write only if the file does not exist yet. */
  ifNoneMatch?: boolean;
  /** Permission bits to give the file (default: the replaced file's, 0o644 for a new one). */
  mode?: number;
  maxBytes: number;
}

export interface AgentFile {
  stream: IncomingMessage;
  version: string;
  /** From Content-Length; undefined when the agent streamed without one. */
  size: number | undefined;
}

export const tooLarge = (maxBytes: number) =>
  new DomainError(
    'too_large',
    'too_large',
    `Files are at most ${Math.round(maxBytes / 1024 / 1024)} MB (FILE_MAX_MB)`,
    {
      maxBytes,
    },
  );
const agentUnavailable = (detail: string) =>
  new DomainError('unavailable', 'agent_unavailable', `The workspace agent did not answer: ${detail}`);

export class AgentContentClient {
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 8 });

  /** Opens a file for reading; the caller must consume or destroy `stream`. */
  get(endpoint: AgentEndpoint, path: string): Promise<AgentFile> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(this.url(endpoint, path), {
        method: 'GET',
        agent: this.agent,
        headers: this.auth(endpoint),
      });
      request.setTimeout(HEADERS_TIMEOUT_MS, () => request.destroy(agentUnavailable('timed out')));
      request.on('error', (error) => reject(error instanceof DomainError ? error : agentUnavailable(error.message)));
      request.on('response', (response) => {
        request.setTimeout(0);
        if (response.statusCode !== 200) {
          errorFrom(response).then(reject, reject);
          return;
        }
        const length = response.headers['content-length'];
        resolve({
          stream: response,
          version: String(response.headers['x-berth-version'] ?? ''),
          size: length === undefined ? undefined : Number(length),
        });
      });
      request.end();
    });
  }

  /**
   * Streams `source` into the file. Bytes are counted on the way: past maxBytes the upload to
   * the agent is aborted (it discards its temp file) and this rejects with 413.
   */
  put(
    endpoint: AgentEndpoint,
    path: string,
    source: Readable | Buffer,
    options: PutOptions,
  ): Promise<{ version: string; size: number }> {
    const headers: Record<string, string> = { ...this.auth(endpoint), 'Content-Type': 'application/octet-stream' };
    if (options.ifMatch !== undefined) headers['If-Match'] = options.ifMatch;
    if (options.ifNoneMatch) headers['If-None-Match'] = '*';
    if (Buffer.isBuffer(source)) {
      if (source.length > options.maxBytes) return Promise.reject(tooLarge(options.maxBytes));
      headers['Content-Length'] = String(source.length);
    }
    const url = this.url(endpoint, path, {
      maxBytes: String(options.maxBytes),
      ...(options.mode === undefined ? {} : { mode: (options.mode & 0o777).toString(8).padStart(3, '0') }),
    });
    return new Promise((resolve, reject) => {
      let settled = false;
      let answered = false;
      const settle = (error: Error | null, value?: { version: string; size: number }) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve(value!);
      };
      const request = httpRequest(url, { method: 'PUT', agent: this.agent, headers });
      // The upload may take as long as the client needs; the answer after it may not.
      request.on('finish', () =>
        request.setTimeout(HEADERS_TIMEOUT_MS, () => request.destroy(agentUnavailable('timed out'))),
      );
      request.on('response', (response) => {
        answered = true;
        request.setTimeout(0);
        if (response.statusCode === 200)
          readJson(response).then(
            (body) => settle(null, body as { version: string; size: number }),
            (error: Error) => settle(error),
          );
        else
          errorFrom(response).then(
            (error) => settle(error),
            (error: Error) => settle(error),
          );
      });
      // A write error after the agent answered (it refused early and closed) is not the story.
      request.on('error', (error) => {
        if (!answered) settle(error instanceof DomainError ? error : agentUnavailable(error.message));
      });
      request.on('close', () => {
        if (!answered) settle(agentUnavailable('connection closed'));
      });
      if (Buffer.isBuffer(source)) {
        request.end(source);
        return;
      }
      pipeline(source, new ByteLimit(options.maxBytes), request, (error) => {
        if (!error || answered) return;
        request.destroy();
        // Our 413, or the uploading client went away: either way nothing is written.
        settle(
          error instanceof DomainError
            ? error
            : new DomainError('bad_request', 'upload_aborted', 'The upload ended early'),
        );
      });
    });
  }

  dispose(): void {
    this.agent.destroy();
  }

  private url(endpoint: AgentEndpoint, path: string, extra: Record<string, string> = {}): URL {
    const url = new URL('/fs/content', endpoint.url);
    url.searchParams.set('path', path);
    for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
    return url;
  }

  private auth(endpoint: AgentEndpoint): Record<string, string> {
    return { Authorization: `Bearer ${endpoint.secret}` };
  }
}

/** Passes bytes through, failing with 413 once more than `limit` went by. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(tooLarge(this.limit));
    else callback(null, chunk);
  }
}

async function readJson(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > ERROR_BODY_LIMIT) {
      response.destroy();
      throw agentUnavailable('answer too long');
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    return { message: text };
  }
}

/**
 * The agent's error answer as a DomainError of the kind its code has in the agent contract (412's
 * conflict carries currentVersion); a code outside the contract is the agent misbehaving: bad_gateway.
 */
async function errorFrom(response: IncomingMessage): Promise<DomainError> {
  const body = ((await readJson(response).catch(() => ({}))) ?? {}) as {
    error?: unknown;
    code?: unknown;
    message?: unknown;
    currentVersion?: unknown;
  };
  const status = response.statusCode ?? 502;
  const rawCode = typeof body.error === 'string' ? body.error : typeof body.code === 'string' ? body.code : undefined;
  const answered = rawCode ?? codeForStatus(status);
  const rawMessage = typeof body.message === 'string' ? body.message : `The workspace agent answered ${status}`;
  if (status === 401) return agentUnavailable('it refused the workspace secret');
  const details = typeof body.currentVersion === 'string' ? { currentVersion: body.currentVersion } : undefined;
  const { code, message } = fromAgentError(answered, rawMessage);
  return new DomainError(agentErrorKind(code) ?? 'bad_gateway', code, message, details);
}

function codeForStatus(status: number): string {
  const entry = Object.entries(AGENT_FILE_ERROR_STATUS).find(([, value]) => value === status);
  return (entry?.[0] as AgentFileErrorCode | undefined) ?? 'failed';
}
