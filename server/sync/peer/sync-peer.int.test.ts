// This Berth's side of the peer protocol on a real server (real Docker, real PostgreSQL), driven
// by HttpPeer with personal access tokens as another Berth or the CLI would: the state and its
// long poll woken by a file write; "missing" answered per user (another user's blob is missing,
// and naming it in an apply without uploading it is refused); upload + apply writing the files
// with a labelled snapshot first; a tampered upload refused; changed_meanwhile; conversations
// kept by id; another user's project 404 on every route; an apply left `applying` finished by
// the next state read. A project's .git/ is never reported and an apply keeps it; apply with
// only the changes; gzip'd bodies both ways.
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerStateDto, PortableConversation, ProjectDto, SnapshotDto, SyncManifestEntry } from '../../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../test-support/api-test-server';
import { HttpPeer } from '../core/http-peer';
import { isOutsideSync } from '../core/manifest-checks';
import { PeerHttpError } from '../core/remote-api';
import { ChangedMeanwhileError, PeerRefusedError, type BlobContent, type PeerStateAnswer } from '../core/sync-peer';
import { conversationVersion } from './conversation-version';

interface Account {
  user: TestUser;
  token: string;
  project: ProjectDto;
}

let t: TestServer;
let alice: Account;
let bob: Account;

const sha = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const blobOf = (text: string): BlobContent => ({ sha256: sha(Buffer.from(text)), content: Buffer.from(text) });
const entryOf = (path: string, blob: BlobContent, mode = 0o100644): SyncManifestEntry => ({
  path,
  mode,
  size: blob.content.length,
  sha256: blob.sha256,
});
async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}
const peerOf = (account: Account, projectId = account.project.id, token = account.token) =>
  new HttpPeer({ baseUrl: t.baseUrl, token, projectId, name: 'test' });

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected HTTP ${status}, got ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function account(name: string): Promise<Account> {
  const user = await createSignedInUser(t.baseUrl);
  const auth = { cookie: user.cookie };
  const { token } = await json<{ token: string }>(
    await call(t.baseUrl, 'POST', '/api/v1/tokens', auth, { name: 'sync' }),
    201,
  );
  const project = await json<ProjectDto>(
    await call(t.baseUrl, 'POST', '/api/v1/projects', auth, { name, template: 'blank-node' }),
    201,
  );
  await json(await call(t.baseUrl, 'POST', `/api/v1/projects/${project.id}/start`, auth), 200);
  return { user, token, project };
}

const filePath = (projectId: string, path: string) =>
  `/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(path)}`;

async function writeFile(who: Account, path: string, content: string): Promise<void> {
  const response = await call(t.baseUrl, 'PUT', filePath(who.project.id, path), { cookie: who.user.cookie }, content);
  if (response.status !== 200) throw new Error(`writing ${path}: HTTP ${response.status} ${await response.text()}`);
}

async function readText(who: Account, path: string): Promise<string | null> {
  const response = await call(t.baseUrl, 'GET', filePath(who.project.id, path), { cookie: who.user.cookie });
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`reading ${path}: HTTP ${response.status}`);
  return response.text();
}

function full(answer: PeerStateAnswer): PeerStateDto {
  if ('unchanged' in answer) throw new Error(`expected a full state, got unchanged ${answer.stateId}`);
  return answer;
}

const snapshotsOf = async (who: Account) =>
  json<SnapshotDto[]>(
    await call(t.baseUrl, 'GET', `/api/v1/projects/${who.project.id}/snapshots`, { cookie: who.user.cookie }),
    200,
  );

