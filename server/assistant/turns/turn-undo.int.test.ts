// "Undo this turn" and rewind over the HTTP API, end to end: real turns (scripted model server)
// change files in a real workspace container, the user changes files through the file API, and
// undo/rewind put back exactly the turn's files, report conflicts, and tell the project's tabs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileEntry, TurnRewindResultDto, TurnUndoResultDto, TurnUpdatedPushDto } from '../../contracts';
import { run } from '../../runtime/runtime-test-helpers';
import { call, type TestUser } from '../../test-support/api-test-server';
import {
  assistantApi,
  closeAssistantFixture,
  eventStream,
  openAssistantFixture,
  toolCall,
  type AssistantFixture,
} from '../test-fixture';
import { CONFLICT_REASONS } from './undo-plan';

let f: AssistantFixture;
let api: ReturnType<typeof assistantApi>;

beforeAll(async () => {
  // No automatic snapshots: only the turns' own (and the test's) are taken.
  f = await openAssistantFixture('Assistant undo', { SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  api = assistantApi(f);
}, 120_000);

afterAll(async () => {
  await closeAssistantFixture(f ?? {});
});

/** The user saves a file (REST, like an editor tab's save). */
async function userWrites(path: string, text: string): Promise<void> {
  const response = await call(f.t.baseUrl, 'PUT', api.fileUrl(path), { cookie: f.alice.cookie }, text);
  expect(response.status).toBe(200);
}

const read = (path: string) => api.read(path);
/** A shell command in the workspace (modes, which the file API does not show). */
const sh = async (script: string) => (await run(f.t.server.runtime, f.project.id, ['sh', '-c', script])).output;

/** The names in a folder. */
async function list(path: string): Promise<string[]> {
  const response = await call(f.t.baseUrl, 'GET', `/api/v1/projects/${f.project.id}/files?path=${path}`, {
    cookie: f.alice.cookie,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as FileEntry[]).map((entry) => entry.name).sort();
}

const turnPath = (cid: string, tid: string, action: 'undo' | 'rewind') =>
  `${api.conversationsPath()}/${cid}/turns/${tid}/${action}`;

const undo = (cid: string, tid: string, body: unknown = {}, user: TestUser = f.alice) =>
  call(f.t.baseUrl, 'POST', turnPath(cid, tid, 'undo'), { cookie: user.cookie }, body);

const rewind = (cid: string, tid: string, body: unknown = {}, user: TestUser = f.alice) =>
  call(f.t.baseUrl, 'POST', turnPath(cid, tid, 'rewind'), { cookie: user.cookie }, body);

/** Scripts a turn that writes `create` and replaces `old` by `replacement` in `edit`. */
function scriptCreateAndEdit(create: string, edit: string, old: string, replacement: string): void {
  f.model.enqueue(
    {
      kind: 'tool-calls',
      calls: [
        toolCall('c_create', 'write_file', { path: create, content: 'made by the turn\n' }),
        toolCall('c_edit', 'edit_file', { path: edit, old, new: replacement }),
      ],
    },
    { kind: 'text', chunks: ['Done.'] },
  );
}

describe('undo of an assistant turn', () => {
  it('removes the file the turn created, restores the one it edited, and leaves a file the user changed alone', async () => {
    await userWrites('undo/edited.txt', 'line one\nline two\n');
    await userWrites('undo/unrelated.txt', 'user v1\n');
    const cid = await api.newConversation();
    scriptCreateAndEdit('undo/created.txt', 'undo/edited.txt', 'line two', 'line TWO by the turn');
    const { turnId, events } = await api.turn(cid, 'Create a file and edit another');
    expect(events.at(-1)).toMatchObject({
      status: 'done',
      changedFiles: [
        { path: 'undo/created.txt', change: 'created' },
        { path: 'undo/edited.txt', change: 'modified' },
      ],
    });
    expect(await read('undo/edited.txt')).toBe('line one\nline TWO by the turn\n');
    await userWrites('undo/unrelated.txt', 'user v2 after the turn\n');

    const pushed = f.tab.waitFor<TurnUpdatedPushDto>('ai:turn-updated', (push) => push.conversationId === cid);
    const response = await undo(cid, turnId);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      turnId,
      undone: true,
      restored: ['undo/edited.txt'],
      removed: ['undo/created.txt'],
      conflicts: [],
    } satisfies TurnUndoResultDto);
    expect(await read('undo/created.txt')).toBeNull();
    expect(await read('undo/edited.txt')).toBe('line one\nline two\n');
    expect(await read('undo/unrelated.txt')).toBe('user v2 after the turn\n');

    const push = await pushed;
    expect(push).toMatchObject({ projectId: f.project.id, change: 'undone', turn: { id: turnId } });
    expect(push.change === 'undone' && push.turn.undoneAt).toEqual(expect.any(String));
    const [turn] = (await api.getConversation(cid)).turns;
    expect(turn).toMatchObject({ id: turnId, undoneAt: expect.any(String) });

    const again = await undo(cid, turnId);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'already_undone', turnId });
  }, 90_000);

  it('reports a file the user edited since the turn as a conflict and keeps it; force overwrites it', async () => {
    await userWrites('conflict/a.txt', 'a before\n');
    await userWrites('conflict/b.txt', 'b before\n');
    const cid = await api.newConversation();
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          toolCall('c_a', 'edit_file', { path: 'conflict/a.txt', old: 'before', new: 'by the turn' }),
          toolCall('c_b', 'edit_file', { path: 'conflict/b.txt', old: 'before', new: 'by the turn' }),
        ],
      },
      { kind: 'text', chunks: ['Edited both.'] },
    );
    const { turnId } = await api.turn(cid, 'Edit a and b');
    await userWrites('conflict/a.txt', 'a edited by the user\n');

    const first = await undo(cid, turnId);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      turnId,
      undone: false,
      restored: ['conflict/b.txt'],
      removed: [],
      conflicts: [{ path: 'conflict/a.txt', reason: 'changed since the turn' }],
    } satisfies TurnUndoResultDto);
    expect(await read('conflict/a.txt')).toBe('a edited by the user\n');
    expect(await read('conflict/b.txt')).toBe('b before\n');
    expect((await api.getConversation(cid)).turns[0]!.undoneAt).toBeNull();

    const forced = await undo(cid, turnId, { force: true });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toEqual({
      turnId,
      undone: true,
      restored: ['conflict/a.txt'],
      removed: [],
      conflicts: [],
    } satisfies TurnUndoResultDto);
    expect(await read('conflict/a.txt')).toBe('a before\n');
    expect((await api.getConversation(cid)).turns[0]!.undoneAt).toEqual(expect.any(String));
  }, 90_000);

  it('puts back the version the turn found when the user saved it after the snapshot, or says the snapshot is older', async () => {
    // A version some snapshot kept (the blob store is content-addressed), then another one.
    await userWrites('mid/kept.txt', 'version kept by a snapshot\n');
    const snapshot = await call(
      f.t.baseUrl,
      'POST',
      `/api/v1/projects/${f.project.id}/snapshots`,
      {
        cookie: f.alice.cookie,
      },
      {},
    );
    expect(snapshot.status).toBe(201);
    await userWrites('mid/kept.txt', 'original\n');
    await userWrites('mid/lost.txt', 'original\n');
    const cid = await api.newConversation();
    // Saves made after the turn's snapshot, before the assistant edits the files (here by a command).
    const save = (path: string, text: string) => `printf '${text}\\n' > /workspace/${path}`;
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          toolCall('c_save', 'run_command', {
            command: `${save('mid/kept.txt', 'version kept by a snapshot')} && ${save('mid/lost.txt', 'saved mid-turn')}`,
          }),
        ],
      },
      {
        kind: 'tool-calls',
        calls: [
          toolCall('c_k', 'edit_file', { path: 'mid/kept.txt', old: 'version', new: 'turn' }),
          toolCall('c_l', 'edit_file', { path: 'mid/lost.txt', old: 'saved', new: 'turn' }),
        ],
      },
      { kind: 'text', chunks: ['Edited.'] },
    );
    const { turnId } = await api.turn(cid, 'Edit both');
    expect(await read('mid/lost.txt')).toBe('turn mid-turn\n');

    const response = await undo(cid, turnId);
    expect(await response.json()).toEqual({
      turnId,
      undone: false,
      restored: ['mid/kept.txt'],
      removed: [],
      conflicts: [{ path: 'mid/lost.txt', reason: CONFLICT_REASONS.stale }],
    } satisfies TurnUndoResultDto);
    expect(await read('mid/kept.txt')).toBe('version kept by a snapshot\n');
    expect(await read('mid/lost.txt')).toBe('turn mid-turn\n');
    // Forced: the snapshot's older version.
    expect(await (await undo(cid, turnId, { force: true })).json()).toMatchObject({ undone: true, conflicts: [] });
    expect(await read('mid/lost.txt')).toBe('original\n');
  }, 90_000);

  it('leaves a file a tab holds locked alone, even forced', async () => {
    const cid = await api.newConversation();
    f.model.enqueue(
      { kind: 'tool-calls', calls: [toolCall('c_l', 'write_file', { path: 'locked/x.txt', content: 'turn\n' })] },
      { kind: 'text', chunks: ['Wrote it.'] },
    );
    const { turnId } = await api.turn(cid, 'Write x');
    await f.tab.ok('fs:lock', { projectId: f.project.id, path: 'locked/x.txt', ttlSeconds: 60 });
    try {
      const response = await undo(cid, turnId, { force: true });
      expect(await response.json()).toMatchObject({
        undone: false,
        removed: [],
        conflicts: [{ path: 'locked/x.txt', reason: 'open with unsaved changes in a tab (locked)' }],
      });
      expect(await read('locked/x.txt')).toBe('turn\n');
    } finally {
      await f.tab.ok('fs:unlock', { projectId: f.project.id, path: 'locked/x.txt' });
    }
  }, 90_000);

  it('is busy while a turn runs in the project', async () => {
    const cid = await api.newConversation();
    f.model.enqueue(
      { kind: 'tool-calls', calls: [toolCall('c_1', 'write_file', { path: 'busy/one.txt', content: '1\n' })] },
      { kind: 'text', chunks: ['ok'] },
    );
    const { turnId } = await api.turn(cid, 'Write one');

    f.model.enqueue({ kind: 'text', chunks: ['Thinking ', 'forever'], hang: true });
    const running = eventStream(await api.send(cid, 'Think forever'));
    let event = await running.next();
    while (event && event.type !== 'text') event = await running.next();
    try {
      for (const response of [await undo(cid, turnId), await rewind(cid, turnId)]) {
        expect(response.status).toBe(409);
        expect(await response.json()).toMatchObject({ error: 'busy' });
      }
      expect(await read('busy/one.txt')).toBe('1\n');
    } finally {
      const stopped = await call(f.t.baseUrl, 'POST', `${api.conversationsPath()}/${cid}/stop`, {
        cookie: f.alice.cookie,
      });
      expect(stopped.status).toBe(200);
      await running.rest();
    }
    // Free again once it ended.
    expect((await undo(cid, turnId)).status).toBe(200);
    expect(await read('busy/one.txt')).toBeNull();
  }, 90_000);

  it("answers 404 for another user's project and an unknown turn, 400 for a bad body, 401 without a session", async () => {
    const cid = await api.newConversation();
    f.model.enqueue(
      { kind: 'tool-calls', calls: [toolCall('c_o', 'write_file', { path: 'owner/o.txt', content: 'o\n' })] },
      { kind: 'text', chunks: ['ok'] },
    );
    const { turnId } = await api.turn(cid, 'Write o');
    expect((await undo(cid, turnId, {}, f.bob)).status).toBe(404);
    expect((await rewind(cid, turnId, {}, f.bob)).status).toBe(404);
    expect((await undo(cid, 'no-such-turn')).status).toBe(404);
    expect((await rewind(cid, 'no-such-turn')).status).toBe(404);
    const other = await api.newConversation();
    expect((await undo(other, turnId)).status).toBe(404);
    const bad = await undo(cid, turnId, { force: 'yes' });
    expect(bad.status).toBe(400);
    expect((await call(f.t.baseUrl, 'POST', turnPath(cid, turnId, 'undo'), {}, {})).status).toBe(401);
    expect(await read('owner/o.txt')).toBe('o\n');
    expect((await api.getConversation(cid)).turns[0]!.undoneAt).toBeNull();
  }, 90_000);

  it('gives back the mode the files had: an executable script the turn rewrote or deleted is executable again', async () => {
    await userWrites('modes/build.sh', '#!/bin/sh\necho build\n');
    await userWrites('modes/deploy.sh', '#!/bin/sh\necho deploy\n');
    await sh('chmod 755 modes/build.sh modes/deploy.sh');
    await userWrites('modes/secret.txt', 'token\n');
    await sh('chmod 600 modes/secret.txt');
    const cid = await api.newConversation();
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          toolCall('c_rewrite', 'write_file', { path: 'modes/build.sh', content: '#!/bin/sh\necho rebuilt\n' }),
          toolCall('c_delete', 'delete_file', { path: 'modes/deploy.sh' }),
          toolCall('c_secret', 'delete_file', { path: 'modes/secret.txt' }),
        ],
      },
      { kind: 'text', chunks: ['Rewrote build.sh, removed deploy.sh and secret.txt.'] },
    );
    const { turnId } = await api.turn(cid, 'Rework the scripts');
    expect(await sh('test -e modes/deploy.sh || echo gone')).toBe('gone\n');

    const response = await undo(cid, turnId);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ undone: true, conflicts: [] });
    expect(await sh('stat -c "%a %n" modes/build.sh modes/deploy.sh modes/secret.txt')).toBe(
      '755 modes/build.sh\n755 modes/deploy.sh\n600 modes/secret.txt\n',
    );
    expect(await sh('./modes/build.sh && ./modes/deploy.sh')).toBe('build\ndeploy\n');
  }, 90_000);

  it('answers 409 snapshot_gone when the snapshot taken before the turn was deleted; rewind reports its files instead', async () => {
    await userWrites('gone/g.txt', 'g before\n');
    const cid = await api.newConversation();
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [toolCall('c_g', 'edit_file', { path: 'gone/g.txt', old: 'before', new: 'after' })],
      },
      { kind: 'text', chunks: ['ok'] },
    );
    const { turnId } = await api.turn(cid, 'Edit g');
    const [turn] = (await api.getConversation(cid)).turns;
    await f.t.server.database.prisma.snapshot.delete({ where: { id: turn!.snapshotId! } });
    const response = await undo(cid, turnId);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: 'snapshot_gone' });
    expect(await read('gone/g.txt')).toBe('g after\n');
    expect((await api.getConversation(cid)).turns[0]!.undoneAt).toBeNull();

    // Retry is not blocked by it: rewind reports the file and goes on.
    const rewound = await rewind(cid, turnId);
    expect(rewound.status).toBe(200);
    expect(await rewound.json()).toMatchObject({
      rewoundTurnIds: [turnId],
      restored: [],
      conflicts: [{ path: 'gone/g.txt', reason: 'the snapshot taken before the turn was deleted' }],
      content: 'Edit g',
    });
    expect(await read('gone/g.txt')).toBe('g after\n');
    expect((await api.getConversation(cid)).messages).toEqual([]);
  }, 90_000);
});

