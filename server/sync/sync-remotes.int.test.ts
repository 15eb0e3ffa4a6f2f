// Remotes and links (issue 18) between two real Berths on loopback: a remote added with a token
// made on the other Berth (checked at once: whom it signs in as; a refused token is a 409 with the
// remote's reason; a closed port a 400; an internal address refused), the token sealed at rest and
// never shown; links to an existing remote project and to one created there; another user's
// remotes and projects 404 on every route; no session 401.
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkDto, ProjectDto, RemoteDto } from '../contracts';
import { SecretBox } from '../core/secret-box';
import { loadOrCreateAuthSecret } from '../auth';
import { call, createSignedInUser } from '../test-support/api-test-server';
import { REMOTE_TOKENS_PURPOSE } from './remotes/remote-service';
import { json, makeToken, newProject, on, startSide, type Side } from './sync-test-pair';

let local: Side;
let remote: Side;
/** A second user on the local Berth. */
let bob: Side;

beforeAll(async () => {
  // The remote may not name loopback hosts (only itself): SYNC_ALLOW_PRIVATE_HOSTS empty there.
  [local, remote] = await Promise.all([startSide(), startSide({ SYNC_ALLOW_PRIVATE_HOSTS: '' })]);
  bob = { t: local.t, user: await createSignedInUser(local.t.baseUrl) };
}, 180_000);
afterAll(async () => {
  await Promise.all([local?.t.stop(), remote?.t.stop()]);
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('remotes', () => {
  it('adds a remote whose token works, with what it reaches, the token masked and sealed', async () => {
    await newProject(remote, 'Already there');
    const { token } = await makeToken(remote);
    const response = await on(local, 'POST', '/api/v1/remotes', { url: `${remote.t.baseUrl}/`, token });
    const added = await json<RemoteDto>(response, 201);
    expect(added).toMatchObject({
      url: remote.t.baseUrl,
      name: new URL(remote.t.baseUrl).host,
      account: { email: remote.user.email, name: remote.user.name, projects: 1 },
      error: null,
    });
    expect(added.tokenMasked).toBe(`${token.slice(0, 14)}••••${token.slice(-4)}`);
    const listed = await json<RemoteDto[]>(await on(local, 'GET', '/api/v1/remotes'), 200);
    expect(listed.map((entry) => entry.id)).toContain(added.id);
    expect(JSON.stringify(listed)).not.toContain(token.slice(14, -4));

    const row = await local.t.server.database.prisma.syncRemote.findUniqueOrThrow({ where: { id: added.id } });
    expect(row.tokenSealed).not.toContain(token.slice(14));
    const secret = await loadOrCreateAuthSecret(undefined, local.t.dataDir);
    expect(new SecretBox(secret, REMOTE_TOKENS_PURPOSE).open(row.tokenSealed)).toBe(token);
  });

  it('answers 409 remote_refused with the remote’s reason for a token it refuses', async () => {
    const response = await on(local, 'POST', '/api/v1/remotes', {
      url: remote.t.baseUrl,
      token: 'berth_pat_not-a-token-this-berth-made-0000',
    });
    const body = await json<{ error: string; message: string; reason: string }>(response, 409);
    expect(body.error).toBe('remote_refused');
    expect(body.reason).toMatch(/sign in|bearer|token/i);
    expect(body.message).toContain(body.reason);
  });

  it('answers 400 for a remote that does not answer, a refused URL or a bad body', async () => {
    const port = await closedPort();
    const unreachable = await on(local, 'POST', '/api/v1/remotes', { url: `http://127.0.0.1:${port}`, token: 'x' });
    expect(await json<{ error: string }>(unreachable, 400)).toMatchObject({ error: 'remote_unreachable' });
    // Something answers there, but not a Berth.
    const notBerth = createHttpServer((_req, res) => res.writeHead(404).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => notBerth.listen(0, '127.0.0.1', resolve));
    const other = await on(local, 'POST', '/api/v1/remotes', {
      url: `http://127.0.0.1:${(notBerth.address() as { port: number }).port}`,
      token: 'x',
    });
    notBerth.close();
    expect(await json<{ error: string; message: string }>(other, 400)).toMatchObject({
      error: 'remote_unreachable',
      message: expect.stringMatching(/answered, but not as a Berth would: .*HTTP 404/),
    });
    const internal = await on(local, 'POST', '/api/v1/remotes', { url: 'https://169.254.169.254', token: 'x' });
    expect(await json<{ error: string; message: string }>(internal, 400)).toMatchObject({
      error: 'bad_remote_url',
      message: expect.stringContaining('SYNC_ALLOW_PRIVATE_HOSTS'),
    });
    const plain = await on(local, 'POST', '/api/v1/remotes', { url: 'http://93.184.216.34', token: 'x' });
    expect(await json<{ error: string }>(plain, 400)).toMatchObject({ error: 'bad_remote_url' });
    const bad = await on(local, 'POST', '/api/v1/remotes', { url: 'ftp://example.com' });
    const fields = await json<{ fieldErrors: Record<string, string[]> }>(bad, 400);
    expect(Object.keys(fields.fieldErrors).sort()).toEqual(['token', 'url']);
    // Nothing was stored for any of them.
    const listed = await json<RemoteDto[]>(await on(local, 'GET', '/api/v1/remotes'), 200);
    expect(listed).toHaveLength(1);
  });

  it('allows this Berth itself as a remote, but no other loopback address unless listed', async () => {
    const { token } = await makeToken(remote);
    const self = await json<RemoteDto>(
      await on(remote, 'POST', '/api/v1/remotes', { url: remote.t.baseUrl, token, name: 'myself' }),
      201,
    );
    expect(self.account?.email).toBe(remote.user.email);
    expect((await on(remote, 'DELETE', `/api/v1/remotes/${self.id}`)).status).toBe(204);
    const other = await on(remote, 'POST', '/api/v1/remotes', { url: local.t.baseUrl, token });
    expect(await json<{ error: string }>(other, 400)).toMatchObject({ error: 'bad_remote_url' });
  });
});

describe('links', () => {
  let remoteId: string;

  beforeAll(async () => {
    const { token } = await makeToken(remote);
    remoteId = (
      await json<RemoteDto>(
        await on(local, 'POST', '/api/v1/remotes', { url: remote.t.baseUrl, token, name: 'team' }),
        201,
      )
    ).id;
  });

  it('links to an existing remote project, reads and unlinks it', async () => {
    const project = await newProject(local, 'Linked');
    const there = await newProject(remote, 'There');
    const route = `/api/v1/projects/${project.id}/link`;
    expect((await on(local, 'GET', route)).status).toBe(404);
    const link = await json<LinkDto>(
      await on(local, 'PUT', route, { remoteId, remoteProjectId: there.id, autoSync: true, intervalMinutes: 15 }),
      200,
    );
    expect(link).toMatchObject({
      projectId: project.id,
      remoteId,
      remoteProjectId: there.id,
      remoteName: 'team',
      remoteUrl: remote.t.baseUrl,
      remoteProjectName: 'There',
      autoSync: true,
      intervalMinutes: 15,
    });
    expect(await json<LinkDto>(await on(local, 'GET', route), 200)).toEqual(link);
    // The same target again: only the settings change.
    const changed = await json<LinkDto>(
      await on(local, 'PUT', route, { remoteId, remoteProjectId: there.id, autoSync: false }),
      200,
    );
    expect(changed).toMatchObject({ autoSync: false, intervalMinutes: 15, createdAt: link.createdAt });
    expect((await on(local, 'DELETE', route)).status).toBe(204);
    expect(await json<{ error: string }>(await on(local, 'GET', route), 404)).toMatchObject({
      error: 'sync_not_linked',
    });
    expect((await on(local, 'DELETE', route)).status).toBe(404);
  });

  it('creates the remote project with this project’s name and template', async () => {
    const project = await newProject(local, 'Made there');
    const link = await json<LinkDto>(
      await on(local, 'PUT', `/api/v1/projects/${project.id}/link`, { remoteId, createRemoteProject: true }),
      200,
    );
    const theirs = await json<ProjectDto[]>(await on(remote, 'GET', '/api/v1/projects'), 200);
    expect(theirs.find((entry) => entry.id === link.remoteProjectId)).toMatchObject({
      name: 'Made there',
      template: 'blank-node',
    });
    expect(link.remoteProjectName).toBe('Made there');
  });

  it('refuses a remote project the token does not reach, an unknown remote and a bad body with 400', async () => {
    const project = await newProject(local, 'Refused');
    const route = `/api/v1/projects/${project.id}/link`;
    const missing = await on(local, 'PUT', route, { remoteId, remoteProjectId: 'no-such-project' });
    expect(await json<{ error: string; fieldErrors: object }>(missing, 400)).toMatchObject({
      error: 'remote_project_not_found',
      fieldErrors: { remoteProjectId: [expect.any(String)] },
    });
    const unknown = await on(local, 'PUT', route, { remoteId: 'no-such-remote', remoteProjectId: 'x' });
    expect(await json<{ error: string }>(unknown, 400)).toMatchObject({ error: 'sync_no_such_remote' });
    expect((await on(local, 'PUT', route, { remoteId })).status).toBe(400);
    expect((await on(local, 'PUT', route, { remoteId, remoteProjectId: 'x', intervalMinutes: -1 })).status).toBe(400);
  });

  it('a removed remote takes its links with it', async () => {
    const { token } = await makeToken(remote);
    const extra = await json<RemoteDto>(
      await on(local, 'POST', '/api/v1/remotes', { url: remote.t.baseUrl, token, name: 'extra' }),
      201,
    );
    const project = await newProject(local, 'Goes with it');
    await json(
      await on(local, 'PUT', `/api/v1/projects/${project.id}/link`, { remoteId: extra.id, createRemoteProject: true }),
      200,
    );
    expect((await on(local, 'DELETE', `/api/v1/remotes/${extra.id}`)).status).toBe(204);
    expect((await on(local, 'GET', `/api/v1/projects/${project.id}/link`)).status).toBe(404);
    expect((await on(local, 'DELETE', `/api/v1/remotes/${extra.id}`)).status).toBe(404);
  });
});

describe('another user, and no user', () => {
  it('404s another user’s remotes and projects on every route', async () => {
    const { token } = await makeToken(remote);
    const remoteDto = await json<RemoteDto>(
      await on(local, 'POST', '/api/v1/remotes', { url: remote.t.baseUrl, token, name: 'mine' }),
      201,
    );
    const project = await newProject(local, 'Not Bob’s');
    await json(
      await on(local, 'PUT', `/api/v1/projects/${project.id}/link`, {
        remoteId: remoteDto.id,
        createRemoteProject: true,
      }),
      200,
    );
    const base = `/api/v1/projects/${project.id}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', `${base}/link`],
      ['PUT', `${base}/link`, { remoteId: remoteDto.id, createRemoteProject: true }],
      ['DELETE', `${base}/link`],
      ['POST', `${base}/sync`, { mode: 'both', onConflict: 'ask' }],
      // A bad body is not looked at first: another user's project is 404, never 400.
      ['POST', `${base}/sync`, { mode: 'sideways' }],
      ['PUT', `${base}/link`, { remoteId: 42 }],
      ['GET', `${base}/sync`],
      ['DELETE', `/api/v1/remotes/${remoteDto.id}`],
    ];
    for (const [method, route, body] of attempts) {
      const response = await on(bob, method, route, body);
      expect({ method, route, status: response.status }).toEqual({ method, route, status: 404 });
    }
    expect(await json<RemoteDto[]>(await on(bob, 'GET', '/api/v1/remotes'), 200)).toEqual([]);
    // Still linked, remote still there.
    expect((await on(local, 'GET', `${base}/link`)).status).toBe(200);
  });

  it('401s every route without a session or token', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/v1/remotes'],
      ['POST', '/api/v1/remotes'],
      ['DELETE', '/api/v1/remotes/x'],
      ['GET', '/api/v1/projects/x/link'],
      ['PUT', '/api/v1/projects/x/link'],
      ['DELETE', '/api/v1/projects/x/link'],
      ['GET', '/api/v1/projects/x/sync'],
      ['POST', '/api/v1/projects/x/sync'],
    ];
    for (const [method, route] of routes) {
      const response = await call(
        local.t.baseUrl,
        method,
        route,
        {},
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      expect({ method, route, status: response.status }).toEqual({ method, route, status: 401 });
    }
  });
});
