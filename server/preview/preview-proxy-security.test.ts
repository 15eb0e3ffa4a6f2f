// Attacks on the preview fast path (preview-connection.ts) and its header rules, on real
// sockets: a local app stands in for the dev server (the pool opens plain TCP to it), the
// browser is a raw socket so every byte is the attacker's choice.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTarget } from './agent-tunnel';
import { servePreviewConnection, type PreviewRoute } from './preview-connection';
import { hostOnlySetCookie } from './preview-headers';
import { countNothing, proxyHttp, proxyUpgrade } from './preview-proxy';
import { notFoundPage } from './preview-pages';
import { TunnelPool } from './tunnel-pool';
import { rawGet } from './test-helpers';

const IDE = 'http://localhost:4000';
const CAP = 'a'.repeat(32);
const HOST = `p-${CAP}.localhost:4000`;
const REVOKED_HOST = `p-${'b'.repeat(32)}.localhost:4000`;
/** Another project's preview, on an app of its own. */
const HOST_B = `p-${'c'.repeat(32)}.localhost:4000`;
const BERTH_HOST = 'localhost:4000';
/** A preview whose app drops the connection on every POST, unanswered (a crash mid-request). */
const DROPPING_HOST = `p-${'d'.repeat(32)}.localhost:4000`;
const TOSSED = 'session=evil; Domain=localhost; Path=/; HttpOnly';

let app: http.Server;
let appPort = 0;
let appB: http.Server;
let appBPort = 0;
let dropping: net.Server;
let droppingPort = 0;
let postsDropped = 0;
/** Every request an app got: which app, its target, its raw header lines. */
const seen: { app: 'A' | 'B'; url: string; raw: string[] }[] = [];
let front: net.Server;
let frontPort = 0;
let slowFront: net.Server;
let slowFrontPort = 0;
let stuckFront: net.Server;
let stuckFrontPort = 0;
let pool: TunnelPool;
const handedOff: string[] = [];

