// The workspace agent, straight: its published port and secret, read from the container, and
// a raw PUT /fs/content to it (the baseline of a Berth save).
import { Agent, request as httpRequest } from 'node:http';
import type Dockerode from 'dockerode';
import type { AgentEndpoint } from '../../server/runtime';
import { agentEndpointOf } from '../../server/runtime/docker/container-spec';

/** The running workspace's agent: its published 7777/tcp on 127.0.0.1 and BERTH_AGENT_SECRET. */
export async function agentOf(container: Dockerode.Container): Promise<AgentEndpoint> {
  const endpoint = agentEndpointOf(await container.inspect());
  if (!endpoint) throw new Error('the workspace container has no published agent port or secret');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint.url)) throw new Error(`agent not on 127.0.0.1: ${endpoint.url}`);
  return endpoint;
}

/** PUT /fs/content with keep-alive (as the server's AgentContentClient does); resolves with the new version. */
export function rawPut(
  http: Agent,
  endpoint: AgentEndpoint,
  path: string,
  body: Buffer,
  ifMatch: string | null,
  timeoutMs: number,
): Promise<string> {
  const url = new URL('/fs/content', endpoint.url);
  url.searchParams.set('path', path);
  url.searchParams.set('maxBytes', String(10 * 1024 * 1024));
  const headers: Record<string, string> = {
    Authorization: `Bearer ${endpoint.secret}`,
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(body.length),
  };
  if (ifMatch === null) headers['If-None-Match'] = '*';
  else headers['If-Match'] = ifMatch;
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'PUT', agent: http, headers });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`agent PUT ${path}: timed out`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200)
          reject(new Error(`agent PUT ${path}: ${response.statusCode} ${text.slice(0, 200)}`));
        else resolve((JSON.parse(text) as { version: string }).version);
      });
    });
    request.end(body);
  });
}
