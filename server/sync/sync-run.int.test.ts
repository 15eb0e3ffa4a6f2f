// Syncs between two real Berths on loopback (issue 18), through the API a user calls: upload,
// download and both ways with their "before sync" snapshots and the base kept as one snapshot;
// every conflict strategy (local, remote, a clean merge, merge markers, a binary keeping both, ask
// then resolutions); conversations travelling with their ids; a revoked token's clear 409; an
// automatic sync after a save; a sync cut between the remote's apply and this Berth's own, this
// Berth restarted, then a second sync converging with nothing lost; this Berth stopped while a
// sync waits on a remote that no longer answers (the stop does not wait for it), then converging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationService } from '../assistant';
import type {
  ConversationDto,
  ConversationListDto,
  ConversationSummaryDto,
  LinkDto,
  RemoteDto,
  SnapshotDto,
  SyncRequest,
  SyncResultDto,
  SyncStatusDto,
} from '../contracts';
import { createLogger } from '../core/logger';
import { ProjectService } from '../projects';
import { startTestServer } from '../test-support/api-test-server';
import {
  addRemote,
  deleteFile,
  json,
  makeToken,
  newProject,
  on,
  PAIR_ENV,
  readFile,
  readText,
  startCuttingProxy,
  startSide,
  writeFile,
  type Side,
} from './sync-test-pair';

/** Automatic sync a second after the last change, for the test of it. */
const LOCAL_ENV = { SYNC_AUTO_DEBOUNCE_SECONDS: '1' };

let local: Side;
let remote: Side;
let remoteId: string;

beforeAll(async () => {
  [local, remote] = await Promise.all([startSide(LOCAL_ENV), startSide()]);
  remoteId = (await addRemote(local, remote)).id;
}, 180_000);
afterAll(async () => {
  await Promise.all([local?.t.stop(), remote?.t.stop()]);
});

interface Pair {
  here: string;
  there: string;
}

async function linkedPair(name: string, via = remoteId, settings: object = {}): Promise<Pair> {
  const project = await newProject(local, name);
  const link = await json<LinkDto>(
    await on(local, 'PUT', `/api/v1/projects/${project.id}/link`, {
      remoteId: via,
      createRemoteProject: true,
      ...settings,
    }),
    200,
  );
  return { here: project.id, there: link.remoteProjectId };
}

const sync = async (pair: Pair, request: SyncRequest) =>
  json<SyncResultDto>(await on(local, 'POST', `/api/v1/projects/${pair.here}/sync`, request), 200);
const both = (pair: Pair, onConflict: SyncRequest['onConflict'] = 'ask') => sync(pair, { mode: 'both', onConflict });
const statusOf = async (pair: Pair) =>
  json<SyncStatusDto>(await on(local, 'GET', `/api/v1/projects/${pair.here}/sync`), 200);