beforeAll(async () => {
  // No automatic snapshots in the background: every snapshot here is one the test caused.
  // A 1 MB blob cap, to see an over-size upload refused.
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600', SNAPSHOT_MAX_FILE_MB: '1' });
  [alice, bob] = await Promise.all([account('alice app'), account('bob app')]);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('peer state', () => {
  it('reports the files with a stable stateId, answers unchanged for it, and a long poll wakes on a write', async () => {
    const peer = peerOf(alice);
    const first = full(await peer.state());
    expect(first.project).toEqual({ id: alice.project.id, name: 'alice app', template: 'blank-node' });
    expect(first.files.map((file) => file.path)).toContain('package.json');
    expect(full(await peer.state()).stateId).toBe(first.stateId);
    expect(await peer.state({ known: first.stateId })).toEqual({ unchanged: true, stateId: first.stateId });

    // Nothing changes: the long poll answers unchanged once its wait is over.
    const quietStart = Date.now();
    expect(await peer.state({ known: first.stateId, waitMs: 400 })).toEqual({
      unchanged: true,
      stateId: first.stateId,
    });
    expect(Date.now() - quietStart).toBeGreaterThanOrEqual(400);

    const started = Date.now();
    const polled = peer.state({ known: first.stateId, waitMs: 25_000 });
    // The poll is waiting on the server before the write (a write before it would answer at once too).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writeFile(alice, 'watched.txt', 'saved in the IDE\n');
    const woke = full(await polled);
    const elapsed = Date.now() - started - 200;
    expect(woke.stateId).not.toBe(first.stateId);
    expect(woke.files.find((file) => file.path === 'watched.txt')?.sha256).toBe(sha(Buffer.from('saved in the IDE\n')));
    // Woken by the agent's change event, not by the end of the wait.
    expect(elapsed).toBeLessThan(5_000);
  });

  it('answers the signed-in session too, and parses every body (400 with field errors)', async () => {
    const base = `/api/v1/projects/${alice.project.id}/sync/peer`;
    const session = { cookie: alice.user.cookie };
    const state = await json<PeerStateDto>(await call(t.baseUrl, 'GET', `${base}/state`, session), 200);
    expect(state.project.id).toBe(alice.project.id);
    const bad = await json<{ error: string; fieldErrors: Record<string, string[]> }>(
      await call(t.baseUrl, 'POST', `${base}/blobs/missing`, session, { hashes: ['not-a-hash'] }),
      400,
    );
    expect(bad.error).toBe('validation');
    expect(await call(t.baseUrl, 'GET', `${base}/state?waitMs=soon`, session).then((r) => r.status)).toBe(400);
    expect(
      await call(t.baseUrl, 'POST', `${base}/apply`, session, { expectedStateId: state.stateId }).then((r) => r.status),
    ).toBe(400);
    // A session's POST from another site is refused (the API's CSRF rule).
    expect(
      await call(
        t.baseUrl,
        'POST',
        `${base}/blobs/missing`,
        { ...session, origin: 'https://evil.example' },
        {
          hashes: [],
        },
      ).then((r) => r.status),
    ).toBe(403);
  });

  it('a token that signs in as nobody is refused', async () => {
    await expect(peerOf(alice, alice.project.id, 'berth_pat_forged').state()).rejects.toBeInstanceOf(PeerRefusedError);
  });
});

describe('blobs', () => {
  it('missing is per user: a blob another user uploaded is missing for this one, and naming it in an apply is refused', async () => {
    const secret = blobOf(`bob's file ${randomBytes(8).toString('hex')}`);
    const bobPeer = peerOf(bob);
    const alicePeer = peerOf(alice);
    expect(await bobPeer.missing([secret.sha256])).toEqual([secret.sha256]);
    expect(await bobPeer.putBlobs(iterate([secret]))).toEqual({ stored: 1, bytes: secret.content.length });
    expect(await bobPeer.missing([secret.sha256])).toEqual([]);
    // Stored on this server, but not Alice's: she must send it herself.
    expect(await alicePeer.missing([secret.sha256])).toEqual([secret.sha256]);
    // And she cannot read it either (it is in none of her projects' snapshots).
    const read = await collect(alicePeer.readBlobs([secret.sha256])).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(PeerHttpError);
    expect((read as PeerHttpError).status).toBe(404);
    expect((read as Error).message).toContain(secret.sha256);

    const state = full(await alicePeer.state());
    const refused = await alicePeer
      .apply({
        expectedStateId: state.stateId,
        files: [...state.files, entryOf('stolen.txt', secret)],
        label: 'before sync with test',
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, code: 'blob_not_available' });
    expect(await readText(alice, 'stolen.txt')).toBeNull();
  });

  it('an upload whose content does not match its hash is refused and grants nothing', async () => {
    const peer = peerOf(alice);
    const claimed = blobOf(`claimed ${randomBytes(8).toString('hex')}`);
    const tampered = { sha256: claimed.sha256, content: Buffer.from('something else') };
    const refused = await peer.putBlobs(iterate([blobOf('a fine one'), tampered])).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, code: 'bad_blob_frames' });
    expect((refused as Error).message).toContain(claimed.sha256);
    // Nothing of the refused request counts as sent, the good blob before it included.
    expect(await peer.missing([claimed.sha256, blobOf('a fine one').sha256])).toHaveLength(2);
  });

  it('refuses a blob over the snapshot file size cap', async () => {
    const big = blobOf('x'.repeat(1024 * 1024 + 1));
    const refused = await peerOf(alice)
      .putBlobs(iterate([big]))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 413, code: 'blob_too_large' });
    expect(await peerOf(alice).missing([big.sha256])).toEqual([big.sha256]);
  });

  it('reads back blobs of its projects, framed and verified', async () => {
    const peer = peerOf(alice);
    const state = full(await peer.state());
    const pkg = state.files.find((file) => file.path === 'package.json')!;
    const [blob] = await collect(peer.readBlobs([pkg.sha256]));
    expect(blob!.sha256).toBe(pkg.sha256);
    expect(JSON.parse(blob!.content.toString('utf8'))).toHaveProperty('name');
  });
});

