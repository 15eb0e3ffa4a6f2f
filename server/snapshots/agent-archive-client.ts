// Many files at once to and from a workspace agent, as tar streams over its HTTP port:
// POST /snapshot/archive {paths} streams those files out (snapshots read the content they do
// not have yet); PUT /snapshot/archive extracts a tar into /workspace (restores). One request
// instead of one per file keeps a 1,000-file snapshot or restore to about a second.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import tarStreamModule from 'tar-stream';
import { cjsDefault } from '../core/cjs-default';
import { DomainError } from '../core/errors';
import type { AgentEndpoint } from '../runtime';

const tarStream = cjsDefault(tarStreamModule);
const HEADERS_TIMEOUT_MS = 30_000;

export interface ArchiveEntry {
  path: string;
  type: 'file' | 'symlink';
  /** Permission bits. */
  mode: number;
  /** File bytes, or the symlink's target. */
  content: Buffer;
}

const agentUnavailable = (detail: string) =>
  new DomainError('unavailable', 'agent_unavailable', `The workspace agent did not answer: ${detail}`);

export class AgentArchiveClient {
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 4 });

  /** The current content of `paths` (a path that vanished is simply absent), in the order sent. */
  async *read(endpoint: AgentEndpoint, paths: string[]): AsyncGenerator<ArchiveEntry> {
    const body = Buffer.from(JSON.stringify({ paths }));
    const response = await this.send(
      endpoint,
      'POST',
      { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
      (request) => request.end(body),
    );
    const extract = tarStream.extract();
    response.on('error', (error) => extract.destroy(error));
    response.pipe(extract);
    for await (const entry of extract) {
      const { name, type, mode, linkname } = entry.header;
      if (type === 'symlink') {
        entry.resume();
        yield { path: name, type: 'symlink', mode: (mode ?? 0o777) & 0o7777, content: Buffer.from(linkname ?? '') };
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (type === 'file')
        yield { path: name, type: 'file', mode: (mode ?? 0o644) & 0o7777, content: Buffer.concat(chunks) };
    }
  }

  /** Extracts a tar stream into /workspace; resolves with how many entries were written. */
  async write(endpoint: AgentEndpoint, tar: Readable): Promise<{ written: number }> {
    const response = await this.send(endpoint, 'PUT', { 'Content-Type': 'application/x-tar' }, (request) =>
      pipeline(tar, request, (error) => {
        if (error) request.destroy(error);
      }),
    );
    return (await readJson(response)) as { written: number };
  }

  dispose(): void {
    this.agent.destroy();
  }

  private send(
    endpoint: AgentEndpoint,
    method: string,
    headers: Record<string, string>,
    start: (request: ReturnType<typeof httpRequest>) => void,
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(new URL('/snapshot/archive', endpoint.url), {
        method,
        agent: this.agent,
        headers: { ...headers, Authorization: `Bearer ${endpoint.secret}` },
      });
      request.on('finish', () =>
        request.setTimeout(HEADERS_TIMEOUT_MS, () => request.destroy(agentUnavailable('timed out'))),
      );
      request.on('error', (error) => reject(error instanceof DomainError ? error : agentUnavailable(error.message)));
      request.on('response', (response) => {
        request.setTimeout(0);
        if (response.statusCode === 200) resolve(response);
        else
          readJson(response).then((body) => {
            const { error, message } = (body ?? {}) as { error?: string; message?: string };
            reject(
              new DomainError(
                response.statusCode === 400 ? 'bad_request' : 'bad_gateway',
                error ?? 'agent_error',
                message ?? `The workspace agent answered ${response.statusCode}`,
              ),
            );
          }, reject);
      });
      start(request);
    });
  }
}

async function readJson(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 200) };
  }
}
