// Previews end to end: a real server, a real workspace container with the real agent and its
// tunnel, an app listening on 5173 inside it (localhost only: through the agent's tunnel). Requests go to 127.0.0.1 with an explicit
// Host header (Node's fetch cannot resolve *.localhost nor choose Host). A short TTL
// (PREVIEW_TTL_MINUTES=0.1, 6 s) makes expiry testable; every other test takes a fresh URL.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewDto, ProjectDto } from '../contracts';
import type { ExecSession } from '../runtime';
import { waitUntil } from '../runtime/runtime-test-helpers';
import { call, createSignedInUser, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import { openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { echo, rawGet, rawUpgrade } from './test-helpers';

/** An app that says what reached it (cookie, Authorization, from which address) and echoes upgrades. */
const app = (port: number, address: string) =>
  [
    "const s=require('http').createServer((q,r)=>{r.setHeader('x-seen-cookie',q.headers.cookie||'');r.setHeader('x-seen-auth',q.headers.authorization||'');r.setHeader('x-seen-from',q.socket.remoteAddress);r.end('hi '+q.url)});",
    "s.on('upgrade',(q,sock,head)=>{sock.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n');if(head.length)sock.write(head);sock.pipe(sock)});",
    `s.listen(${port},'${address}',()=>console.log('listening'))`,
  ].join('');

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let project: ProjectDto;
let tab: TestSocket;
let localOnly: ExecSession | undefined;

beforeAll(async () => {
  ({
    t,
    user: alice,
    project,
    tab,
  } = await openProjectFixture({ name: 'Preview', env: { PREVIEW_TTL_MINUTES: '0.1' }, running: true }));
  bob = await createSignedInUser(t.baseUrl);
  localOnly = await t.server.runtime.exec(project.id, ['node', '-e', app(5173, '127.0.0.1')], { tty: false });
  await waitUntil(async () => (await previews()).some((preview) => preview.port === 5173), 30_000);
}, 180_000);

afterAll(async () => {
  localOnly?.close();
  await closeProjectFixture({ t, user: alice, project, tab });
});

async function previews(user: TestUser = alice): Promise<PreviewDto[]> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/previews`, { cookie: user.cookie });
  if (response.status !== 200) throw new Error(`GET previews: ${response.status}`);
  return (await response.json()) as PreviewDto[];
}

/** A URL with a few seconds left to live (the short test TTL must not expire it mid-test). */
async function preview(port = 5173): Promise<PreviewDto> {
  const found = (await previews()).find((entry) => entry.port === port);
  if (!found) throw new Error(`no preview for ${port}`);
  if (Date.parse(found.expiresAt) - Date.now() > 3000) return found;
  const response = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/previews/${port}/revoke`, {
    cookie: alice.cookie,
  });
  return (await response.json()) as PreviewDto;
}

const host = (url: string) => new URL(url).host;
const domain = () => `localhost:${new URL(t.baseUrl).port}`;