/** Waits (polling, bounded) until `check` holds. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function baseSnapshotsOf(pair: Pair): Promise<string[]> {
  const snapshots = await json<SnapshotDto[]>(await on(local, 'GET', `/api/v1/projects/${pair.here}/snapshots`), 200);
  return snapshots
    .filter((snapshot) => snapshot.reason === 'sync' && snapshot.label?.startsWith('synced with'))
    .map((snapshot) => snapshot.id);
}

describe('upload, download, both ways', () => {
  it('carries changes the way the mode says, with a labelled snapshot before each side changes', async () => {
    const pair = await linkedPair('Two ways');
    await writeFile(local, pair.here, 'notes.txt', 'from here\n');
    await writeFile(local, pair.here, 'src/a.js', 'export const a = 1;\n');

    const first = await sync(pair, { mode: 'upload', onConflict: 'ask' });
    expect(first).toMatchObject({ success: true, filesDownloaded: 0, conflicts: [], errors: [] });
    expect(first.uploaded).toEqual(expect.arrayContaining(['notes.txt', 'src/a.js']));
    expect(await readText(remote, pair.there, 'notes.txt')).toBe('from here\n');
    expect(await statusOf(pair)).toMatchObject({ status: 'synced', pendingChanges: 0, conflicts: [] });

    await writeFile(remote, pair.there, 'from-there.txt', 'hello from the team\n');
    const down = await sync(pair, { mode: 'download', onConflict: 'ask' });
    expect(down).toMatchObject({ success: true, filesUploaded: 0, filesDownloaded: 1, downloaded: ['from-there.txt'] });
    expect(await readText(local, pair.here, 'from-there.txt')).toBe('hello from the team\n');
    const snapshots = await json<SnapshotDto[]>(await on(local, 'GET', `/api/v1/projects/${pair.here}/snapshots`), 200);
    expect(snapshots.find((snapshot) => snapshot.id === down.beforeSnapshots?.local)?.label).toBe(
      'before sync with team',
    );
    // The base is one snapshot, labelled, never the newest (the newest is the project's own files).
    const bases = snapshots.filter((snapshot) => snapshot.reason === 'sync' && snapshot.label === 'synced with team');
    expect(bases).toHaveLength(1);
    expect(snapshots[0]!.id).not.toBe(bases[0]!.id);

    await writeFile(local, pair.here, 'notes.txt', 'from here, edited\n');
    await writeFile(remote, pair.there, 'b.txt', 'b\n');
    expect(await statusOf(pair)).toMatchObject({ status: 'pending', pendingChanges: 2 });
    const twoWay = await both(pair);
    expect(twoWay).toMatchObject({ success: true, uploaded: ['notes.txt'], downloaded: ['b.txt'] });
    expect(await readText(remote, pair.there, 'notes.txt')).toBe('from here, edited\n');
    expect(await readText(local, pair.here, 'b.txt')).toBe('b\n');

    // Upload never changes this side; what it leaves is still pending.
    await writeFile(remote, pair.there, 'b.txt', 'b, changed there\n');
    await deleteFile(local, pair.here, 'src/a.js');
    const up = await sync(pair, { mode: 'upload', onConflict: 'ask' });
    expect(up).toMatchObject({ success: true, filesDownloaded: 0 });
    expect(await readFile(remote, pair.there, 'src/a.js')).toBeNull();
    expect(await readText(local, pair.here, 'b.txt')).toBe('b\n');
    expect(await statusOf(pair)).toMatchObject({ status: 'pending', pendingChanges: 1 });
    await both(pair);
    expect(await readText(local, pair.here, 'b.txt')).toBe('b, changed there\n');
    expect(await statusOf(pair)).toMatchObject({ status: 'synced', pendingChanges: 0 });

    // A sync with nothing to do changes nothing, the base snapshot included.
    const baseBefore = await baseSnapshotsOf(pair);
    expect(await both(pair)).toMatchObject({ success: true, filesUploaded: 0, filesDownloaded: 0, conflicts: [] });
    expect(await baseSnapshotsOf(pair)).toEqual(baseBefore);
    expect(baseBefore).toHaveLength(1);
  });
});

describe('conflicts', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await linkedPair('Conflicts');
  });

  /** The file agreed on both sides, then changed differently on each. */
  async function conflicting(path: string, base: string | Buffer, mine: string | Buffer, theirs: string | Buffer) {
    await writeFile(local, pair.here, path, base);
    expect((await both(pair)).success).toBe(true);
    await writeFile(local, pair.here, path, mine);
    await writeFile(remote, pair.there, path, theirs);
  }

  it('local wins and remote wins', async () => {
    await conflicting('l.txt', 'base\n', 'mine\n', 'theirs\n');
    const local1 = await both(pair, 'local');
    expect(local1.conflicts).toEqual([expect.objectContaining({ kind: 'file', path: 'l.txt', outcome: 'local' })]);
    expect(await readText(remote, pair.there, 'l.txt')).toBe('mine\n');

    await conflicting('r.txt', 'base\n', 'mine\n', 'theirs\n');
    const remote1 = await both(pair, 'remote');
    expect(remote1.conflicts).toEqual([expect.objectContaining({ path: 'r.txt', outcome: 'remote' })]);
    expect(await readText(local, pair.here, 'r.txt')).toBe('theirs\n');
  });

  it('merges texts: cleanly where the changes are apart, with markers where they overlap', async () => {
    await conflicting('m.txt', '1\n2\n3\n4\n5\n', 'one\n2\n3\n4\n5\n', '1\n2\n3\n4\nfive\n');
    const clean = await both(pair, 'merge');
    expect(clean.conflicts).toEqual([expect.objectContaining({ path: 'm.txt', outcome: 'merged' })]);
    expect(await readText(local, pair.here, 'm.txt')).toBe('one\n2\n3\n4\nfive\n');
    expect(await readText(remote, pair.there, 'm.txt')).toBe('one\n2\n3\n4\nfive\n');

    await conflicting('k.txt', 'a\nb\nc\n', 'a\nmine\nc\n', 'a\ntheirs\nc\n');
    const markers = await both(pair, 'merge');
    expect(markers.conflicts).toEqual([expect.objectContaining({ path: 'k.txt', outcome: 'markers' })]);
    const expected = 'a\n<<<<<<< local\nmine\n=======\ntheirs\n>>>>>>> remote\nc\n';
    expect(await readText(local, pair.here, 'k.txt')).toBe(expected);
    expect(await readText(remote, pair.there, 'k.txt')).toBe(expected);
  });

  it('keeps both of a binary, the remote’s as "name (remote).ext" on both sides', async () => {
    const base = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]);
    const mine = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 2]);
    const theirs = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 3]);
    await conflicting('img/logo.png', base, mine, theirs);
    const result = await both(pair, 'merge');
    expect(result.conflicts).toEqual([
      expect.objectContaining({
        path: 'img/logo.png',
        outcome: 'kept-both',
        keptAs: 'img/logo (remote).png',
        text: false,
      }),
    ]);
    for (const [side, id] of [
      [local, pair.here],
      [remote, pair.there],
    ] as const) {
      expect(await readFile(side, id, 'img/logo.png')).toEqual(mine);
      expect(await readFile(side, id, 'img/logo (remote).png')).toEqual(theirs);
    }
  });

  it('asks: nothing changes, the status lists the conflict, the answer settles it', async () => {
    await conflicting('q.txt', 'base\n', 'mine\n', 'theirs\n');
    const asked = await both(pair, 'ask');
    expect(asked.conflicts).toEqual([
      expect.objectContaining({ path: 'q.txt', outcome: 'unresolved', text: true, base: expect.any(String) }),
    ]);
    expect(await readText(local, pair.here, 'q.txt')).toBe('mine\n');
    expect(await readText(remote, pair.there, 'q.txt')).toBe('theirs\n');
    const status = await statusOf(pair);
    expect(status).toMatchObject({ status: 'conflict', conflicts: [expect.objectContaining({ path: 'q.txt' })] });

    const answered = await sync(pair, { mode: 'both', onConflict: 'ask', resolutions: { 'q.txt': 'remote' } });
    expect(answered.conflicts).toEqual([expect.objectContaining({ path: 'q.txt', outcome: 'remote' })]);
    expect(await readText(local, pair.here, 'q.txt')).toBe('theirs\n');
    expect(await statusOf(pair)).toMatchObject({ status: 'synced', conflicts: [] });
  });
});

