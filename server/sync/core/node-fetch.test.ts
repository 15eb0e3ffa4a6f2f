import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch, type RemoteResponse } from './node-fetch';

let server: Server;
let port: number;

beforeAll(async () => {
  // Echoes the method, the body's size and a header; /redirect answers 302.
  server = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: 'http://169.254.169.254/' });
      res.end();
      return;
    }
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Twice': ['a', 'b'] });
      res.end(JSON.stringify({ method: req.method, bytes, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function text(response: RemoteResponse): Promise<string> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return Buffer.concat(chunks).toString('utf8');
}

describe('nodeFetch (the CLI reaches a Berth over node:http, not undici)', () => {
  it('sends headers and bodies (streamed too) and streams the answer back', async () => {
    const plain = await nodeFetch(`http://127.0.0.1:${port}/x`, { headers: { Authorization: 'Bearer t' } });
    expect(plain).toMatchObject({ ok: true, status: 200 });
    expect(plain.headers.get('Content-Type')).toBe('application/json');
    expect(plain.headers.get('x-twice')).toBe('a, b');
    expect(plain.headers.get('x-none')).toBeNull();
    expect(JSON.parse(await text(plain))).toEqual({ method: 'GET', bytes: 0, auth: 'Bearer t' });

    const chunks = [new Uint8Array(1000), new Uint8Array(24)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await nodeFetch(`http://127.0.0.1:${port}/up`, { method: 'POST', body: stream });
    expect(JSON.parse(await text(streamed))).toMatchObject({ method: 'POST', bytes: 1024 });
    const bytes = await nodeFetch(`http://127.0.0.1:${port}/up`, { method: 'POST', body: new Uint8Array(7) });
    expect(JSON.parse(await text(bytes))).toMatchObject({ bytes: 7 });
  });

  it('does not follow redirects: a 3xx is an answer, not ok', async () => {
    const answer = await nodeFetch(`http://127.0.0.1:${port}/redirect`, {});
    expect(answer).toMatchObject({ ok: false, status: 302 });
    expect(answer.headers.get('location')).toBe('http://169.254.169.254/');
    await answer.body?.cancel();
  });

  it('fails as fetch does: unreachable, aborted, or not http', async () => {
    const refused = await nodeFetch('http://127.0.0.1:1/', {}).then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(refused?.message).toBe('fetch failed');
    expect((refused?.cause as Error).message).toMatch(/ECONNREFUSED/);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(nodeFetch(`http://127.0.0.1:${port}/`, { signal: controller.signal })).rejects.toThrow();
    await expect(nodeFetch('file:///etc/passwd', {})).rejects.toThrow(/refused: file:/);
  });
});