describe('apply', () => {
  it('uploads and applies: files written and deleted, a labelled snapshot first, the new state reported', async () => {
    const peer = peerOf(alice);
    await writeFile(alice, 'old.txt', 'to be deleted\n');
    const before = full(await peer.state());
    const added = blobOf(`export const synced = ${Date.now()};\n`);
    const script = blobOf('#!/bin/sh\necho hi\n');
    expect(await peer.missing([added.sha256, script.sha256])).toEqual([added.sha256, script.sha256]);
    await peer.putBlobs(iterate([added, script]));
    expect(await peer.missing([added.sha256, script.sha256])).toEqual([]);

    const files = [
      ...before.files.filter((file) => file.path !== 'old.txt'),
      entryOf('src/synced.ts', added),
      entryOf('bin/run.sh', script, 0o100755),
    ];
    const result = await peer.apply({ expectedStateId: before.stateId, files, label: 'before sync with laptop' });
    expect(result.written).toBe(2);
    expect(result.deleted).toBe(1);
    expect(await readText(alice, 'src/synced.ts')).toBe(added.content.toString());
    expect(await readText(alice, 'old.txt')).toBeNull();

    const labelled = (await snapshotsOf(alice)).find((snapshot) => snapshot.id === result.beforeSnapshotId);
    expect(labelled).toMatchObject({ label: 'before sync with laptop', reason: 'sync' });
    const after = full(await peer.state());
    expect(after.stateId).toBe(result.stateId);
    expect(after.files.find((file) => file.path === 'bin/run.sh')?.mode).toBe(0o100755);
    expect(after.files.map((file) => file.path)).not.toContain('old.txt');
  });

  it('moves 20 MB of random files in several upload requests, applies them and reads them back whole', async () => {
    const peer = new HttpPeer({
      baseUrl: t.baseUrl,
      token: alice.token,
      projectId: alice.project.id,
      name: 'test',
      uploadBatchBytes: 6 * 1024 * 1024,
    });
    const blobs = Array.from({ length: 40 }, () => {
      const content = randomBytes(512 * 1024);
      return { sha256: sha(content), content };
    });
    let sent = 0;
    expect(await peer.putBlobs(iterate(blobs), (bytes) => (sent += bytes))).toEqual({
      stored: 40,
      bytes: 40 * 512 * 1024,
    });
    expect(sent).toBe(40 * 512 * 1024);
    const state = full(await peer.state());
    const files = [...state.files, ...blobs.map((blob, index) => entryOf(`assets/blob-${index}.bin`, blob))];
    const result = await peer.apply({ expectedStateId: state.stateId, files, label: 'before sync with test' });
    expect(result.written).toBe(40);
    let received = 0;
    const back = await collect(
      peer.readBlobs(
        blobs.map((blob) => blob.sha256),
        (bytes) => (received += bytes),
      ),
    );
    expect(back.map((blob) => sha(blob.content))).toEqual(blobs.map((blob) => blob.sha256));
    expect(received).toBe(40 * 512 * 1024);
  });

  it('refuses with changed_meanwhile when the project is not the state the plan was made from', async () => {
    const peer = peerOf(alice);
    const seen = full(await peer.state());
    await writeFile(alice, 'edited-meanwhile.txt', 'typed while the sync planned\n');
    await expect(
      peer.apply({ expectedStateId: seen.stateId, files: seen.files, label: 'before sync with test' }),
    ).rejects.toBeInstanceOf(ChangedMeanwhileError);
    // Nothing was undone.
    expect(await readText(alice, 'edited-meanwhile.txt')).toBe('typed while the sync planned\n');
  });

  it('refuses paths that leave the project and sizes that are not the content', async () => {
    const peer = peerOf(alice);
    const state = full(await peer.state());
    const pkg = state.files.find((file) => file.path === 'package.json')!;
    const refused = await peer
      .apply({ expectedStateId: state.stateId, files: [{ ...pkg, path: '../escape.json' }], label: 'x' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, code: 'bad_manifest' });
    const lying = await peer
      .apply({ expectedStateId: state.stateId, files: [{ ...pkg, path: 'big.json', size: pkg.size + 1 }], label: 'x' })
      .catch((error: unknown) => error);
    expect(lying).toMatchObject({ status: 400, code: 'bad_manifest' });
    expect(await readText(alice, 'package.json')).not.toBeNull();
  });

  it('puts and deletes conversations keeping their ids; an id of another project is refused', async () => {
    const peer = peerOf(alice);
    const auth = { cookie: alice.user.cookie };
    const { id } = await json<{ id: string }>(
      await call(t.baseUrl, 'POST', `/api/v1/projects/${alice.project.id}/conversations`, auth, { title: 'Plan' }),
      201,
    );
    const state = full(await peer.state());
    const listed = state.conversations.find((conversation) => conversation.id === id)!;
    expect(listed.title).toBe('Plan');
    const [portable] = await peer.conversations([id]);
    expect(conversationVersion(portable!.conversation)).toBe(listed.version);

    const renamed: PortableConversation = {
      ...portable!.conversation,
      title: 'Plan (from the laptop)',
      updatedAt: new Date().toISOString(),
      messages: [
        {
          seq: 0,
          role: 'user',
          content: 'hello',
          toolCalls: [],
          toolResults: [],
          turnId: null,
          createdAt: new Date().toISOString(),
        },
      ],
    };
    const result = await peer.apply({
      expectedStateId: state.stateId,
      files: state.files,
      label: 'before sync with test',
      conversations: { put: [{ id, conversation: renamed }], delete: [] },
    });
    // Conversations only: no files touched, no snapshot taken.
    expect(result.beforeSnapshotId).toBeNull();
    const after = full(await peer.state());
    expect(after.stateId).toBe(result.stateId);
    const now = after.conversations.find((conversation) => conversation.id === id)!;
    expect(now.title).toBe('Plan (from the laptop)');
    // The same content hashes the same on the receiving side as on the sending one.
    expect(now.version).toBe(conversationVersion(renamed));

    const bobsConversation = await json<{ id: string }>(
      await call(
        t.baseUrl,
        'POST',
        `/api/v1/projects/${bob.project.id}/conversations`,
        { cookie: bob.user.cookie },
        {},
      ),
      201,
    );
    const elsewhere = await peer
      .apply({
        expectedStateId: after.stateId,
        files: after.files,
        label: 'x',
        conversations: { put: [{ id: bobsConversation.id, conversation: renamed }], delete: [] },
      })
      .catch((error: unknown) => error);
    expect(elsewhere).toMatchObject({ status: 409, code: 'conversation_refused' });
    // Nothing in the refusal says the id is taken, or by whom.
    expect((elsewhere as Error).message).not.toMatch(/another|belongs|exists/i);

    const deleted = await peer.apply({
      expectedStateId: after.stateId,
      files: after.files,
      label: 'x',
      conversations: { put: [], delete: [id] },
    });
    expect(full(await peer.state()).conversations.map((conversation) => conversation.id)).not.toContain(id);
    expect(deleted.stateId).not.toBe(after.stateId);
  });
});

