// The two routes the sync UI reads (issue 18), between two real Berths on loopback:
// GET /api/v1/remotes/:rid/projects (the Link dialog's list: the remote's own answer) and
// GET /api/v1/projects/:id/sync/file (Ask's side-by-side diff: each side of a conflict by its
// hash, this Berth's from its own peer, the remote's through the link). Another user's remote or
// project 404, no session 401, bad queries 400, a revoked token 409 remote_refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkDto, SyncConflictDto, SyncResultDto } from '../contracts';
import { createSignedInUser } from '../test-support/api-test-server';
import { json, makeToken, newProject, on, startSide, writeFile, type Side } from '../sync/sync-test-pair';

let local: Side;
let remote: Side;
/** Another user of the local Berth. */
let bob: Side;
let remoteId: string;
let tokenId: string;

beforeAll(async () => {
  [local, remote] = await Promise.all([startSide(), startSide()]);
  bob = { t: local.t, user: await createSignedInUser(local.t.baseUrl) };
  const token = await makeToken(remote);
  tokenId = token.id;
  const added = await json<{ id: string }>(
    await on(local, 'POST', '/api/v1/remotes', { url: remote.t.baseUrl, token: token.token, name: 'team' }),
    201,
  );
  remoteId = added.id;
}, 180_000);
afterAll(async () => {
  await Promise.all([local?.t.stop(), remote?.t.stop()]);
});

const fileRoute = (projectId: string, side: string, sha256: string) =>
  `/api/v1/projects/${projectId}/sync/file?side=${side}&sha256=${sha256}`;

describe('GET /api/v1/remotes/:rid/projects', () => {
  it("lists the remote's projects as the remote answers; 404 for another user's remote; 401 without a session", async () => {
    const there = await newProject(remote, 'Listed there');
    const listed = await json<{ id: string; name: string }[]>(
      await on(local, 'GET', `/api/v1/remotes/${remoteId}/projects`),
      200,
    );
    expect(listed).toContainEqual({ id: there.id, name: 'Listed there' });
    expect((await on(bob, 'GET', `/api/v1/remotes/${remoteId}/projects`)).status).toBe(404);
    expect((await fetch(`${local.t.baseUrl}/api/v1/remotes/${remoteId}/projects`)).status).toBe(401);
  });
});

describe('GET /api/v1/projects/:id/sync/file', () => {
  it('reads both sides of an asked conflict by their hashes, owner only', async () => {
    const project = await newProject(local, 'Compared');
    const link = await json<LinkDto>(
      await on(local, 'PUT', `/api/v1/projects/${project.id}/link`, { remoteId, createRemoteProject: true }),
      200,
    );
    await writeFile(local, project.id, 'notes.txt', 'agreed\n');
    const first = await json<SyncResultDto>(
      await on(local, 'POST', `/api/v1/projects/${project.id}/sync`, { mode: 'both', onConflict: 'ask' }),
      200,
    );
    expect(first.success).toBe(true);
    await writeFile(local, project.id, 'notes.txt', 'from the laptop\n');
    await writeFile(remote, link.remoteProjectId, 'notes.txt', 'from the team\n');
    const asked = await json<SyncResultDto>(
      await on(local, 'POST', `/api/v1/projects/${project.id}/sync`, { mode: 'both', onConflict: 'ask' }),
      200,
    );
    const conflict = asked.conflicts.find((entry) => entry.path === 'notes.txt') as SyncConflictDto;
    expect(conflict).toMatchObject({ outcome: 'unresolved', text: true });

    const local1 = await on(local, 'GET', fileRoute(project.id, 'local', conflict.local!));
    expect(local1.status).toBe(200);
    expect(await local1.text()).toBe('from the laptop\n');
    const remote1 = await on(local, 'GET', fileRoute(project.id, 'remote', conflict.remote!));
    expect(remote1.status).toBe(200);
    expect(await remote1.text()).toBe('from the team\n');
    expect(remote1.headers.get('content-security-policy')).toContain('sandbox');

    // Not there on that side, a bad side or hash, another user's project, an unlinked one.
    const unknown = 'f'.repeat(64);
    expect((await on(local, 'GET', fileRoute(project.id, 'remote', unknown))).status).toBe(404);
    expect((await on(local, 'GET', fileRoute(project.id, 'local', unknown))).status).toBe(404);
    expect((await on(local, 'GET', fileRoute(project.id, 'sideways', conflict.local!))).status).toBe(400);
    expect((await on(local, 'GET', fileRoute(project.id, 'local', 'ABC'))).status).toBe(400);
    expect((await on(bob, 'GET', fileRoute(project.id, 'local', conflict.local!))).status).toBe(404);
    const unlinked = await newProject(local, 'Not linked');
    expect((await on(local, 'GET', fileRoute(unlinked.id, 'local', conflict.local!))).status).toBe(404);
    expect((await fetch(`${local.t.baseUrl}${fileRoute(project.id, 'local', conflict.local!)}`)).status).toBe(401);
    // Signed in first, the project next, the query last: 401 and 404 before 400.
    expect((await fetch(`${local.t.baseUrl}${fileRoute(project.id, 'sideways', 'ABC')}`)).status).toBe(401);
    expect((await on(bob, 'GET', fileRoute(project.id, 'sideways', 'ABC'))).status).toBe(404);
  });
});

describe('a revoked token', () => {
  it('is 409 remote_refused with the reason when listing the remote projects', async () => {
    expect((await on(remote, 'DELETE', `/api/v1/tokens/${tokenId}`)).status).toBe(204);
    const response = await on(local, 'GET', `/api/v1/remotes/${remoteId}/projects`);
    const body = await json<{ error: string; message: string }>(response, 409);
    expect(body.error).toBe('remote_refused');
    expect(body.message).toContain('team refused the token');
  });
});