describe('rewind for Retry and Edit', () => {
  it("undoes the turn and every later one, deletes their messages, and answers the first request's content", async () => {
    await userWrites('rewind/base.txt', 'base\n');
    const cid = await api.newConversation();
    scriptCreateAndEdit('rewind/first.txt', 'rewind/base.txt', 'base', 'base by turn one');
    const first = await api.turn(cid, 'First request');
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          toolCall('c_2a', 'write_file', { path: 'rewind/new/deep/second.txt', content: 'two\n' }),
          toolCall('c_2b', 'edit_file', { path: 'rewind/first.txt', old: 'made', new: 'changed' }),
        ],
      },
      { kind: 'text', chunks: ['Second done.'] },
    );
    const second = await api.turn(cid, 'Second request');
    expect(await read('rewind/first.txt')).toBe('changed by the turn\n');
    const before = await api.getConversation(cid);
    expect(before.turns).toHaveLength(2);

    const pushed = f.tab.waitFor<TurnUpdatedPushDto>('ai:turn-updated', (push) => push.conversationId === cid);
    const response = await rewind(cid, first.turnId);
    expect(response.status).toBe(200);
    const result = (await response.json()) as TurnRewindResultDto;
    expect(result).toEqual({
      rewoundTurnIds: [second.turnId, first.turnId],
      restored: ['rewind/base.txt'],
      removed: expect.arrayContaining(['rewind/first.txt', 'rewind/new/deep/second.txt']) as string[],
      conflicts: [],
      content: 'First request',
    });
    expect(result.removed).toHaveLength(2);
    expect(await read('rewind/first.txt')).toBeNull();
    expect(await read('rewind/base.txt')).toBe('base\n');
    // The folders the turn made for its file went with it; the folder that held a file stays.
    expect(await list('rewind')).toEqual(['base.txt']);

    const after = await api.getConversation(cid);
    expect(after.messages).toEqual([]);
    expect(after.turns).toEqual([]);
    expect(after.messageCount).toBe(0);
    expect(await pushed).toEqual({
      projectId: f.project.id,
      conversationId: cid,
      change: 'rewound',
      turnIds: [second.turnId, first.turnId],
      fromSeq: 0,
    });

    // Retry: the same request again starts a clean turn whose messages follow on.
    f.model.enqueue({ kind: 'text', chunks: ['Again.'] });
    await api.turn(cid, result.content);
    const retried = await api.getConversation(cid);
    expect(retried.messages.map((message) => [message.seq, message.role, message.content])).toEqual([
      [0, 'user', 'First request'],
      [1, 'assistant', 'Again.'],
    ]);
  }, 120_000);

  it('rewinding the later of two turns keeps the earlier one and its messages', async () => {
    const cid = await api.newConversation();
    f.model.enqueue(
      { kind: 'tool-calls', calls: [toolCall('c_k', 'write_file', { path: 'keep/k.txt', content: 'k\n' })] },
      { kind: 'text', chunks: ['Kept.'] },
    );
    const kept = await api.turn(cid, 'Keep this');
    f.model.enqueue(
      { kind: 'tool-calls', calls: [toolCall('c_d', 'write_file', { path: 'keep/d.txt', content: 'd\n' })] },
      { kind: 'text', chunks: ['Dropped.'] },
    );
    const dropped = await api.turn(cid, 'Drop this');
    const countBefore = (await api.getConversation(cid)).messages.length;

    const response = await rewind(cid, dropped.turnId);
    expect(await response.json()).toMatchObject({
      rewoundTurnIds: [dropped.turnId],
      removed: ['keep/d.txt'],
      content: 'Drop this',
    });
    const after = await api.getConversation(cid);
    expect(after.turns.map((turn) => turn.id)).toEqual([kept.turnId]);
    expect(after.messages.every((message) => message.turnId === kept.turnId)).toBe(true);
    expect(after.messages.length).toBeLessThan(countBefore);
    expect(after.messageCount).toBe(after.messages.length);
    expect(await read('keep/k.txt')).toBe('k\n');
    expect(await read('keep/d.txt')).toBeNull();
  }, 120_000);
});
