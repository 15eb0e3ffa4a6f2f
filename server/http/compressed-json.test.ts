// sendCompressibleJson on a real loopback server: a big answer gzip'd only when the client
// accepts gzip (q=0 is a refusal), a small one plain.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip, GZIP_ANSWER_MIN_BYTES, sendCompressibleJson } from './compressed-json';

const big = { files: Array.from({ length: 500 }, (_, i) => ({ path: `src/file-${i}.ts`, size: i })) };
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    void sendCompressibleJson(req, res, 200, req.url === '/small' ? { ok: true } : big);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** node:http does not inflate: the bytes as sent. */
function get(path: string, acceptEncoding?: string): Promise<{ encoding?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      void buffer(res).then((body) => resolve({ encoding: res.headers['content-encoding'], body }), reject);
    });
    req.on('error', reject).end();
  });
}

describe('sendCompressibleJson', () => {
  it('gzips a big answer for a client that accepts it, and only then', async () => {
    expect(JSON.stringify(big).length).toBeGreaterThan(GZIP_ANSWER_MIN_BYTES);
    const packed = await get('/big', 'gzip, deflate, br');
    expect(packed.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(packed.body).toString())).toEqual(big);
    expect(packed.body.length).toBeLessThan(JSON.stringify(big).length / 3);
    const plain = await get('/big');
    expect(plain.encoding).toBeUndefined();
    expect(JSON.parse(plain.body.toString())).toEqual(big);
    expect((await get('/small', 'gzip')).encoding).toBeUndefined();
  });

  it('reads Accept-Encoding as HTTP does', () => {
    const accepts = (value: string) => acceptsGzip({ headers: { 'accept-encoding': value } } as never);
    expect(accepts('gzip')).toBe(true);
    expect(accepts('br, GZIP;q=0.5')).toBe(true);
    expect(accepts('*')).toBe(true);
    expect(accepts('gzip;q=0')).toBe(false);
    expect(accepts('br, deflate')).toBe(false);
  });
});
