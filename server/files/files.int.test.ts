// Files end to end: a real server, a real workspace container with the real agent, REST and a
// Socket.IO client acting as the browser. Every project made here is deleted afterwards.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileChange, FileEntry, FileLockDto, ProjectDto, ReadResult } from '../contracts';
import { run, waitUntil } from '../runtime/runtime-test-helpers';
import { call, createSignedInUser, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let project: ProjectDto;
let tab1: TestSocket;
let tab2: TestSocket;
const MB = 1024 * 1024;

beforeAll(async () => {
  ({ t, user: alice, project, tab: tab1 } = await openProjectFixture({ name: 'Files', running: true }));
  bob = await createSignedInUser(t.baseUrl);
  tab2 = await connectAs(t, alice);
  await openRunningWorkspace(tab2, project.id);
}, 120_000);

afterAll(async () => {
  tab2?.close();
  await closeProjectFixture({ t, user: alice, project, tab: tab1 });
});

const files = (suffix = '') => `/api/v1/projects/${project.id}/files${suffix}`;
const content = (path: string, extra = '') => `${files('/content')}?path=${encodeURIComponent(path)}${extra}`;
const sh = async (script: string) => (await run(t.server.runtime, project.id, ['sh', '-c', script])).output;

/** A raw PUT with node:http, so the body can stream and a refusal mid-upload is still read. */
function put(
  route: string,
  body: Readable | Buffer,
  headers: Record<string, string> = {},
  user: TestUser = alice,
): Promise<{ status: number; json: Record<string, unknown>; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(`${t.baseUrl}${route}`, {
      method: 'PUT',
      headers: { Cookie: user.cookie, Origin: t.origin, ...headers },
    });
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (body instanceof Readable) body.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          headers: response.headers,
        });
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error); // a reset after the refusal arrived is expected
    });
    if (Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request).on('error', () => undefined);
  });
}

const get = (route: string, user: TestUser = alice, headers: Record<string, string> = {}) =>
  fetch(`${t.baseUrl}${route}`, { headers: { Cookie: user.cookie, Origin: t.origin, ...headers } });

