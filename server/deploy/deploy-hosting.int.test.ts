// Deployment hosts and what comes with them, on a real server, PostgreSQL and Docker (issue 14):
// d-<projectId>-<env>.<PREVIEW_DOMAIN> serves the built app (keep-alive, WebSocket-style
// upgrades), again after the container restarts on a new port; unknown hosts are 404; a private
// deployment is 404 to anyone without the owner's hand-off cookie, which never reaches the app;
// PATCH private/plan; the build log and the runtime logs as Server-Sent Events (the Docker log
// stream closed when the client goes).
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentDto, EnvironmentDto } from '../contracts';
import { deploymentContainerName } from '../runtime/docker/deployment-names';
import { testDocker } from '../runtime/docker/docker-test-support';
import { rawGet, rawUpgrade } from '../preview/test-helpers';
import { call, createSignedInUser, signIn, signOut, type TestUser } from '../test-support/api-test-server';
import { removeDeploymentsOfScope } from '../test-support/deployment-cleanup';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../test-support/project-fixture';

const docker = testDocker();
let fixture: ProjectFixture;
let bob: TestUser;
let base: string;
let host: string;
/** PREVIEW_DOMAIN of the test server: localhost:<port>. */
let domain: string;

const APP = `import express from 'express';
const app = express();
app.get('/', (req, res) => res.json({ app: 'hosted', cookie: req.headers.cookie ?? null }));
app.get('/say', (req, res) => { console.log('said:' + req.query.word); res.json({ ok: true }); });
// Which connection a request came on (its peer's port), and whether that one is still open.
const open = new Set();
app.get('/conn', (req, res) => res.json({ port: req.socket.remotePort, cookie: req.headers.cookie ?? null }));
app.get('/open', (req, res) => res.json({ open: open.has(Number(req.query.port)) }));
const server = app.listen(Number(process.env.PORT) || 3000, '0.0.0.0');
server.on('connection', (socket) => {
  const port = socket.remotePort;
  open.add(port);
  socket.on('close', () => open.delete(port));
});
server.on('upgrade', (req, socket) => {
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: echo\\r\\nConnection: Upgrade\\r\\n\\r\\n');
  socket.pipe(socket);
});
console.log('started');
`;

const as = (user: TestUser | null, method: string, route: string, body?: unknown) =>
  call(fixture.t.baseUrl, method, `${base}${route}`, user ? { cookie: user.cookie } : {}, body);

/** Where …/open sends a session (path and query of the host's hand-off). */
async function openLocation(sessionCookie: string): Promise<string> {
  const open = await fetch(`${fixture.t.baseUrl}${base}/environments/production/open`, {
    headers: { Cookie: sessionCookie },
    redirect: 'manual',
  });
  expect(open.status).toBe(302);
  const location = new URL(open.headers.get('location')!);
  return `${location.pathname}${location.search}`;
}

/** The deployment host's access cookie (name=value) handed to a session. */
async function handOffCookie(sessionCookie: string): Promise<string> {
  const handOff = await onHost(await openLocation(sessionCookie));
  expect(handOff.status).toBe(302);
  return String(handOff.headers['set-cookie']).split(';')[0]!;
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Reads an event stream until `until` says stop (or it ends); returns the events. */
async function readEvents(
  path: string,
  until: (events: { event: string; data: unknown }[]) => boolean,
  cookie = fixture.user.cookie,
): Promise<{ status: number; events: { event: string; data: unknown }[] }> {
  const response = await fetch(`${fixture.t.baseUrl}${path}`, { headers: { Cookie: cookie } });
  const events: { event: string; data: unknown }[] = [];
  if (response.status !== 200 || !response.body) return { status: response.status, events };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) as unknown });
    }
    if (until(events)) {
      await reader.cancel();
      break;
    }
  }
  return { status: 200, events };
}

const onHost = (path: string, headers: Record<string, string> = {}, agent?: http.Agent) =>
  rawGet(fixture.t.baseUrl, path, { Host: host, ...headers }, agent ? { agent } : {});

