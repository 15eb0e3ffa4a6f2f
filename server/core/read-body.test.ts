// readBody on a real loopback server: plain and gzip'd bodies, the limit on the inflated size
// (a small gzip that inflates past it is 413), broken gzip 400, other encodings 415.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { readBody } from './read-body';

const LIMIT = 64 * 1024;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    readBody(req, LIMIT).then(
      (body) => res.writeHead(200).end(body),
      (error: unknown) =>
        res.writeHead(error instanceof DomainError ? 400 : 500).end(error instanceof DomainError ? error.code : 'x'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = async (body: Buffer, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: 'POST', headers, body: new Uint8Array(body) });
  return { status: res.status, text: await res.text() };
};

describe('readBody', () => {
  it('reads a plain body and a gzip one, inflated', async () => {
    const text = 'x'.repeat(10_000);
    expect(await post(Buffer.from(text))).toEqual({ status: 200, text });
    expect(await post(gzipSync(text), { 'Content-Encoding': 'gzip' })).toEqual({ status: 200, text });
    expect(await post(Buffer.from(text), { 'Content-Encoding': 'identity' })).toEqual({ status: 200, text });
  });

  it('holds the limit on the inflated size, and refuses broken gzip and other encodings', async () => {
    const bomb = gzipSync(Buffer.alloc(LIMIT * 50));
    expect(bomb.length).toBeLessThan(LIMIT);
    expect(await post(bomb, { 'Content-Encoding': 'gzip' })).toEqual({ status: 400, text: 'payload_too_large' });
    expect(await post(Buffer.alloc(LIMIT + 1))).toEqual({ status: 400, text: 'payload_too_large' });
    expect(await post(Buffer.from('plain text'), { 'Content-Encoding': 'gzip' })).toEqual({
      status: 400,
      text: 'invalid_gzip',
    });
    const truncated = gzipSync('y'.repeat(5_000)).subarray(0, 20);
    expect(await post(truncated, { 'Content-Encoding': 'gzip' })).toEqual({ status: 400, text: 'invalid_gzip' });
    expect(await post(Buffer.from('{}'), { 'Content-Encoding': 'br' })).toEqual({
      status: 400,
      text: 'unsupported_encoding',
    });
  });
});