const listening = (server: net.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

function route(host: string | undefined): PreviewRoute | null {
  if (host === HOST) {
    const target: AgentTarget = { url: `http://127.0.0.1:${appPort}`, secret: 'unused' };
    return { target, port: appPort, key: 'app' };
  }
  if (host === HOST_B) {
    const target: AgentTarget = { url: `http://127.0.0.1:${appBPort}`, secret: 'other' };
    return { target, port: appBPort, key: 'b' };
  }
  if (host === DROPPING_HOST) {
    const target: AgentTarget = { url: `http://127.0.0.1:${droppingPort}`, secret: 'drop' };
    return { target, port: droppingPort, key: 'dropping' };
  }
  if (host === REVOKED_HOST) return { page: notFoundPage };
  return null;
}

function serveOn(headTimeoutMs?: number, stuck = false): net.Server {
  return net.createServer((socket) => {
    // A browser that reads nothing: every byte written to it stays in Node's buffer, no 'drain'.
    if (stuck) socket.cork();
    servePreviewConnection(socket, {
      route,
      pool,
      ideOrigin: IDE,
      count: countNothing,
      handOff: (handed, buffered) => {
        handedOff.push(buffered.toString('latin1'));
        handed.destroy();
      },
      headTimeoutMs,
    });
  });
}

beforeAll(async () => {
  app = http.createServer((req, res) => {
    seen.push({ app: 'A', url: req.url ?? '', raw: req.rawHeaders });
    if (req.url === '/until-close') {
      res.socket?.end('HTTP/1.1 200 OK\r\n\r\nall of it');
      return;
    }
    if (req.url === '/big') return void res.end('x'.repeat(40_000));
    if (req.url === '/toss') {
      res.setHeader('Set-Cookie', [TOSSED, 'plain=1; Path=/']);
      // Clears the cookies of the whole registrable domain: Berth's session too, where it shares one.
      res.setHeader('Clear-Site-Data', '"cookies", "storage"');
    }
    res.end(`hi ${req.url}`);
  });
  app.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    socket.end(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSet-Cookie: ${TOSSED}\r\n\r\n`,
    );
  });
  appPort = await listening(app);
  appB = http.createServer((req, res) => {
    seen.push({ app: 'B', url: req.url ?? '', raw: req.rawHeaders });
    res.end(`B ${req.url}`);
  });
  appBPort = await listening(appB);
  dropping = net.createServer((socket) =>
    socket.on('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('POST '))
        return void socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      postsDropped++;
      socket.destroy();
    }),
  );
  droppingPort = await listening(dropping);
  // The pool's connections go straight to the local app (the direct path, no agent).
  pool = new TunnelPool(
    (_target, port) =>
      new Promise((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
  );
  front = serveOn();
  frontPort = await listening(front);
  slowFront = serveOn(300);
  slowFrontPort = await listening(slowFront);
  stuckFront = serveOn(undefined, true);
  stuckFrontPort = await listening(stuckFront);
});

afterAll(async () => {
  pool.dispose();
  await Promise.all(
    [app, appB, dropping, front, slowFront, stuckFront].map(
      (server) => new Promise((resolve) => server.close(resolve)),
    ),
  );
});

/** Writes `bytes` on a raw connection and resolves with everything until the server closes it. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`not closed; got ${JSON.stringify(received)}`));
    }, 5000);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
    socket.write(bytes, 'latin1');
  });
}

const setCookies = (answer: string) => answer.split('\r\n').filter((line) => /^set-cookie:/i.test(line));

describe('preview fast path under attack', () => {
  it('closes a connection whose head is dribbled in slower than the head deadline (slowloris)', async () => {
    const closed = await new Promise<{ ms: number; received: string }>((resolve, reject) => {
      const started = performance.now();
      const socket = net.connect({ host: '127.0.0.1', port: slowFrontPort });
      let received = '';
      // One byte every 50 ms keeps the idle timer (60 s) happy forever.
      const drip = setInterval(() => socket.write('X'), 50);
      const timer = setTimeout(() => {
        clearInterval(drip);
        socket.destroy();
        reject(new Error('a dribbled head kept the connection open'));
      }, 5000);
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(timer);
        resolve({ ms: performance.now() - started, received });
      });
      socket.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nX-Slow: `);
    });
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closed.ms).toBeLessThan(3000);
  });

  it('keeps a connection whose heads each arrive in time, however long it lives', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: slowFrontPort });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const answered = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if ((received.match(/hi \/n/g) ?? []).length >= count) {
            socket.off('data', check);
            resolve();
          }
        };
        socket.on('data', check);
        check();
      });
    for (let i = 1; i <= 4; i++) {
      socket.write(`GET /n${i} HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      await answered(i);
      // Idle between requests longer than the head deadline: only a started head is timed.
      if (i === 2) await new Promise((resolve) => setTimeout(resolve, 400));
    }
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('never pools a tunnel paused for a browser that stopped reading (the next browser would hang)', async () => {
    const given: boolean[] = [];
    const give = pool.give.bind(pool);
    pool.give = (key, socket) => {
      given.push(socket.isPaused());
      give(key, socket);
    };
    const stuck = net.connect({ host: '127.0.0.1', port: stuckFrontPort });
    stuck.write(`GET /big HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
    // The answer is whole (the app is done) once its tunnel is idle; then the browser goes away.
    await new Promise<void>((resolve) =>
      app.once('request', (_req, res: http.ServerResponse) => res.once('finish', resolve)),
    );
    stuck.destroy();
    const answer = await exchange(frontPort, `GET /after HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
    expect(answer).toContain('hi /after');
    expect(given.every((paused) => !paused)).toBe(true);
  });

  it("never lets the app set a cookie for another site: Set-Cookie's Domain is dropped (host-only)", async () => {
    const answer = await exchange(frontPort, `GET /toss HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(setCookies(answer)).toEqual(['Set-Cookie: session=evil; Path=/; HttpOnly', 'Set-Cookie: plain=1; Path=/']);
    expect(answer).not.toMatch(/clear-site-data/i);
  });

  it('drops Domain from Set-Cookie on a 101 (WebSocket handshakes set cookies too)', async () => {
    const answer = await exchange(
      frontPort,
      `GET /ws HTTP/1.1\r\nHost: ${HOST}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 101 /);
    expect(setCookies(answer)).toEqual(['Set-Cookie: session=evil; Path=/; HttpOnly']);
  });

  it('rewrites Set-Cookie the same way on the node:http path (a front proxy mixing hosts)', async () => {
    // proxyHttp/proxyUpgrade open their own tunnels; drive them through a stand-in agent.
    const agent = http.createServer((_req, res) => res.writeHead(404).end());
    agent.on('connect', (_req: http.IncomingMessage, socket: net.Socket) => {
      const upstream = net.connect({ host: '127.0.0.1', port: appPort }, () => {
        socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    const agentPort = await listening(agent);
    const agentTarget: AgentTarget = { url: `http://127.0.0.1:${agentPort}`, secret: 'x' };
    const berth = http.createServer((req, res) => proxyHttp(req, res, agentTarget, appPort, IDE));
    berth.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
      proxyUpgrade(req, socket, head, agentTarget, appPort, IDE),
    );
    const berthPort = await listening(berth);
    try {
      const answer = await rawGet(`http://127.0.0.1:${berthPort}`, '/toss', { Host: HOST });
      expect(answer.headers['set-cookie']).toEqual(['session=evil; Path=/; HttpOnly', 'plain=1; Path=/']);
      expect(answer.headers['clear-site-data']).toBeUndefined();
      const upgraded = await exchange(
        berthPort,
        `GET /ws HTTP/1.1\r\nHost: ${HOST}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      );
      expect(upgraded).toMatch(/^HTTP\/1\.1 101 /);
      expect(setCookies(upgraded)).toEqual(['Set-Cookie: session=evil; Path=/; HttpOnly']);
    } finally {
      await Promise.all([agent, berth].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('keeps the cookie pair and every other attribute when dropping Domain', () => {
    expect(hostOnlySetCookie('a=b;domain=.example.com;Secure')).toBe('a=b; Secure');
    expect(hostOnlySetCookie('a=b; Path=/; DOMAIN = x.example; Domain=y; SameSite=None; Secure')).toBe(
      'a=b; Path=/; SameSite=None; Secure',
    );
    expect(hostOnlySetCookie('domain=value; Path=/')).toBe('domain=value; Path=/');
    expect(hostOnlySetCookie('plain=1')).toBe('plain=1');
  });

  it("strips every spelling of Berth's credentials, and nothing else of the browser's cookies", async () => {
    const answer = await exchange(
      frontPort,
      `GET /creds HTTP/1.1\r\nHost: ${HOST}\r\ncookie: next-auth.session-token=x; a=1\r\n` +
        `COOKIE: __Secure-next-auth.session-token=y;b=2\r\nCookie: __Host-next-auth.csrf-token=z\r\n` +
        'authorization: Basic eDp5\r\nPROXY-AUTHORIZATION: Basic eDp5\r\nX-Forwarded-Host: localhost:4000\r\n' +
        'x-berth-user: admin\r\nX-BERTH-PROJECT: p1\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toContain('hi /creds');
    const raw = seen.find((entry) => entry.url === '/creds')!.raw;
    const names = raw.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    expect(names.filter((name) => name === 'cookie')).toHaveLength(1);
    expect(raw[raw.findIndex((name) => name.toLowerCase() === 'cookie') + 1]).toBe('a=1; b=2');
    for (const name of ['authorization', 'proxy-authorization', 'x-forwarded-host', 'x-berth-user', 'x-berth-project'])
      expect(names).not.toContain(name);
  });

  it('refuses every ambiguous framing with 400 and closes: the app never sees a smuggled request', async () => {
    const first = `GET /first HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;
    const smuggled = `GET /smuggled HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;
    const shapes = [
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 0\r\ncontent-length: 60\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: +0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: chunked\r\n\r\n0\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nX-A: 1\nContent-Length: 0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length : 0\r\n\r\n${smuggled}`,
      `POST /x HTTP/1.1\r\nHost: ${HOST}\r\nHost: ${BERTH_HOST}\r\n\r\n${smuggled}`,
      `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: ${HOST}\r\n\r\n${smuggled}`,
      `GET /x HTTP/1.1\r\nHost: ${HOST}\r\nX-Big: ${'a'.repeat(40_000)}`,
    ];
    for (const shape of shapes) {
      // After a first request the connection is the preview's: every later head is read here.
      const answer = await exchange(frontPort, first + shape);
      expect(answer, shape.slice(0, 90)).toContain('hi /first');
      expect(answer.slice(answer.indexOf('hi /first')), shape.slice(0, 90)).toMatch(/HTTP\/1\.1 4(00|31) /);
    }
    expect(seen.some((entry) => entry.url === '/smuggled')).toBe(false);
  });

  it('checks each pipelined request on its own: another project, a revoked link, then Berth', async () => {
    const before = handedOff.length;
    const answer = await exchange(
      frontPort,
      `GET /a1 HTTP/1.1\r\nHost: ${HOST}\r\n\r\n` +
        `GET /b1 HTTP/1.1\r\nHost: ${HOST_B}\r\n\r\n` +
        `GET /a2 HTTP/1.1\r\nHost: ${HOST}\r\n\r\n` +
        `GET /revoked HTTP/1.1\r\nHost: ${REVOKED_HOST}\r\n\r\n` +
        `GET /api/projects HTTP/1.1\r\nHost: ${BERTH_HOST}\r\nCookie: next-auth.session-token=x\r\n\r\n`,
    );
    const order = ['hi /a1', 'B /b1', 'hi /a2', 'HTTP/1.1 404 '].map((text) => answer.indexOf(text));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    // Each app saw only its own project's requests; Berth got only its own request, whole.
    expect(seen.filter((entry) => ['/a1', '/a2', '/b1'].includes(entry.url)).map((e) => `${e.app}${e.url}`)).toEqual([
      'A/a1',
      'B/b1',
      'A/a2',
    ]);
    expect(seen.some((entry) => entry.url === '/revoked' || entry.url === '/api/projects')).toBe(false);
    expect(handedOff.slice(before)).toEqual([
      `GET /api/projects HTTP/1.1\r\nHost: ${BERTH_HOST}\r\nCookie: next-auth.session-token=x\r\n\r\n`,
    ]);
  });

  it('never lets an absolute-form target or X-Forwarded-Host reach Berth from a preview connection', async () => {
    const before = handedOff.length;
    const answer = await exchange(
      frontPort,
      `GET http://${BERTH_HOST}/api/abs HTTP/1.1\r\nHost: ${HOST}\r\nX-Forwarded-Host: ${BERTH_HOST}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toContain('hi /api/abs');
    expect(handedOff.length).toBe(before);
  });

  it('closes after HTTP/1.0 and after an answer that runs until close: no request follows on them', async () => {
    const old = await exchange(
      frontPort,
      `GET /ten HTTP/1.0\r\nHost: ${HOST}\r\n\r\nGET /after-ten HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`,
    );
    expect(old).toContain('hi /ten');
    expect(old).not.toContain('after-ten');
    const raw = seen.find((entry) => entry.url === '/ten')!.raw;
    expect(raw).toContain('close');
    const untilClose = await exchange(
      frontPort,
      `GET /until-close HTTP/1.1\r\nHost: ${HOST}\r\n\r\nGET /after-close HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`,
    );
    expect(untilClose).toContain('all of it');
    expect(untilClose).toMatch(/Connection: close/i);
    expect(untilClose).not.toContain('after-close');
    expect(seen.some((entry) => entry.url.startsWith('/after-'))).toBe(false);
  });

  it('never gives one project a connection pooled for another', async () => {
    for (const [host, text] of [
      [HOST, 'hi /pool'],
      [HOST_B, 'B /pool'],
      [HOST, 'hi /pool'],
      [HOST_B, 'B /pool'],
    ] as const) {
      const answer = await exchange(frontPort, `GET /pool HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(answer).toContain(text);
    }
  });

  it('never sends a POST twice when a reused connection to the app closes unanswered', async () => {
    const answer = await exchange(
      frontPort,
      `GET / HTTP/1.1\r\nHost: ${DROPPING_HOST}\r\n\r\n` +
        `POST /pay HTTP/1.1\r\nHost: ${DROPPING_HOST}\r\nContent-Length: 0\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/HTTP\/1\.1 502 /);
    expect(postsDropped).toBe(1);
  });
});