describe('.git and the wire', () => {
  it('never reports .git/ and keeps it through an apply (changes or the whole target); a target naming it is refused', async () => {
    // Bob's project: the other tests' interrupted applies (Alice's) would put back a target without it.
    const head = 'ref: refs/heads/main\n';
    await writeFile(bob, '.git/HEAD', head);
    await writeFile(bob, 'vendor/lib/.git/config', '[core]\n\tbare = false\n');
    await writeFile(bob, 'goes-away.txt', 'deleted by the sync\n');
    const peer = peerOf(bob);
    const state = full(await peer.state());
    expect(state.files.map((file) => file.path)).toContain('goes-away.txt');
    expect(state.files.filter((file) => isOutsideSync(file.path))).toEqual([]);
    // The snapshot the state was read from does hold them.
    const [latest] = await snapshotsOf(bob);
    const held = await t.server.database.prisma.snapshotFile.findMany({ where: { snapshotId: latest!.id } });
    expect(held.map((file) => file.path)).toEqual(expect.arrayContaining(['.git/HEAD', 'vendor/lib/.git/config']));
    // A change inside .git/ alone makes a new snapshot but keeps the stateId (it names what a sync sees).
    await writeFile(bob, '.git/ORIG_HEAD', `${randomBytes(20).toString('hex')}\n`);
    expect(await peer.state({ known: state.stateId })).toEqual({ unchanged: true, stateId: state.stateId });
    expect((await snapshotsOf(bob))[0]!.id).not.toBe(latest!.id);

    // This peer read the state: it sends only the changes.
    const added = blobOf(`after git ${randomBytes(4).toString('hex')}\n`);
    await peer.putBlobs(iterate([added]));
    const target = [...state.files.filter((file) => file.path !== 'goes-away.txt'), entryOf('added.txt', added)];
    const result = await peer.apply({ expectedStateId: state.stateId, files: target, label: 'before sync with test' });
    expect(result).toMatchObject({ written: 1, deleted: 1 });
    expect(await readText(bob, 'goes-away.txt')).toBeNull();
    expect(await readText(bob, 'added.txt')).toBe(added.content.toString());
    expect(await readText(bob, '.git/HEAD')).toBe(head);
    expect(await readText(bob, 'vendor/lib/.git/config')).toBe('[core]\n\tbare = false\n');
    const after = full(await peer.state());
    expect(after.stateId).toBe(result.stateId);
    expect([...after.files].sort(byPath)).toEqual([...target].sort(byPath));

    // A peer that never read the state sends the whole target, which lacks .git/ too: still kept.
    const fresh = peerOf(bob);
    const back = await fresh.apply({
      expectedStateId: after.stateId,
      files: after.files.filter((file) => file.path !== 'added.txt'),
      label: 'before sync with test',
    });
    expect(back).toMatchObject({ written: 0, deleted: 1 });
    expect(await readText(bob, 'added.txt')).toBeNull();
    expect(await readText(bob, '.git/HEAD')).toBe(head);
    expect(await readText(bob, 'vendor/lib/.git/config')).not.toBeNull();

    // A target that names a .git path is refused, in either form; a file where a kept .git lives too.
    const now = full(await fresh.state());
    for (const attempt of [
      () =>
        peerOf(bob).apply({
          expectedStateId: now.stateId,
          files: [...now.files, entryOf('.git/hooks/x', added)],
          label: 'x',
        }),
      () =>
        fresh.apply({
          expectedStateId: now.stateId,
          files: [...now.files, entryOf('.git/hooks/x', added)],
          label: 'x',
        }),
      () =>
        fresh.apply({ expectedStateId: now.stateId, files: [...now.files, entryOf('vendor/lib', added)], label: 'x' }),
    ])
      expect(await attempt().catch((error: unknown) => error)).toMatchObject({ status: 400, code: 'bad_manifest' });
    expect(await readText(bob, '.git/HEAD')).toBe(head);

    // An interrupted apply finished later leaves .git/ as it is by then (git may have run meanwhile),
    // not as its target recorded it.
    const finished = blobOf(`finished later ${randomBytes(4).toString('hex')}\n`);
    await fresh.putBlobs(iterate([finished]));
    await leaveApplying(
      [...now.files, entryOf('.git/HEAD', blobOf(head))],
      entryOf('finished-later.txt', finished),
      bob.project.id,
    );
    await writeFile(bob, '.git/HEAD', 'ref: refs/heads/other\n');
    expect(full(await fresh.state()).files.map((file) => file.path)).toContain('finished-later.txt');
    expect(await readText(bob, 'finished-later.txt')).toBe(finished.content.toString());
    expect(await readText(bob, '.git/HEAD')).toBe('ref: refs/heads/other\n');
  });

  it('takes exactly one of files and changes, and gzip bodies within the same bound', async () => {
    const base = `${t.baseUrl}/api/v1/projects/${bob.project.id}/sync/peer`;
    const state = full(await peerOf(bob).state());
    const post = (route: string, body: Buffer | string, headers: Record<string, string> = {}) =>
      fetch(`${base}/${route}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bob.token}`, 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
    const both = { expectedStateId: state.stateId, label: 'x', files: state.files, changes: { put: [], delete: [] } };
    const neither = { expectedStateId: state.stateId, label: 'x' };
    for (const body of [both, neither]) {
      const refused = await json<{ error: string; fieldErrors: Record<string, string[]> }>(
        await post('apply', JSON.stringify(body)),
        400,
      );
      expect(refused.fieldErrors.files?.[0]).toMatch(/exactly one/);
    }
    const nothing = { expectedStateId: state.stateId, label: 'x', changes: { put: [], delete: [] } };
    expect(await json(await post('apply', JSON.stringify(nothing)), 200)).toEqual({
      stateId: state.stateId,
      beforeSnapshotId: null,
      written: 0,
      deleted: 0,
    });

    const hashes = state.files.map((file) => file.sha256);
    const gzip = { 'Content-Encoding': 'gzip' };
    expect(await json(await post('blobs/missing', gzipSync(JSON.stringify({ hashes })), gzip), 200)).toEqual({
      missing: [],
    });
    expect((await post('blobs/missing', Buffer.from('not gzip'), gzip)).status).toBe(400);
    expect((await post('blobs/missing', JSON.stringify({ hashes }), { 'Content-Encoding': 'br' })).status).toBe(415);
    // 17 MB of spaces gzip to ~17 KB: over the 16 MB bound once inflated.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"hashes":[]'), Buffer.alloc(17 * 1024 * 1024, 0x20), Buffer.from('}')]),
    );
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect((await post('blobs/missing', bomb, gzip)).status).toBe(413);
  });
});