describe('conversations', () => {
  it('travel both ways with their ids, titles and messages', async () => {
    const pair = await linkedPair('Chats');
    const service = new ConversationService(
      local.t.server.database.prisma,
      new ProjectService(local.t.server.database.prisma),
    );
    const made = await service.create(local.user.id, pair.here, { title: 'Dark theme' });
    await service.appendMessage(local.user.id, pair.here, made.id, { role: 'user', content: 'Make it dark' });
    await service.appendMessage(local.user.id, pair.here, made.id, { role: 'assistant', content: 'Done.' });

    const up = await both(pair);
    expect(up).toMatchObject({ success: true, conversationsUploaded: 1, conversationsDownloaded: 0 });
    const theirs = await json<ConversationListDto>(
      await on(remote, 'GET', `/api/v1/projects/${pair.there}/conversations`),
      200,
    );
    expect(theirs.conversations).toEqual([expect.objectContaining({ id: made.id, title: 'Dark theme' })]);
    const copy = await json<ConversationDto>(
      await on(remote, 'GET', `/api/v1/projects/${pair.there}/conversations/${made.id}`),
      200,
    );
    expect(copy.messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Make it dark'],
      ['assistant', 'Done.'],
    ]);

    const started = await json<ConversationSummaryDto>(
      await on(remote, 'POST', `/api/v1/projects/${pair.there}/conversations`, { title: 'From the team' }),
      201,
    );
    const down = await both(pair);
    expect(down).toMatchObject({ success: true, conversationsDownloaded: 1 });
    const ours = await json<ConversationListDto>(
      await on(local, 'GET', `/api/v1/projects/${pair.here}/conversations`),
      200,
    );
    expect(ours.conversations.map((conversation) => conversation.id).sort()).toEqual([made.id, started.id].sort());
    expect(await statusOf(pair)).toMatchObject({ status: 'synced', pendingChanges: 0 });
  });
});