/** One client connection to Berth, its requests sent one after another (keep-alive), answers framed by Content-Length. */
function keepAliveConnection() {
  const socket: Socket = connect(Number(new URL(fixture.t.baseUrl).port), '127.0.0.1');
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    waiting?.();
  });
  socket.on('close', () => waiting?.());
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return {
    socket,
    closed,
    async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
      const lines = Object.entries({ Host: host, ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('')}\r\n`);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end >= 0) {
          const head = buffered.toString('latin1', 0, end);
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffered.length >= end + 4 + length) {
            const body = buffered.toString('utf8', end + 4, end + 4 + length);
            buffered = buffered.subarray(end + 4 + length);
            return { status: Number(head.split(' ')[1]), body };
          }
        }
        if (socket.destroyed) throw new Error('the connection closed before the answer');
        await new Promise<void>((resolve) => (waiting = resolve));
      }
    },
  };
}

beforeAll(async () => {
  fixture = await openProjectFixture({ name: 'Hosted', template: 'express-api', running: true });
  bob = await createSignedInUser(fixture.t.baseUrl);
  base = `/api/v1/projects/${fixture.project.id}`;
  domain = `localhost:${new URL(fixture.t.baseUrl).port}`;
  host = `d-${fixture.project.id}-production.${domain}`;
  const { t, user, project } = fixture;
  const put = await fetch(`${t.baseUrl}/api/v1/projects/${project.id}/files/content?path=index.js`, {
    method: 'PUT',
    headers: { Cookie: user.cookie, Origin: t.origin },
    body: APP,
  });
  expect(put.status).toBe(200);
}, 120_000);

afterAll(async () => {
  const scope = fixture?.t.scope;
  await closeProjectFixture(fixture ?? {});
  if (scope) await removeDeploymentsOfScope(scope);
}, 120_000);

describe('deployment hosts (real Docker, real PostgreSQL)', () => {
  let deployment: DeploymentDto;

  it('streams the build log live and ends once the deployment is live', async () => {
    const { id } = await json<{ id: string }>(
      await as(fixture.user, 'POST', '/environments/production/deployments', {}),
      202,
    );
    const path = `${base}/environments/production/deployments/${id}/logs`;
    expect((await readEvents(path, () => true, bob.cookie)).status).toBe(404);
    const { events } = await readEvents(path, (list) => list.some((item) => item.event === 'end'));
    const statuses = events
      .filter((item) => item.event === 'status')
      .map((item) => (item.data as { status: string }).status);
    expect(statuses.at(-1)).toBe('live');
    expect(events.at(-1)).toEqual({ event: 'end', data: { status: 'live' } });
    const log = events
      .filter((item) => item.event === 'log')
      .map((item) => (item.data as { text: string }).text)
      .join('');
    deployment = await json<DeploymentDto>(
      await as(fixture.user, 'GET', `/environments/production/deployments/${id}`),
      200,
    );
    expect(deployment.status, deployment.error ?? '').toBe('live');
    // Everything the build wrote arrived, in order, once.
    expect(log).toBe(deployment.buildLog);
    // Asked again after the end: the stored log, then the end.
    const again = await readEvents(path, () => false);
    expect(again.events.at(-1)).toEqual({ event: 'end', data: { status: 'live' } });
  }, 180_000);

  it('serves the deployment on its host, over keep-alive, and passes upgrades through', async () => {
    const [environment] = await json<EnvironmentDto[]>(await as(fixture.user, 'GET', '/environments'), 200);
    expect(environment!.url).toBe(`http://${host}/`);
    expect(environment!.current).toMatchObject({ id: deployment.id, status: 'live' });
    expect(['starting', 'healthy']).toContain(environment!.current!.health);
    expect(environment!.plan).toMatchObject({ framework: 'node' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 3; i++) {
      const answer = await onHost('/', {}, agent);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ app: 'hosted' });
    }
    agent.destroy();
    const upgraded = await rawUpgrade(fixture.t.baseUrl, '/ws', { Host: host, Connection: 'Upgrade', Upgrade: 'echo' });
    expect('socket' in upgraded).toBe(true);
    if ('socket' in upgraded) {
      const echoed = new Promise<string>((resolve) =>
        upgraded.socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
      );
      upgraded.socket.write('ping');
      expect(await echoed).toBe('ping');
      upgraded.socket.destroy();
    }
  }, 60_000);

  it('splices a public connection to one upstream connection: Berth cookies stripped from its first head, another Host still reaches only the app, closed with the client', async () => {
    const client = keepAliveConnection();
    const first = await client.get('/conn', { Cookie: '__berth_deploy_access=forged; theme=dark' });
    expect(first.status).toBe(200);
    const { port, cookie } = JSON.parse(first.body) as { port: number; cookie: string | null };
    expect(cookie).toBe('theme=dark');
    const second = await client.get('/conn');
    expect((JSON.parse(second.body) as { port: number }).port).toBe(port);
    // Berth's own host on the same connection: the same app, the same upstream connection, never Berth.
    const elsewhere = await client.get('/conn', { Host: new URL(fixture.t.baseUrl).host });
    expect(elsewhere.status).toBe(200);
    expect((JSON.parse(elsewhere.body) as { port: number }).port).toBe(port);
    client.socket.destroy();
    // The app sees its end of the upstream connection close (asked on new connections).
    const deadline = Date.now() + 10_000;
    let open = true;
    while (open && Date.now() < deadline) {
      open = (JSON.parse((await onHost(`/open?port=${port}`)).body) as { open: boolean }).open;
      if (open) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(open).toBe(false);
  }, 60_000);

  it('ends an open public connection once the environment turns private', async () => {
    const client = keepAliveConnection();
    expect((await client.get('/')).status).toBe(200);
    await json<EnvironmentDto>(await as(fixture.user, 'PATCH', '/environments/production', { private: true }), 200);
    const started = Date.now();
    await client.closed;
    // Read again every 5 s while it is open.
    expect(Date.now() - started).toBeLessThan(12_000);
    expect((await onHost('/')).status).toBe(404);
    await json<EnvironmentDto>(await as(fixture.user, 'PATCH', '/environments/production', { private: false }), 200);
  }, 60_000);

  it('answers 404 for an unknown host or environment', async () => {
    const unknownProject = await rawGet(fixture.t.baseUrl, '/', {
      Host: `d-nosuchproject-production.${domain}`,
    });
    expect(unknownProject.status).toBe(404);
    const unknownEnv = await rawGet(fixture.t.baseUrl, '/', {
      Host: `d-${fixture.project.id}-staging.${domain}`,
    });
    expect(unknownEnv.status).toBe(404);
    expect(unknownEnv.body).toBe(unknownProject.body);
  });

  it('serves again after the container restarts on a new port', async () => {
    const container = docker.getContainer(deploymentContainerName(deployment.id));
    const before = (await fixture.t.server.deploys.deploymentTarget(`d-${fixture.project.id}-production`))!.endpoint
      .url;
    await container.restart({ t: 1 });
    const deadline = Date.now() + 30_000;
    let answer = await onHost('/');
    while (answer.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await onHost('/');
    }
    expect(answer.status).toBe(200);
    const after = (await fixture.t.server.deploys.deploymentTarget(`d-${fixture.project.id}-production`))!.endpoint.url;
    expect(after).not.toBe(before);
  }, 60_000);

  it('PATCHes private and the plan: 400 on a bad body, 404 for another user', async () => {
    expect((await as(fixture.user, 'PATCH', '/environments/production', { private: 'yes' })).status).toBe(400);
    expect((await as(fixture.user, 'PATCH', '/environments/production', { plan: { framework: 'rails' } })).status).toBe(
      400,
    );
    expect((await as(bob, 'PATCH', '/environments/production', { private: true })).status).toBe(404);
    const plan = {
      framework: 'node',
      installCommand: null,
      buildCommand: null,
      serve: { kind: 'command', command: 'node index.js' },
      port: 3000,
    };
    const edited = await json<EnvironmentDto>(
      await as(fixture.user, 'PATCH', '/environments/production', { plan }),
      200,
    );
    expect(edited).toMatchObject({ plan, planEdited: true, private: false });
    const back = await json<EnvironmentDto>(
      await as(fixture.user, 'PATCH', '/environments/production', { plan: null }),
      200,
    );
    expect(back.planEdited).toBe(false);
    const locked = await json<EnvironmentDto>(
      await as(fixture.user, 'PATCH', '/environments/production', { private: true }),
      200,
    );
    expect(locked.private).toBe(true);
  });

  it('hides a private deployment from everyone but its owner, after the hand-off; the cookie never reaches the app', async () => {
    // A fresh connection reads the target again: private now.
    const anonymous = await onHost('/');
    expect(anonymous.status).toBe(404);
    expect((await as(bob, 'GET', '/environments/production/open')).status).toBe(404);
    const open = await fetch(`${fixture.t.baseUrl}${base}/environments/production/open`, {
      headers: { Cookie: fixture.user.cookie },
      redirect: 'manual',
    });
    expect(open.status).toBe(302);
    const location = new URL(open.headers.get('location')!);
    expect(location.host).toBe(host);
    expect(location.pathname).toBe('/__berth/auth');
    // A token for this host only.
    const elsewhere = await rawGet(fixture.t.baseUrl, `${location.pathname}${location.search}`, {
      Host: `d-${fixture.project.id}-staging.${domain}`,
    });
    expect(elsewhere.status).toBe(404);
    const handOff = await onHost(`${location.pathname}${location.search}`);
    expect(handOff.status).toBe(302);
    expect(handOff.headers.location).toBe('/');
    const setCookie = String(handOff.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Domain=/i);
    // Single use.
    expect((await onHost(`${location.pathname}${location.search}`)).status).toBe(404);
    const cookie = setCookie.split(';')[0]!;
    const owner = await onHost('/', { Cookie: `${cookie}; theme=dark` });
    expect(owner.status).toBe(200);
    expect(JSON.parse(owner.body)).toEqual({ app: 'hosted', cookie: 'theme=dark' });
    // Another user's session (Berth's cookie) is no access: 404, the same page as for nobody.
    const other = await onHost('/', { Cookie: bob.cookie });
    expect(other.status).toBe(404);
    expect(other.body).toBe(anonymous.body);
    // A forged or altered cookie neither.
    expect((await onHost('/', { Cookie: `${cookie.slice(0, -2)}xx` })).status).toBe(404);

    // The access lasts as long as the Berth session it was opened in: a second session's
    // hand-off serves until that session signs out, then 404; the first session's still serves.
    const second = (await signIn(fixture.t.baseUrl, fixture.user.email, fixture.user.password)).cookie!;
    const secondCookie = await handOffCookie(second);
    expect((await onHost('/', { Cookie: secondCookie })).status).toBe(200);
    expect(await signOut(fixture.t.baseUrl, second)).toBeLessThan(400);
    expect((await onHost('/', { Cookie: secondCookie })).status).toBe(404);
    expect((await onHost('/', { Cookie: cookie })).status).toBe(200);
    // A hand-off taken before its session ended is no longer traded.
    const third = (await signIn(fixture.t.baseUrl, fixture.user.email, fixture.user.password)).cookie!;
    const pending = await openLocation(third);
    expect(await signOut(fixture.t.baseUrl, third)).toBeLessThan(400);
    expect((await onHost(pending)).status).toBe(404);
    // A bearer token is no session: no hand-off for a private deployment.
    const created = await call(
      fixture.t.baseUrl,
      'POST',
      '/api/v1/tokens',
      { cookie: fixture.user.cookie },
      { name: 'cli' },
    );
    const { token } = await json<{ token: string }>(created, 201);
    expect((await call(fixture.t.baseUrl, 'GET', `${base}/environments/production/open`, { token })).status).toBe(404);

    await json<EnvironmentDto>(await as(fixture.user, 'PATCH', '/environments/production', { private: false }), 200);
  }, 60_000);

  it('streams the runtime logs and closes the Docker stream when the client goes', async () => {
    const runtimeLogs = fixture.t.server.deploys.runtimeLogs;
    expect((await readEvents(`${base}/environments/production/logs?tail=5`, () => true, bob.cookie)).status).toBe(404);
    expect((await as(fixture.user, 'GET', '/environments/staging/logs')).status).toBe(404);
    const reading = readEvents(`${base}/environments/production/logs?tail=0`, (events) =>
      events.some((item) => (item.data as { text: string }).text.includes('said:hello')),
    );
    // Once the follow is open, the app writes a line.
    const deadline = Date.now() + 10_000;
    while (runtimeLogs.following === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtimeLogs.following).toBe(1);
    expect((await onHost('/say?word=hello')).status).toBe(200);
    const { events } = await reading;
    expect(events.some((item) => (item.data as { text: string }).text.includes('said:hello'))).toBe(true);
    // The client cancelled: the follow (and its Docker stream) ends.
    const closedBy = Date.now() + 10_000;
    while (runtimeLogs.following > 0 && Date.now() < closedBy) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runtimeLogs.following).toBe(0);
  }, 60_000);

  it('answers 404 not_running once the environment is stopped, and its host 404', async () => {
    expect((await as(fixture.user, 'POST', '/environments/production/stop')).status).toBe(204);
    const response = await as(fixture.user, 'GET', '/environments/production/logs');
    expect(await json<{ error: string }>(response, 404)).toMatchObject({ error: 'not_running' });
    expect((await onHost('/')).status).toBe(404);
  }, 60_000);
});