describe('files over REST', () => {
  it('round-trips binary bytes exactly, with an ETag that guards the next write', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      randomBytes(300 * 1024),
    ]);
    const created = await put(content('img/logo.png'), png, { 'If-None-Match': '*' });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ version: expect.any(String), size: png.length });
    const version = created.json.version as string;

    const read = await get(content('img/logo.png'));
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(`"${version}"`);
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await read.arrayBuffer()).equals(png)).toBe(true);

    const download = await get(content('img/logo.png', '&download=1'));
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.png"/);
    await download.arrayBuffer();
    expect((await get(content('img/logo.png'), alice, { 'If-None-Match': `"${version}"` })).status).toBe(304);

    // Quoted (ETag style) and bare If-Match both work; a stale one is 412 with the current version.
    const second = await put(content('img/logo.png'), Buffer.from('v2'), { 'If-Match': `"${version}"` });
    expect(second.status).toBe(200);
    const stale = await put(content('img/logo.png'), Buffer.from('v3'), { 'If-Match': version });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ error: 'conflict', currentVersion: second.json.version });
    expect(
      (await put(content('img/logo.png'), Buffer.from('v3'), { 'If-Match': second.json.version as string })).status,
    ).toBe(200);
    expect((await put(content('img/logo.png'), Buffer.from('again'), { 'If-None-Match': '*' })).status).toBe(412);
    expect(await (await get(content('img/logo.png'))).text()).toBe('v3');
  });

  it('refuses uploads over FILE_MAX_MB with 413, by Content-Length and while streaming, without buffering', async () => {
    const chunk = Buffer.alloc(MB, 0x61); // one buffer, sent 200 times: the test allocates ~1 MB
    const chunks = (count: number) =>
      Readable.from(
        (function* () {
          for (let i = 0; i < count; i++) yield chunk;
        })(),
        { objectMode: false },
      );

    const declared = await put(content('big-declared.bin'), chunks(200), { 'Content-Length': String(200 * MB) });
    expect(declared.status).toBe(413);

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const streamed = await put(content('big-streamed.bin'), chunks(200));
    clearInterval(sampler);
    const growthMb = (peak - before) / MB;
    expect(streamed.status).toBe(413);
    expect(streamed.json).toMatchObject({ error: 'too_large' });
    expect(growthMb).toBeLessThan(50);

    // Nothing half-written is left behind, not even the agent's temp file.
    expect((await get(content('big-streamed.bin'))).status).toBe(404);
    // (the agent removes its temp file once it sees the aborted upload, just after our answer)
    await waitUntil(async () => !/big-|\.berth-tmp-/.test(await sh('ls -A /workspace')), 3000);
  });

  it('writes nothing when the uploading client goes away mid-stream', async () => {
    const request = http.request(`${t.baseUrl}${content('aborted.bin')}`, {
      method: 'PUT',
      headers: { Cookie: alice.cookie, Origin: t.origin },
    });
    request.on('error', () => undefined);
    const chunk = Buffer.alloc(256 * 1024, 0x62);
    for (let i = 0; i < 20; i++)
      await new Promise<void>((resolve) => (request.write(chunk) ? resolve() : request.once('drain', () => resolve())));
    // The agent is writing its temp file now; the client vanishes, and the temp file goes.
    await waitUntil(async () => /\.berth-tmp-/.test(await sh('ls -A /workspace')), 5000);
    request.destroy();
    await waitUntil(async () => !/aborted|\.berth-tmp-/.test(await sh('ls -A /workspace')), 5000);
    expect((await get(content('aborted.bin'))).status).toBe(404);
  });

  it('answers 400 for paths that escape, before touching anything', async () => {
    await run(t.server.runtime, project.id, ['ln', '-s', '/etc', '/workspace/escape']);
    const before = await sh('ls -A /workspace; ls /etc | wc -l');
    const bad = ['../x', '/etc/passwd', 'a\0b', 'a/'.repeat(1000), 'escape/passwd', 'escape/berth-evil'];
    for (const path of bad) {
      expect((await get(content(path))).status, `GET ${JSON.stringify(path.slice(0, 40))}`).toBe(400);
      expect((await put(content(path), Buffer.from('pwned'))).status, `PUT ${JSON.stringify(path.slice(0, 40))}`).toBe(
        400,
      );
      expect(
        (await get(`${files()}?path=${encodeURIComponent(path)}`)).status,
        `list ${JSON.stringify(path.slice(0, 40))}`,
      ).toBe(400);
    }
    expect((await get(`${files('/content')}?path=a%00b`)).status).toBe(400);
    expect(
      (
        await call(
          t.baseUrl,
          'POST',
          files('/move'),
          { cookie: alice.cookie },
          { from: 'package.json', to: '../package.json' },
        )
      ).status,
    ).toBe(400);
    expect((await call(t.baseUrl, 'POST', files('/mkdir'), { cookie: alice.cookie }, { path: '/tmp/x' })).status).toBe(
      400,
    );
    expect(await sh('ls -A /workspace; ls /etc | wc -l')).toBe(before);
    expect(await sh('test -e /etc/berth-evil && echo touched || echo clean')).toBe('clean\n');
    await run(t.server.runtime, project.id, ['rm', '/workspace/escape']);
  });

  it('makes folders, moves files, deletes them, and says 404 for what is missing', async () => {
    const dir = await call(t.baseUrl, 'POST', files('/mkdir'), { cookie: alice.cookie }, { path: 'docs/notes' });
    expect(dir.status).toBe(201);
    expect(await dir.json()).toMatchObject({ path: 'docs/notes', kind: 'dir' });
    expect((await put(content('readme.md'), Buffer.from('# hi\n'))).status).toBe(200);
    const moved = await call(
      t.baseUrl,
      'POST',
      files('/move'),
      { cookie: alice.cookie },
      { from: 'readme.md', to: 'docs/notes/readme.md' },
    );
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ path: 'docs/notes/readme.md', kind: 'file', name: 'readme.md' });
    const listed = (await (await get(`${files()}?path=docs/notes`)).json()) as FileEntry[];
    expect(listed.map((entry) => entry.name)).toEqual(['readme.md']);
    expect((await get(content('readme.md'))).status).toBe(404);
    expect(
      (await call(t.baseUrl, 'POST', files('/move'), { cookie: alice.cookie }, { from: 'nope.txt', to: 'b.txt' }))
        .status,
    ).toBe(404);
    expect((await call(t.baseUrl, 'DELETE', content('docs'), { cookie: alice.cookie })).status).toBe(204);
    expect((await get(`${files()}?path=docs`)).status).toBe(404);
  });

  it("is 404 for someone else's project, whatever the operation", async () => {
    expect((await get(`${files()}?path=`, bob)).status).toBe(404);
    expect((await get(content('package.json'), bob)).status).toBe(404);
    expect((await put(content('package.json'), Buffer.from('{}'), {}, bob)).status).toBe(404);
    expect((await call(t.baseUrl, 'DELETE', content('package.json'), { cookie: bob.cookie })).status).toBe(404);
    const bobTab = await connectAs(t, bob);
    try {
      const read = await bobTab.call<ReadResult>('fs:read', { projectId: project.id, path: 'package.json' });
      expect(read).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await bobTab.call('fs:lock', { projectId: project.id, path: '', ttlSeconds: 60 })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    } finally {
      bobTab.close();
    }
  });
});