describe('a path one side leaves out', () => {
  it('is held: both copies stay, and it stays a conflict for the user to settle there', async () => {
    const pair = await linkedPair('Held');
    // The rule leaves itself out too, so it stays on this side only.
    await writeFile(local, pair.here, '.berthignore', '.berthignore\nlocal-only.txt\n');
    await writeFile(local, pair.here, 'local-only.txt', 'mine\n');
    await writeFile(remote, pair.there, 'local-only.txt', 'theirs\n');
    const result = await both(pair);
    expect(result).toMatchObject({ success: true, held: [expect.objectContaining({ path: 'local-only.txt' })] });
    expect(await readText(local, pair.here, 'local-only.txt')).toBe('mine\n');
    expect(await readText(remote, pair.there, 'local-only.txt')).toBe('theirs\n');
    expect(result.conflicts).toEqual([
      expect.objectContaining({ path: 'local-only.txt', local: null, outcome: 'unresolved' }),
    ]);
    expect(await statusOf(pair)).toMatchObject({
      status: 'conflict',
      pendingChanges: 1,
      conflicts: [expect.objectContaining({ path: 'local-only.txt' })],
    });
  });
});

describe('a revoked token', () => {
  it('gives a clear 409 remote_refused, an error status and the remote marked', async () => {
    const { id: tokenId, token } = await makeToken(remote);
    const revocable = await json<RemoteDto>(
      await on(local, 'POST', '/api/v1/remotes', { url: remote.t.baseUrl, token, name: 'revocable' }),
      201,
    );
    const pair = await linkedPair('Revoked', revocable.id);
    expect((await both(pair)).success).toBe(true);
    expect((await on(remote, 'DELETE', `/api/v1/tokens/${tokenId}`)).status).toBe(204);

    const refused = await on(local, 'POST', `/api/v1/projects/${pair.here}/sync`, { mode: 'both', onConflict: 'ask' });
    const body = await json<{ error: string; message: string; reason: string }>(refused, 409);
    expect(body).toMatchObject({
      error: 'remote_refused',
      message: expect.stringContaining('revocable refused the token'),
    });
    expect(body.reason).toMatch(/bearer token/i);
    const status = await statusOf(pair);
    expect(status.status).toBe('error');
    expect(status.error).toMatch(/refused|bearer token/i);
    const remotes = await json<RemoteDto[]>(await on(local, 'GET', '/api/v1/remotes'), 200);
    expect(remotes.find((entry) => entry.id === revocable.id)?.error).toMatch(/refused the token/);
  });
});

