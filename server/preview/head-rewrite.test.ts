// The header rules on the fast path's heads, without sockets.
import { describe, expect, it } from 'vitest';
import { parseRequestHead, parseResponseHead } from './http-framing';
import { appRequestHead, browserAnswer, requestFacts } from './head-rewrite';

const IDE = 'http://localhost:3000';

function rewrite(text: string): { facts: ReturnType<typeof requestFacts>; head: string } {
  const head = parseRequestHead(text);
  const facts = requestFacts(head);
  return { facts, head: appRequestHead(head, facts) };
}

describe('request heads', () => {
  it("drops Berth's cookies, credentials, X-Forwarded-Host, X-Berth-* and hop-by-hop headers", () => {
    const { facts, head } = rewrite(
      [
        'GET http://elsewhere.test/a?b=1 HTTP/1.1',
        'Host: p-x.localhost:3000',
        'Cookie: next-auth.session-token=s; theme=dark',
        'Cookie: __Secure-next-auth.csrf-token=c; other=1',
        'Authorization: Bearer berth',
        'Proxy-Authorization: Basic x',
        'X-Forwarded-Host: evil.test',
        'X-Berth-Preview-Port: 22',
        'Connection: keep-alive, X-Hop, Content-Length',
        'Keep-Alive: timeout=5',
        'X-Hop: 1',
        'TE: trailers',
        'Content-Length: 3',
        'Accept: text/html',
      ].join('\r\n'),
    );
    expect(facts).toMatchObject({ host: 'p-x.localhost:3000', hosts: 1, upgrade: false, close: false });
    expect(head).toBe(
      'GET /a?b=1 HTTP/1.1\r\nHost: p-x.localhost:3000\r\nContent-Length: 3\r\nAccept: text/html\r\nCookie: theme=dark; other=1\r\n\r\n',
    );
  });

  it('keeps an upgrade’s Connection and Upgrade, and says close for HTTP/1.0', () => {
    const upgrade = rewrite(
      'GET /hmr HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nCookie: next-auth.session-token=s',
    );
    expect(upgrade.facts.upgrade).toBe(true);
    expect(upgrade.head).toBe('GET /hmr HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    const old = rewrite('GET / HTTP/1.0\r\nHost: h');
    expect(old.facts.close).toBe(true);
    expect(old.head).toBe('GET / HTTP/1.0\r\nHost: h\r\nConnection: close\r\n\r\n');
    expect(rewrite('GET / HTTP/1.1\r\nHost: a\r\nHost: b').facts.hosts).toBe(2);
  });
});

describe('answer heads', () => {
  const request = { method: 'GET', upgrade: false, close: false };

  it('may be framed by the IDE only, and keep their framing', () => {
    const answer = browserAnswer(
      parseResponseHead(
        'HTTP/1.1 200 OK\r\nX-Frame-Options: DENY\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2',
      ),
      request,
      IDE,
    );
    expect(answer.head).toBe(
      `HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Security-Policy: frame-ancestors ${IDE}\r\n\r\n`,
    );
    expect(answer).toMatchObject({ body: { kind: 'length', bytes: 2 }, closeAfter: false, reusable: true });
  });

  it('end both connections when the app closes or the body runs until close', () => {
    const closes = browserAnswer(
      parseResponseHead('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0'),
      request,
      IDE,
    );
    expect(closes).toMatchObject({ reusable: false, closeAfter: false });
    const untilClose = browserAnswer(parseResponseHead('HTTP/1.1 200 OK'), request, IDE);
    expect(untilClose).toMatchObject({ body: { kind: 'close' }, reusable: false, closeAfter: true });
    expect(untilClose.head).toContain('\r\nConnection: close\r\n');
    const clientCloses = browserAnswer(parseResponseHead('HTTP/1.1 204 No Content'), { ...request, close: true }, IDE);
    expect(clientCloses).toMatchObject({ body: { kind: 'none' }, reusable: true, closeAfter: true });
    const refusedUpgrade = browserAnswer(
      parseResponseHead('HTTP/1.1 400 Bad Request\r\nContent-Length: 0'),
      { ...request, upgrade: true },
      IDE,
    );
    expect(refusedUpgrade).toMatchObject({ reusable: false, closeAfter: true });
  });
});
