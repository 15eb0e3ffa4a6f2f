// HttpPeer against a scripted HTTP server on loopback: what it sends, how it maps refusals, and
// what it refuses from a hostile remote (stray or bad blobs, oversized answers).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BerthClient } from './berth-client';
import { decodeBlobFrames, encodeBlobFrames } from './blob-frames';
import { changesFrom, HttpPeer } from './http-peer';
import { GZIP_REQUEST_MIN_BYTES, PeerHttpError, RemoteIdleError } from './remote-api';
import { ChangedMeanwhileError, PeerRefusedError, type BlobContent } from './sync-peer';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;
let handler: Handler;
let server: Server;
let baseUrl: string;
const seen: { method: string; url: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
    if (req.url!.endsWith('/blobs')) {
      void handler(req, res, Buffer.alloc(0));
      return;
    }
    void buffer(req).then((body) => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const blob = (text: string): BlobContent => ({ sha256: sha(Buffer.from(text)), content: Buffer.from(text) });
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}
const peer = (extra: Partial<ConstructorParameters<typeof HttpPeer>[0]> = {}) =>
  new HttpPeer({ baseUrl, token: 'berth_pat_x', projectId: 'p1', name: 'team', ...extra });

const STATE = {
  project: { id: 'p1', name: 'App', template: 'blank-node' },
  stateId: 's1',
  files: [{ path: 'a.txt', mode: 0o100644, size: 1, sha256: sha(Buffer.from('a')) }],
  conversations: [],
};

describe('HttpPeer', () => {
  it('reads the state with the bearer token, known and a clamped waitMs', async () => {
    handler = (_req, res) => json(res, 200, STATE);
    expect(await peer().state()).toEqual(STATE);
    handler = (_req, res) => json(res, 200, { unchanged: true, stateId: 's1' });
    expect(await peer().state({ known: 's1', waitMs: 90_000 })).toEqual({ unchanged: true, stateId: 's1' });
    expect(seen.map((s) => s.url)).toEqual([
      '/api/v1/projects/p1/sync/peer/state',
      '/api/v1/projects/p1/sync/peer/state?known=s1&waitMs=30000',
    ]);
    expect(seen[0]!.auth).toBe('Bearer berth_pat_x');
  });

  it('refuses a state whose paths or hashes do not fit the contract', async () => {
    handler = (_req, res) => json(res, 200, { ...STATE, files: [{ ...STATE.files[0], sha256: 'nope' }] });
    await expect(peer().state()).rejects.toThrow(/unexpected shape/);
  });

  it('maps 401/403 to PeerRefusedError, 409 changed_meanwhile to ChangedMeanwhileError, others to PeerHttpError', async () => {
    handler = (_req, res) => json(res, 401, { error: 'unauthorized', message: 'Sign in or send a bearer token' });
    const refused = await peer()
      .state()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PeerRefusedError);
    expect((refused as Error).message).toContain('Sign in or send a bearer token');
    handler = (_req, res) => json(res, 409, { error: 'changed_meanwhile', message: 'changed' });
    await expect(peer().apply({ expectedStateId: 's1', files: [], label: 'x' })).rejects.toBeInstanceOf(
      ChangedMeanwhileError,
    );
    handler = (_req, res) => json(res, 404, { error: 'not_found', message: 'Project not found' });
    const missing = await peer()
      .missing([sha(Buffer.from('a'))])
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PeerHttpError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('refuses a JSON answer past its bound without reading it all', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) });
      res.write('{"missing":[');
      // Never ends: the peer must stop at the declared length.
    };
    await expect(peer().missing([sha(Buffer.from('a'))])).rejects.toThrow(/larger than/);
  });

  it('refuses a blob reported missing that was not asked about', async () => {
    handler = (_req, res) => json(res, 200, { missing: [sha(Buffer.from('other'))] });
    await expect(peer().missing([sha(Buffer.from('a'))])).rejects.toThrow(/not asked about/);
  });

  it('uploads framed blobs in batches and adds up the answers', async () => {
    const received: string[] = [];
    handler = async (req, res) => {
      expect(req.headers['content-type']).toBe('application/x-berth-blobs');
      let bytes = 0;
      let stored = 0;
      for await (const item of decodeBlobFrames(req, { maxBlobBytes: 1e6, maxTotalBytes: 1e7 })) {
        received.push(item.content.toString());
        bytes += item.content.length;
        stored++;
      }
      json(res, 200, { stored, bytes });
    };
    const progress: number[] = [];
    const result = await peer({ uploadBatchBytes: 6 }).putBlobs(
      iterate([blob('aaaa'), blob('bbbb'), blob('cc')]),
      (n) => progress.push(n),
    );
    expect(result).toEqual({ stored: 3, bytes: 10 });
    expect(received).toEqual(['aaaa', 'bbbb', 'cc']);
    expect(seen.filter((s) => s.url.endsWith('/blobs'))).toHaveLength(2);
    expect(progress).toEqual([4, 4, 2]);
  });

  it('reads blobs, and refuses stray, bad or missing ones', async () => {
    const a = blob('a');
    const b = blob('b');
    const serve = (blobs: BlobContent[]) => async (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/x-berth-blobs' });
      res.end(await buffer(encodeBlobFrames(iterate(blobs))));
    };
    const collect = async (hashes: string[]) => {
      const out: string[] = [];
      for await (const item of peer().readBlobs(hashes)) out.push(item.content.toString());
      return out;
    };
    handler = serve([a, b]);
    expect(await collect([a.sha256, b.sha256])).toEqual(['a', 'b']);
    handler = serve([a, blob('stray')]);
    await expect(collect([a.sha256, b.sha256])).rejects.toThrow(/not asked for/);
    handler = serve([a]);
    await expect(collect([a.sha256, b.sha256])).rejects.toThrow(/did not send 1 blob/);
    handler = serve([{ sha256: b.sha256, content: Buffer.from('not b') }]);
    await expect(collect([b.sha256])).rejects.toThrow(/does not match/);
  });

  it('holds blobs of the state it read to the sizes that state gave, and others to maxBlobBytes', async () => {
    const long = blob('longer than said');
    const short = blob('a');
    const serveState =
      (files: { content: BlobContent; size: number }[]) => (_req: IncomingMessage, res: ServerResponse) =>
        json(res, 200, {
          ...STATE,
          files: files.map(({ content, size }, i) => ({ path: `f${i}`, mode: 0o100644, size, sha256: content.sha256 })),
        });
    const serveBlobs = (blobs: BlobContent[]) => async (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/x-berth-blobs' });
      res.end(await buffer(encodeBlobFrames(iterate(blobs))));
    };
    const read = async (remote: HttpPeer, hashes: string[]) => {
      for await (const item of remote.readBlobs(hashes)) void item;
    };
    // The state said 3 bytes: the 16-byte frame is refused from its header (or the body past 3 + 68 bytes).
    const remote = peer();
    handler = serveState([{ content: long, size: 3 }]);
    await remote.state();
    handler = serveBlobs([long]);
    await expect(read(remote, [long.sha256])).rejects.toThrow(
      /more than its state gave: the blobs do not match their sizes/,
    );
    // Shorter than the state said: refused too.
    handler = serveState([{ content: short, size: 20 }]);
    await remote.state();
    handler = serveBlobs([short]);
    await expect(read(remote, [short.sha256])).rejects.toThrow(/does not match the size its state gave \(20\)/);
    // A hash no state named: maxBlobBytes.
    handler = serveBlobs([long]);
    await expect(read(peer({ maxBlobBytes: 8 }), [long.sha256])).rejects.toThrow(/over 8|larger than 76 bytes/);
    const client = new BerthClient({ baseUrl, token: 'berth_pat_x', maxBlobBytes: 8 });
    await expect(read(client.peer('p1', 'team'), [long.sha256])).rejects.toThrow(/over 8|larger than 76 bytes/);
  });

  it('asks which absent paths are present on disk, and refuses an answer naming others', async () => {
    let asked: unknown;
    handler = (_req, res, body) => {
      asked = JSON.parse(body.toString());
      json(res, 200, { present: ['.env'] });
    };
    expect(await peer().present(['.env', 'data/big.csv'])).toEqual(['.env']);
    expect(asked).toEqual({ paths: ['.env', 'data/big.csv'] });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1/projects/p1/sync/peer/present' });
    await expect(peer().present(['a.txt'])).rejects.toThrow(/not asked about/);
    // A Berth from before the route: asked nothing (as before), once.
    handler = (_req, res) => json(res, 404, { error: 'not_found', message: 'No such API route' });
    const older = peer();
    expect(await older.present(['.env'])).toEqual([]);
    const calls = seen.length;
    expect(await older.present(['.env'])).toEqual([]);
    expect(seen).toHaveLength(calls);
  });

  it('gives up a call when the remote goes silent, not while it keeps sending or long-polls', async () => {
    // Accepts the request, never answers.
    handler = () => undefined;
    await expect(peer({ idleMs: 200 }).missing([sha(Buffer.from('x'))])).rejects.toThrow(RemoteIdleError);
    // Answers headers and part of the body, then nothing more.
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"missing":');
    };
    await expect(peer({ idleMs: 200 }).missing([sha(Buffer.from('x'))])).rejects.toThrow(/sent nothing for/);
    // Slow but steady: each piece within the bound, the whole well past it.
    const text = JSON.stringify(STATE);
    handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < text.length; at += Math.ceil(text.length / 6)) {
        res.write(text.slice(at, at + Math.ceil(text.length / 6)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      res.end();
    };
    expect(await peer({ idleMs: 400 }).state()).toEqual(STATE);
    // A long poll is silent for its wait: the bound starts after it.
    handler = (_req, res) => void setTimeout(() => json(res, 200, { unchanged: true, stateId: 's1' }), 1_200);
    expect(await peer({ idleMs: 500 }).state({ known: 's1', waitMs: 1_000 })).toEqual({
      unchanged: true,
      stateId: 's1',
    });
  });

  it('applies with only the difference from the state it read, else with the whole target', async () => {
    const entry = (path: string, text: string, mode = 0o100644) => ({
      path,
      mode,
      size: text.length,
      sha256: sha(Buffer.from(text)),
    });
    const files = Array.from({ length: 300 }, (_, i) => entry(`src/file-${i}.ts`, `export const n = ${i};`));
    const bodies: unknown[] = [];
    handler = (req, res, body) => {
      if (req.method === 'GET') return json(res, 200, { ...STATE, stateId: 's1', files });
      const inflated = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      bodies.push(JSON.parse(inflated.toString()));
      return json(res, 200, { stateId: `s${bodies.length + 1}`, beforeSnapshotId: 'b', written: 1, deleted: 1 });
    };
    const remote = peer();
    // Never read: the whole target goes.
    const target = [...files.slice(1), entry('src/file-2.ts', 'changed'), entry('new.txt', 'new')];
    target.splice(1, 1); // the old src/file-2.ts
    await remote.apply({ expectedStateId: 's1', files: target, label: 'before sync with laptop' });
    expect(bodies[0]).toMatchObject({ expectedStateId: 's1', files: target });
    expect(bodies[0]).not.toHaveProperty('changes');

    await remote.state();
    await remote.apply({ expectedStateId: 's1', files: target, label: 'before sync with laptop' });
    expect(bodies[1]).toEqual({
      expectedStateId: 's1',
      label: 'before sync with laptop',
      changes: { put: [entry('src/file-2.ts', 'changed'), entry('new.txt', 'new')], delete: ['src/file-0.ts'] },
    });
    // After an apply it knows the files of the state it reported.
    const next = [...target, entry('more.txt', 'more')];
    await remote.apply({ expectedStateId: 's3', files: next, label: 'x' });
    expect(bodies[2]).toMatchObject({ changes: { put: [entry('more.txt', 'more')], delete: [] } });
    // Another expected state than the one it knows: the whole target again.
    await remote.apply({ expectedStateId: 'other', files: next, label: 'x' });
    expect(bodies[3]).toMatchObject({ files: next });
  });

  it('changesFrom lists new, changed (content, mode or size) and gone paths', () => {
    const a = { path: 'a', mode: 0o100644, size: 1, sha256: sha(Buffer.from('a')) };
    const b = { path: 'b', mode: 0o100644, size: 1, sha256: sha(Buffer.from('b')) };
    const before = new Map([a, b].map((e) => [e.path, e]));
    expect(changesFrom(before, [a, b])).toEqual({ put: [], delete: [] });
    expect(changesFrom(before, [{ ...a, mode: 0o100755 }])).toEqual({ put: [{ ...a, mode: 0o100755 }], delete: ['b'] });
    expect(changesFrom(before, [a, { ...b, size: 2 }, { ...b, path: 'c' }])).toEqual({
      put: [
        { ...b, size: 2 },
        { ...b, path: 'c' },
      ],
      delete: [],
    });
  });

  it('gzips big JSON bodies, asks for gzip and inflates a gzip answer within its bound', async () => {
    const hashes = Array.from({ length: 200 }, (_, i) => sha(Buffer.from(String(i))));
    let request: { encoding?: string; accept?: string; body?: unknown } = {};
    handler = (req, res, body) => {
      const encoding = req.headers['content-encoding'];
      request = {
        encoding,
        accept: req.headers['accept-encoding'],
        body: JSON.parse((encoding === 'gzip' ? gunzipSync(body) : body).toString()),
      };
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ missing: [hashes[0]] })));
    };
    // The global fetch inflates by itself; a fetch that does not (a Berth's own) gets the gzip bytes.
    const rawFetch: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const bytes = gzipSync(JSON.stringify({ missing: [hashes[0]] }));
      return new Response(new Uint8Array(bytes), { status: answer.status, headers: answer.headers });
    };
    for (const remote of [peer(), peer({ fetch: rawFetch })]) {
      expect(await remote.missing(hashes)).toEqual([hashes[0]]);
      expect(JSON.stringify({ hashes }).length).toBeGreaterThan(GZIP_REQUEST_MIN_BYTES);
      expect(request).toEqual({ encoding: 'gzip', accept: expect.stringContaining('gzip'), body: { hashes } });
    }
    // A small body goes plain.
    await peer().missing(hashes.slice(0, 2));
    expect(request.encoding).toBeUndefined();
  });

  it('refuses a gzip answer that inflates past its bound', async () => {
    const bomb = gzipSync(Buffer.alloc(70 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const bombFetch: typeof fetch = async () =>
      new Response(new Uint8Array(bomb), { status: 200, headers: { 'content-type': 'application/json' } });
    await expect(peer({ fetch: bombFetch }).state()).rejects.toThrow(/larger than/);
  });

  it('an unreachable remote is named in the error', async () => {
    const closed = new HttpPeer({ baseUrl: 'http://127.0.0.1:1', token: 't', projectId: 'p', name: 'x' });
    await expect(closed.state()).rejects.toThrow(/Cannot reach http:\/\/127.0.0.1:1/);
  });
});

describe('BerthClient', () => {
  it('reads me and projects, creates a project and hands out peers', async () => {
    const project = {
      id: 'p9',
      name: 'New',
      template: 'vite-react',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      lastOpenedAt: null,
    };
    handler = (req, res, body) => {
      if (req.url === '/api/v1/me') return json(res, 200, { id: 'u1', email: 'a@example.com', name: 'A' });
      if (req.method === 'GET') return json(res, 200, [project]);
      expect(JSON.parse(body.toString())).toEqual({ name: 'New', template: 'vite-react' });
      return json(res, 201, project);
    };
    const client = new BerthClient({ baseUrl, token: 'tok' });
    expect(await client.me()).toEqual({ id: 'u1', email: 'a@example.com', name: 'A' });
    expect(await client.projects()).toEqual([project]);
    expect(await client.createProject({ name: 'New', template: 'vite-react' })).toEqual(project);
    expect(client.peer('p9', 'team')).toBeInstanceOf(HttpPeer);
    expect(seen.every((s) => s.auth === 'Bearer tok')).toBe(true);
  });
});