describe('automatic sync', () => {
  it('syncs a linked project by itself a moment after a save', async () => {
    const pair = await linkedPair('Auto', remoteId, { autoSync: true });
    await writeFile(local, pair.here, 'auto.txt', 'saved here\n');
    await eventually(
      async () => (await readText(remote, pair.there, 'auto.txt')) === 'saved here\n',
      'the automatic sync',
    );
    await eventually(async () => (await statusOf(pair)).lastSyncedAt !== null, 'the sync recorded');
  });
});

/** Stops this Berth as a restart would (workspaces and data stay) and starts it again on them. */
async function restartLocal(): Promise<void> {
  const { dataDir, scope } = local.t;
  await local.t.stop({ restart: true });
  local = {
    t: await startTestServer({ ...PAIR_ENV, ...LOCAL_ENV }, createLogger('silent'), { reuse: { dataDir, scope } }),
    user: local.user,
  };
}

describe('a sync cut between the two applies, and one stopped mid-way', () => {
  it(
    'leaves each side whole; after a restart the next sync converges with nothing lost',
    { timeout: 120_000 },
    async () => {
      const proxy = await startCuttingProxy(remote.t.baseUrl);
      try {
        const viaProxy = (await addRemote(local, remote, proxy.url)).id;
        const pair = await linkedPair('Interrupted', viaProxy);
        await writeFile(local, pair.here, 'shared.txt', 'agreed\n');
        expect((await both(pair)).success).toBe(true);

        await writeFile(local, pair.here, 'mine.txt', 'written here\n');
        await writeFile(local, pair.here, 'shared.txt', 'edited here\n');
        await writeFile(remote, pair.there, 'theirs.txt', 'written there\n');
        const cut = proxy.cutAfterApply();
        const broken = await both(pair);
        await cut;
        expect(broken.success).toBe(false);
        expect(broken.errors).toHaveLength(1);
        // The remote applied (it holds this side's changes); this side did not (it lacks theirs).
        expect(await readText(remote, pair.there, 'mine.txt')).toBe('written here\n');
        expect(await readText(remote, pair.there, 'shared.txt')).toBe('edited here\n');
        expect(await readFile(local, pair.here, 'theirs.txt')).toBeNull();

        // This Berth restarts (its workspaces keep running), then syncs again.
        const stopped = Date.now();
        await restartLocal();
        expect(Date.now() - stopped).toBeLessThan(10_000);
        const resumed = await both(pair);
        expect(resumed).toMatchObject({ success: true, conflicts: [], errors: [] });
        for (const [side, id] of [
          [local, pair.here],
          [remote, pair.there],
        ] as const) {
          expect(await readText(side, id, 'mine.txt')).toBe('written here\n');
          expect(await readText(side, id, 'theirs.txt')).toBe('written there\n');
          expect(await readText(side, id, 'shared.txt')).toBe('edited here\n');
        }
        expect(await statusOf(pair)).toMatchObject({ status: 'synced', pendingChanges: 0 });

        // Stopped mid-sync while the remote's answer never comes: the stop does not wait for it.
        await writeFile(local, pair.here, 'kill-mine.txt', 'mine\n');
        await writeFile(remote, pair.there, 'kill-theirs.txt', 'theirs\n');
        const held = proxy.holdAfterApply();
        const inFlight = both(pair).then(
          () => 'answered',
          () => 'cut off',
        );
        await held;
        const stopping = Date.now();
        await restartLocal();
        expect(Date.now() - stopping).toBeLessThan(10_000);
        expect(await inFlight).toBe('cut off');
        expect(await both(pair)).toMatchObject({ success: true, conflicts: [], errors: [] });
        for (const [side, id] of [
          [local, pair.here],
          [remote, pair.there],
        ] as const) {
          expect(await readText(side, id, 'kill-mine.txt')).toBe('mine\n');
          expect(await readText(side, id, 'kill-theirs.txt')).toBe('theirs\n');
        }
      } finally {
        await proxy.close();
      }
    },
  );
});
