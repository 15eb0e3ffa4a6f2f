// The preview fast path's framing: heads it must refuse, and bodies followed across any split.
import { describe, expect, it } from 'vitest';
import {
  BodyScanner,
  FramingError,
  parseRequestHead,
  parseResponseHead,
  requestBodyLength,
  responseBodyLength,
} from './http-framing';

/** Feeds `bytes` to a scanner in pieces of `size`; returns how many it took and whether it finished. */
function scan(scanner: BodyScanner, bytes: Buffer, size: number): { taken: number; done: boolean } {
  let taken = 0;
  for (let at = 0; at < bytes.length && !scanner.done; at += size) {
    const piece = bytes.subarray(at, Math.min(at + size, bytes.length));
    taken += scanner.take(piece, 0);
  }
  return { taken, done: scanner.done };
}

describe('http framing', () => {
  it('reads a request head and its body length', () => {
    const head = parseRequestHead('POST /a?b=1 HTTP/1.1\r\nHost: p-x.localhost\r\nContent-Length: 12');
    expect(head).toMatchObject({ method: 'POST', target: '/a?b=1', version: '1.1' });
    expect(requestBodyLength(head)).toEqual({ kind: 'length', bytes: 12 });
    expect(requestBodyLength(parseRequestHead('GET / HTTP/1.1\r\nHost: x'))).toEqual({ kind: 'none' });
    expect(requestBodyLength(parseRequestHead('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked'))).toEqual({
      kind: 'chunked',
    });
  });

  it('refuses what two parsers could read differently', () => {
    const refused = [
      'GET / HTTP/1.1\r\nHost: a\r\n folded',
      'GET / HTTP/1.1\r\nHost: a\nX: b',
      'GET / HTTP/1.1\r\nHo st: a',
      'GET / HTTP/1.1\r\nX: a\rb',
      'GET  / HTTP/1.1',
      'GET / HTTP/2.0',
    ];
    for (const text of refused) expect(() => parseRequestHead(text), JSON.stringify(text)).toThrow(FramingError);
    const bodies = [
      'POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked',
      'POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5',
      'POST / HTTP/1.1\r\nContent-Length: -1',
      'POST / HTTP/1.1\r\nContent-Length: 1e3',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip',
    ];
    for (const text of bodies)
      expect(() => requestBodyLength(parseRequestHead(text)), JSON.stringify(text)).toThrow(FramingError);
  });

  it('knows which answers have no body, and which run until close', () => {
    const answer = (text: string) => parseResponseHead(text);
    expect(responseBodyLength(answer('HTTP/1.1 200 OK\r\nContent-Length: 5'), 'HEAD')).toEqual({ kind: 'none' });
    expect(responseBodyLength(answer('HTTP/1.1 304 Not Modified\r\nContent-Length: 5'), 'GET')).toEqual({
      kind: 'none',
    });
    expect(responseBodyLength(answer('HTTP/1.1 204 No Content'), 'GET')).toEqual({ kind: 'none' });
    expect(responseBodyLength(answer('HTTP/1.1 200 OK'), 'GET')).toEqual({ kind: 'close' });
    expect(responseBodyLength(answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip'), 'GET')).toEqual({ kind: 'close' });
    expect(answer('HTTP/1.1 404 Not Found').reason).toBe('Not Found');
    expect(() => answer('HTTP/1.1 20 OK')).toThrow(FramingError);
  });

  it('follows a chunked body with extensions and trailers across every split, and stops at its end', () => {
    const body = Buffer.from('5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n');
    const next = Buffer.from('GET /next HTTP/1.1\r\n\r\n');
    for (const size of [1, 2, 3, 7, 64]) {
      const result = scan(new BodyScanner({ kind: 'chunked' }), Buffer.concat([body, next]), size);
      expect(result, `pieces of ${size}`).toEqual({ taken: body.length, done: true });
    }
  });

  it('refuses a bad chunk size or a chunk longer than it said', () => {
    for (const text of ['z\r\n', '5\r\nhello!\r\n', '5\nhello\r\n', `${'f'.repeat(13)}\r\n`])
      expect(() => new BodyScanner({ kind: 'chunked' }).take(Buffer.from(text), 0), JSON.stringify(text)).toThrow(
        FramingError,
      );
  });

  it('counts a sized body and leaves the bytes after it', () => {
    const scanner = new BodyScanner({ kind: 'length', bytes: 10 });
    expect(scanner.take(Buffer.from('12345'), 0)).toBe(5);
    expect(scanner.take(Buffer.from('67890GET'), 0)).toBe(5);
    expect(scanner.done).toBe(true);
  });
});
