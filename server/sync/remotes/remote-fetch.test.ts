import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteFetch } from './remote-fetch';

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
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, bytes, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const listed = () => createRemoteFetch({ allowPrivateHosts: ['127.0.0.1', 'localhost'], selfOrigins: [] });
const strict = () => createRemoteFetch({ allowPrivateHosts: [], selfOrigins: [] });

describe('the fetch remotes are reached with', () => {
  it('sends headers and bodies (streamed too) to an allowed host and streams the answer back', async () => {
    const fetchRemote = listed();
    const plain = await fetchRemote(`http://127.0.0.1:${port}/x`, { headers: { Authorization: 'Bearer t' } });
    expect(await plain.json()).toEqual({ method: 'GET', bytes: 0, auth: 'Bearer t' });
    const chunks = [new Uint8Array(1000), new Uint8Array(24)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await fetchRemote(`http://localhost:${port}/up`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await streamed.json()).toMatchObject({ method: 'POST', bytes: 1024 });
  });

  it('refuses internal addresses unless allowed: literal ones, and names that resolve to them', async () => {
    const fetchRemote = strict();
    await expect(fetchRemote(`http://127.0.0.1:${port}/`)).rejects.toThrow(/internal address.*loopback/);
    // The name's lookup at connect time is what refuses (a name that resolved elsewhere when checked).
    const error = await fetchRemote(`http://localhost:${port}/`).then(
      () => null,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).toBe('fetch failed');
    expect((error?.cause as Error).message).toMatch(/localhost resolves to an internal address/);
  });

  it('allows this Berth itself by origin', async () => {
    const self = createRemoteFetch({ allowPrivateHosts: [], selfOrigins: [`http://127.0.0.1:${port}`] });
    expect((await self(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it('does not follow redirects', async () => {
    const answer = await listed()(`http://127.0.0.1:${port}/redirect`);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('http://169.254.169.254/');
  });

  it('ends the request when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(listed()(`http://127.0.0.1:${port}/`, { signal: controller.signal })).rejects.toThrow();
  });
});