describe('files over Socket.IO', () => {
  it('reads text, says binary for binary, and refuses a stale save with the current version', async () => {
    const first = await tab1.ok<{ version: string; size: number }>('fs:write', {
      projectId: project.id,
      path: 'src/app.ts',
      content: 'const a = 1;\n',
      baseVersion: null,
    });
    const read = await tab1.ok<ReadResult>('fs:read', { projectId: project.id, path: 'src/app.ts' });
    expect(read).toEqual({
      path: 'src/app.ts',
      version: first.version,
      size: 13,
      content: 'const a = 1;\n',
      binary: false,
      readOnly: false,
    });

    const second = await tab1.ok<{ version: string }>('fs:write', {
      projectId: project.id,
      path: 'src/app.ts',
      content: 'const a = 2;\n',
      baseVersion: first.version,
    });
    const stale = await tab2.call('fs:write', {
      projectId: project.id,
      path: 'src/app.ts',
      content: 'const a = 3;\n',
      baseVersion: first.version,
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!stale.ok && stale.error.message).toContain(second.version);
    expect(
      await tab2.call('fs:write', { projectId: project.id, path: 'src/app.ts', content: 'x', baseVersion: null }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await put(content('bin.dat'), Buffer.from([1, 2, 0, 3]));
    expect(await tab1.ok<ReadResult>('fs:read', { projectId: project.id, path: 'bin.dat' })).toMatchObject({
      content: null,
      binary: true,
    });
    await put(content('latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(await tab1.ok<ReadResult>('fs:read', { projectId: project.id, path: 'latin1.txt' })).toMatchObject({
      content: null,
      binary: true,
    });
    const large = Buffer.alloc(6 * MB, 'abcdefgh\n');
    await put(content('big.log'), large);
    const big = await tab1.ok<ReadResult>('fs:read', { projectId: project.id, path: 'big.log' });
    expect(big).toMatchObject({ readOnly: true, binary: false, size: large.length });
    expect(big.content?.length).toBe(large.length);
    // The largest editable file saves over the socket too.
    const editable = 'line "quoted"\n'.repeat(Math.floor((5 * MB - 1) / 14));
    expect(
      await tab1.ok<{ size: number }>('fs:write', {
        projectId: project.id,
        path: 'edit.txt',
        content: editable,
        baseVersion: null,
      }),
    ).toMatchObject({ size: editable.length });
    expect(await tab1.ok<ReadResult>('fs:read', { projectId: project.id, path: 'edit.txt' })).toMatchObject({
      readOnly: false,
      content: editable,
    });
    expect(await tab1.call('fs:read', { projectId: project.id, path: '../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('creates, moves and deletes through the tree', async () => {
    expect(
      await tab1.ok<FileEntry>('fs:create', { projectId: project.id, path: 'tree/new.txt', kind: 'file' }),
    ).toMatchObject({ kind: 'file', size: 0 });
    expect(
      await tab1.ok<FileEntry>('fs:create', { projectId: project.id, path: 'tree/sub', kind: 'dir' }),
    ).toMatchObject({ kind: 'dir' });
    expect(await tab1.call('fs:create', { projectId: project.id, path: 'tree/new.txt', kind: 'file' })).toMatchObject({
      ok: false,
      error: { code: 'exists' },
    });
    expect(
      await tab1.ok<FileEntry>('fs:move', { projectId: project.id, from: 'tree/new.txt', to: 'tree/sub/new.txt' }),
    ).toMatchObject({ path: 'tree/sub/new.txt' });
    const listed = await tab1.ok<FileEntry[]>('fs:list', { projectId: project.id, path: 'tree/sub' });
    expect(listed.map((entry) => entry.name)).toEqual(['new.txt']);
    await tab1.ok('fs:delete', { projectId: project.id, path: 'tree' });
    expect(await tab1.call('fs:list', { projectId: project.id, path: 'tree' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('pushes fs:changed within a second of a touch in the container', async () => {
    // The latency itself is a figure of bench/files.bench.ts (touch → fs:changed, with the agent's own as baseline).
    const changed = tab2.waitFor<{ projectId: string; changes: FileChange[] }>(
      'fs:changed',
      (p) => p.changes.some((c) => c.path === 'touched.txt'),
      1000,
    );
    await sh('touch /workspace/touched.txt');
    const payload = await changed;
    expect(payload.projectId).toBe(project.id);
    expect(payload.changes.find((c) => c.path === 'touched.txt')).toMatchObject({ type: 'created', kind: 'file' });
  });

  it("refuses writes under another tab's lock (423 / locked) until it is released", async () => {
    await put(content('shared/doc.txt'), Buffer.from('one'));
    const pushed = tab2.waitFor<{ projectId: string; locks: FileLockDto[] }>(
      'fs:locks',
      (p) => p.locks.length === 1,
      5000,
    );
    const lock = await tab1.ok<FileLockDto>('fs:lock', { projectId: project.id, path: 'shared', ttlSeconds: 60 });
    expect(lock).toMatchObject({ path: 'shared', holder: alice.name });
    expect((await pushed).locks[0]).toMatchObject({ path: 'shared', holder: alice.name });
    expect(await tab2.ok<FileLockDto[]>('fs:locks', { projectId: project.id })).toHaveLength(1);

    const refused = await put(content('shared/doc.txt'), Buffer.from('two'));
    expect(refused.status).toBe(423);
    expect(refused.json).toMatchObject({ error: 'locked' });
    expect(
      await tab2.call('fs:write', { projectId: project.id, path: 'shared/doc.txt', content: 'two', baseVersion: null }),
    ).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await tab2.call('fs:delete', { projectId: project.id, path: 'shared' })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    expect(await tab2.call('fs:lock', { projectId: project.id, path: 'shared/doc.txt', ttlSeconds: 5 })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    const read = await tab1.ok<ReadResult>('fs:read', { projectId: project.id, path: 'shared/doc.txt' });
    expect(
      (
        await tab1.call('fs:write', {
          projectId: project.id,
          path: 'shared/doc.txt',
          content: 'holder',
          baseVersion: read.version,
        })
      ).ok,
    ).toBe(true);

    const released = tab2.waitFor<{ locks: FileLockDto[] }>('fs:locks', (p) => p.locks.length === 0, 5000);
    await tab1.ok('fs:unlock', { projectId: project.id, path: 'shared' });
    await released;
    expect((await put(content('shared/doc.txt'), Buffer.from('two'))).status).toBe(200);
  });

  it('expires a lock and pushes that', async () => {
    const expired = tab2.waitFor<{ locks: FileLockDto[] }>('fs:locks', (p) => p.locks.length === 0, 3000);
    await tab1.ok('fs:lock', { projectId: project.id, path: 'soon.txt', ttlSeconds: 1 });
    await expired;
    expect((await put(content('soon.txt'), Buffer.from('free'))).status).toBe(200);
  });

  it('watches a heavy folder once the tree opens it', async () => {
    await sh('mkdir -p /workspace/node_modules');
    await tab1.ok('fs:watch', { projectId: project.id, path: 'node_modules' });
    // Only that folder: its sub-folders are watched when the tree opens them too.
    const changed = tab2.waitFor<{ changes: FileChange[] }>(
      'fs:changed',
      (p) => p.changes.some((c) => c.path === 'node_modules/.package-lock.json'),
      2000,
    );
    await sh('touch /workspace/node_modules/.package-lock.json');
    await changed;
  });

  it("starts a stopped workspace for a file call, and forwards the new agent's changes", async () => {
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/stop`, { cookie: alice.cookie })).status,
    ).toBe(200);
    const listed = await get(`${files()}?path=`);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as FileEntry[]).map((entry) => entry.name)).toContain('package.json');
    const changed = tab2.waitFor<{ changes: FileChange[] }>(
      'fs:changed',
      (p) => p.changes.some((c) => c.path === 'after-restart.txt'),
      2000,
    );
    await sh('touch /workspace/after-restart.txt');
    await changed;
  });
});