describe('present', () => {
  it('names the paths absent from the state that stand in the volume all the same (ignored ones)', async () => {
    await writeFile(alice, 'node_modules/held/index.js', 'kept out of every snapshot');
    const peer = peerOf(alice);
    const state = await peer.state();
    if ('unchanged' in state) throw new Error('expected a full state');
    expect(state.files.map((file) => file.path)).not.toContain('node_modules/held/index.js');
    expect(await peer.present(['node_modules/held/index.js', 'node_modules/held', 'nowhere.txt'])).toEqual([
      'node_modules/held/index.js',
      'node_modules/held',
    ]);
    const base = `/api/v1/projects/${alice.project.id}/sync/peer`;
    const session = { cookie: alice.user.cookie };
    expect(await call(t.baseUrl, 'POST', `${base}/present`, session, { paths: [''] }).then((r) => r.status)).toBe(400);
  });
});

describe("another user's project", () => {
  it('is 404 on every route', async () => {
    const intruder = peerOf(bob, alice.project.id);
    const blob = blobOf('intruder');
    const attempts: [string, () => Promise<unknown>][] = [
      ['state', () => intruder.state()],
      ['missing', () => intruder.missing([blob.sha256])],
      ['blobs', () => intruder.putBlobs(iterate([blob]))],
      ['read', () => collect(intruder.readBlobs([blob.sha256]))],
      ['conversations', () => intruder.conversations(['c1'])],
      ['apply', () => intruder.apply({ expectedStateId: 'empty', files: [], label: 'x' })],
    ];
    for (const [route, attempt] of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error, route).toBeInstanceOf(PeerHttpError);
      expect((error as PeerHttpError).status, route).toBe(404);
    }
    // The routes HttpPeer treats as absent (present) or whose body is checked: 404 before the body is read.
    const base = `/api/v1/projects/${alice.project.id}/sync/peer`;
    const auth = { token: bob.token };
    for (const [route, body] of [
      ['present', { paths: ['a.txt'] }],
      ['present', { paths: 'bad body' }],
      ['conversations', { ids: 'bad body' }],
      ['apply', { expectedStateId: 'bad body' }],
    ] as const)
      expect(await call(t.baseUrl, 'POST', `${base}/${route}`, auth, body).then((r) => r.status), route).toBe(404);
    // Bob sent a blob to Alice's project's route: it was refused before it was read, so it is not his.
    expect(await peerOf(bob).missing([blob.sha256])).toEqual([blob.sha256]);
  });
});