describe('previews end to end', () => {
  it('lists the listening port with a capability URL under the preview domain (never the agent port)', async () => {
    const list = await previews();
    expect(list.map((entry) => entry.port)).toContain(5173);
    expect(list.map((entry) => entry.port)).not.toContain(7777);
    const entry = list.find((item) => item.port === 5173)!;
    expect(entry.url).toMatch(new RegExp(`^http://p-[0-9a-f]{32}\\.${domain().replace('.', '\\.')}/$`));
    expect(Date.parse(entry.expiresAt)).toBeGreaterThan(Date.now());
  });

  it("proxies to the app; Berth's session cookie and the client's Authorization never reach it", async () => {
    const { url } = await preview();
    const res = await rawGet(t.baseUrl, '/path?q=1', {
      Host: host(url),
      Cookie: `${alice.cookie}; theme=dark; next-auth.csrf-token=abc`,
      Authorization: 'Bearer not-for-the-app',
      'X-Forwarded-Host': domain(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('hi /path?q=1');
    expect(res.headers['x-seen-cookie']).toBe('theme=dark');
    expect(res.headers['x-seen-auth']).toBe('');
    expect(res.headers['content-security-policy']).toBe(`frame-ancestors ${t.origin}`);
    expect(res.headers['x-frame-options']).toBeUndefined();
    // Bound to localhost only: reached through the agent's tunnel, from inside the container.
    expect(res.headers['x-seen-from']).toBe('127.0.0.1');
  });

  it("goes straight to an app listening on all interfaces (the container's address), same header rules", async () => {
    const everywhere = await t.server.runtime.exec(project.id, ['node', '-e', app(5175, '0.0.0.0')], {
      tty: false,
    });
    try {
      await waitUntil(async () => (await previews()).some((entry) => entry.port === 5175), 30_000);
      const { url } = await preview(5175);
      const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let round = 0; round < 3; round++) {
        const res = await rawGet(
          t.baseUrl,
          `/r${round}`,
          { Host: host(url), Cookie: `${alice.cookie}; theme=dark`, Authorization: 'Bearer not-for-the-app' },
          { agent: keepAlive },
        );
        expect(res.body).toBe(`hi /r${round}`);
        expect(res.headers['x-seen-cookie']).toBe('theme=dark');
        expect(res.headers['x-seen-auth']).toBe('');
        expect(res.headers['content-security-policy']).toBe(`frame-ancestors ${t.origin}`);
        expect(res.headers['x-seen-from']).not.toBe('127.0.0.1');
      }
      keepAlive.destroy();
    } finally {
      everywhere.close();
    }
  });

  it('answers 404 for a guessed capability and 400 for malformed preview hosts', async () => {
    const guessed = await rawGet(t.baseUrl, '/', { Host: `p-${'ab'.repeat(16)}.${domain()}` });
    expect(guessed.status).toBe(404);
    expect(guessed.headers['content-type']).toContain('text/html');
    expect((await rawGet(t.baseUrl, '/', { Host: `p-XYZ.${domain()}` })).status).toBe(400);
    const { url } = await preview();
    expect((await rawGet(t.baseUrl, '/', { Host: `a.${host(url)}` })).status).toBe(400);
  });

  it('revoking makes the old URL 404 and the new one work', async () => {
    const old = await preview();
    const response = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/previews/5173/revoke`, {
      cookie: alice.cookie,
    });
    expect(response.status).toBe(200);
    const fresh = (await response.json()) as PreviewDto;
    expect(fresh.port).toBe(5173);
    expect(fresh.url).not.toBe(old.url);
    expect((await rawGet(t.baseUrl, '/', { Host: host(old.url) })).status).toBe(404);
    expect((await rawGet(t.baseUrl, '/x', { Host: host(fresh.url) })).body).toBe('hi /x');
  });

  it('a closed port gets a friendly 502', async () => {
    const response = await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/previews/5999/revoke`, {
      cookie: alice.cookie,
    });
    const closed = (await response.json()) as PreviewDto;
    const res = await rawGet(t.baseUrl, '/', { Host: host(closed.url) });
    expect(res.status).toBe(502);
    expect(res.body).toContain('Nothing is listening on port 5999 yet');
  });

  it('passes a WebSocket upgrade through to the app (also on /socket.io/)', async () => {
    for (const path of ['/hmr', '/socket.io/?EIO=4&transport=websocket']) {
      const { url } = await preview();
      const upgraded = await rawUpgrade(t.baseUrl, path, { Host: host(url), Origin: url.replace(/\/$/, '') });
      if (!('socket' in upgraded)) throw new Error(`not upgraded on ${path}: ${upgraded.status} ${upgraded.body}`);
      expect(await echo(upgraded.socket, `ping ${path}`, upgraded.head)).toContain(`ping ${path}`);
      upgraded.socket.destroy();
    }
  });

  it("tells the project's tabs when a port opens and closes ('preview:changed')", async () => {
    let pushes = 0;
    const count = (payload: { projectId: string }) => {
      if (payload.projectId === project.id) pushes += 1;
    };
    tab.socket.on('preview:changed', count);
    const listed = async () => (await previews()).some((entry) => entry.port === 5174);
    /** Waits for a push after which the list shows `want` (an earlier test's port change may arrive first). */
    const pushedUntil = (want: boolean) => {
      let seen = pushes;
      return waitUntil(async () => {
        if (pushes === seen) return false;
        seen = pushes;
        return (await listed()) === want;
      }, 10_000);
    };
    try {
      const opened = pushedUntil(true);
      const second = await t.server.runtime.exec(
        project.id,
        ['node', '-e', "require('http').createServer((q,r)=>r.end('two')).listen(5174)"],
        { tty: false },
      );
      await opened;
      const closed = pushedUntil(false);
      second.close();
      await closed;
    } finally {
      tab.socket.off('preview:changed', count);
    }
  });

  it('the REST routes are owner only', async () => {
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/previews`, { cookie: bob.cookie })).status,
    ).toBe(404);
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/previews/5173/revoke`, { cookie: bob.cookie }))
        .status,
    ).toBe(404);
    expect((await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/previews`)).status).toBe(401);
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/previews/7777/revoke`, { cookie: alice.cookie }))
        .status,
    ).toBe(400);
  });

  it('an expired capability answers 404', async () => {
    const { url, expiresAt } = await preview();
    expect((await rawGet(t.baseUrl, '/', { Host: host(url) })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now()) + 200));
    expect((await rawGet(t.baseUrl, '/', { Host: host(url) })).status).toBe(404);
  }, 15_000);

  // Last: it stops the workspace (and the app in it).
  it("a workspace restart rotates the project's preview URLs, and a stopped one gets a friendly page", async () => {
    const { url } = await preview();
    expect((await rawGet(t.baseUrl, '/', { Host: host(url) })).status).toBe(200);
    await tab.ok('workspace:stop', { projectId: project.id });
    const stopped = await rawGet(t.baseUrl, '/', { Host: host(url) });
    expect(stopped.status).toBe(503);
    expect(stopped.body).toContain('The workspace is not running');
    expect(await previews()).toEqual([]);
    await openRunningWorkspace(tab, project.id);
    expect((await rawGet(t.baseUrl, '/', { Host: host(url) })).status).toBe(404);
  }, 90_000);
});