describe('an interrupted apply', () => {
  it('is finished by the next state read: the volume made equal to its target, the row done', async () => {
    const peer = peerOf(alice);
    const state = full(await peer.state());
    const recovered = blobOf(`recovered ${randomBytes(4).toString('hex')}\n`);
    await peer.putBlobs(iterate([recovered]));
    const row = await leaveApplying(state.files, entryOf('recovered.txt', recovered));
    const prisma = t.server.database.prisma;
    expect(await readText(alice, 'recovered.txt')).toBeNull();

    const after = full(await peer.state());
    expect(after.files.find((file) => file.path === 'recovered.txt')?.sha256).toBe(recovered.sha256);
    expect(await readText(alice, 'recovered.txt')).toBe(recovered.content.toString());
    expect((await prisma.syncApply.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('done');
  });

  it('touches only the paths it named: a file saved since the interruption stays', async () => {
    const peer = peerOf(alice);
    const state = full(await peer.state());
    const prisma = t.server.database.prisma;
    const before = await prisma.snapshot.findFirstOrThrow({
      where: { projectId: alice.project.id },
      orderBy: { createdAt: 'desc' },
    });
    const recovered = blobOf(`named ${randomBytes(4).toString('hex')}\n`);
    await peer.putBlobs(iterate([recovered]));
    const row = await leaveApplying(state.files, entryOf('named.txt', recovered), alice.project.id, before.id);
    // Saved after the interruption, before the finish: not in the target, not the apply's to delete.
    await writeFile(alice, 'saved-since.txt', 'kept\n');

    const after = full(await peer.state());
    expect(await readText(alice, 'named.txt')).toBe(recovered.content.toString());
    expect(await readText(alice, 'saved-since.txt')).toBe('kept\n');
    expect(after.files.map((file) => file.path)).toContain('saved-since.txt');
    expect((await prisma.syncApply.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('done');
  });
});

describe('a stopped workspace', () => {
  it('reports its latest snapshot, and an apply starts it and writes the files', async () => {
    const peer = peerOf(alice);
    const running = full(await peer.state());
    await json(
      await call(t.baseUrl, 'POST', `/api/v1/projects/${alice.project.id}/stop`, { cookie: alice.user.cookie }),
      200,
    );
    const stopped = full(await peer.state());
    // The same files: the same stateId (it names the content, not the snapshot).
    expect(stopped.stateId).toBe(running.stateId);
    expect(stopped.files).toEqual(running.files);

    const added = blobOf(`written while stopped ${randomBytes(4).toString('hex')}\n`);
    await peer.putBlobs(iterate([added]));
    const result = await peer.apply({
      expectedStateId: stopped.stateId,
      files: [...stopped.files, entryOf('while-stopped.txt', added)],
      label: 'before sync with test',
    });
    expect(result.written).toBe(1);
    expect(await readText(alice, 'while-stopped.txt')).toBe(added.content.toString());
  });
});

describe('an apply interrupted by a restart', () => {
  it('is finished at start-up', async () => {
    const peer = peerOf(alice);
    const state = full(await peer.state());
    const recovered = blobOf(`finished at start-up ${randomBytes(4).toString('hex')}\n`);
    await peer.putBlobs(iterate([recovered]));
    const { id: rowId } = await leaveApplying(state.files, entryOf('after-restart.txt', recovered));
    await t.stop({ restart: true });
    t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600', SNAPSHOT_MAX_FILE_MB: '1' }, undefined, {
      reuse: { dataDir: t.dataDir, scope: t.scope },
    });
    // Nothing asks for the project: the new server finishes the row by itself.
    const prisma = t.server.database.prisma;
    for (;;) {
      const row = await prisma.syncApply.findUniqueOrThrow({ where: { id: rowId } });
      if (row.status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await readText(alice, 'after-restart.txt')).toBe(recovered.content.toString());
  }, 120_000);
});

/** What an apply leaves when Berth stops right after its transaction: the target snapshot and its journal row `applying`. */
async function leaveApplying(
  current: SyncManifestEntry[],
  added: SyncManifestEntry,
  projectId = alice.project.id,
  beforeSnapshotId?: string,
) {
  const prisma = t.server.database.prisma;
  const files = [...current, added];
  const target = await prisma.snapshot.create({
    data: {
      projectId,
      reason: 'sync',
      fileCount: files.length,
      totalBytes: BigInt(files.reduce((sum, file) => sum + file.size, 0)),
      newBytes: 0n,
      changedFiles: 1,
      files: { create: files.map(({ path, mode, size, sha256 }) => ({ path, mode, size, sha256 })) },
    },
  });
  return prisma.syncApply.create({
    data: {
      projectId,
      targetSnapshotId: target.id,
      status: 'applying',
      ...(beforeSnapshotId ? { beforeSnapshotId } : {}),
    },
  });
}

const byPath = (a: SyncManifestEntry, b: SyncManifestEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

async function collect(blobs: AsyncIterable<BlobContent>): Promise<BlobContent[]> {
  const out: BlobContent[] = [];
  for await (const blob of blobs) out.push(blob);
  return out;
}
