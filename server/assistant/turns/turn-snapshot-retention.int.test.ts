// Turn snapshots are pruned (AI_TURN_SNAPSHOTS_KEPT=2 here), end to end: real turns (scripted
// model server) in a real workspace container, snapshots in the embedded PostgreSQL. After each
// turn only the newest two turns of the project keep their snapshot; undo of those still works,
// undo of an older one answers 409 snapshot_gone; a snapshot the user took, labelled or not, stays;
// a turn snapshot no turn names any more (its conversation deleted) goes once past the grace period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotDto } from '../../contracts';
import { call } from '../../test-support/api-test-server';
import {
  assistantApi,
  closeAssistantFixture,
  openAssistantFixture,
  toolCall,
  type AssistantFixture,
} from '../test-fixture';
import { SNAPSHOT_LABEL } from './turn-engine';
import { UNCLAIMED_GRACE_MS } from './turn-snapshot-retention';

let f: AssistantFixture;
let api: ReturnType<typeof assistantApi>;

beforeAll(async () => {
  // No automatic snapshots: only the turns' own and the test's are taken.
  f = await openAssistantFixture('Turn snapshot retention', {
    SNAPSHOT_DEBOUNCE_SECONDS: '3600',
    AI_TURN_SNAPSHOTS_KEPT: '2',
  });
  api = assistantApi(f);
}, 120_000);

afterAll(async () => {
  await closeAssistantFixture(f ?? {});
});

const snapshotsPath = () => `/api/v1/projects/${f.project.id}/snapshots`;

async function snapshotIds(): Promise<string[]> {
  const response = await call(f.t.baseUrl, 'GET', snapshotsPath(), { cookie: f.alice.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as SnapshotDto[]).map((snapshot) => snapshot.id);
}

/** The next prune of the project after a turn ended. */
const nextPrune = () =>
  new Promise<number>((resolve) => {
    const dispose = f.t.server.turnSnapshots.events.on('onDidPrune', ({ projectId, deleted }) => {
      if (projectId !== f.project.id) return;
      dispose();
      resolve(deleted);
    });
  });

/** A turn that edits `path` (count → count + 1); resolves once the prune after it is done, with its count. */
async function editTurn(cid: string, path: string, from: number): Promise<{ turnId: string; pruned: number }> {
  f.model.enqueue(
    { kind: 'tool-calls', calls: [toolCall(`c_${from}`, 'edit_file', { path, old: `v${from}`, new: `v${from + 1}` })] },
    { kind: 'text', chunks: ['Bumped.'] },
  );
  const pruned = nextPrune();
  const { turnId } = await api.turn(cid, `Bump ${path}`);
  return { turnId, pruned: await pruned };
}

const undo = (cid: string, turnId: string) =>
  call(f.t.baseUrl, 'POST', `${api.conversationsPath()}/${cid}/turns/${turnId}/undo`, { cookie: f.alice.cookie }, {});

describe('turn snapshot retention', () => {
  it('keeps the snapshots of the newest AI_TURN_SNAPSHOTS_KEPT turns; undo of an older turn is 409 snapshot_gone', async () => {
    for (const name of ['a', 'b', 'c'])
      expect(
        (await call(f.t.baseUrl, 'PUT', api.fileUrl(`kept/${name}.txt`), { cookie: f.alice.cookie }, 'v0\n')).status,
      ).toBe(200);
    const taken = await call(f.t.baseUrl, 'POST', snapshotsPath(), { cookie: f.alice.cookie }, { label: 'Mine' });
    expect(taken.status).toBe(201);
    const mine = ((await taken.json()) as SnapshotDto).id;

    const cid = await api.newConversation();
    const first = await editTurn(cid, 'kept/a.txt', 0);
    const second = await editTurn(cid, 'kept/b.txt', 0);
    expect([first.pruned, second.pruned]).toEqual([0, 0]);
    const third = await editTurn(cid, 'kept/c.txt', 0);
    expect(third.pruned).toBe(1);

    const turns = (await api.getConversation(cid)).turns;
    expect(turns.map((turn) => [turn.id, turn.snapshotId === null])).toEqual([
      [first.turnId, true],
      [second.turnId, false],
      [third.turnId, false],
    ]);
    const ids = await snapshotIds();
    expect(ids).toContain(mine);
    expect(ids).toEqual(expect.arrayContaining([turns[1]!.snapshotId, turns[2]!.snapshotId]));

    // The newest turns still undo; the oldest says its snapshot is gone and changes nothing.
    const gone = await undo(cid, first.turnId);
    expect(gone.status).toBe(409);
    expect(await gone.json()).toMatchObject({ error: 'snapshot_gone' });
    expect(await api.read('kept/a.txt')).toBe('v1\n');
    for (const { turnId } of [third, second]) expect((await undo(cid, turnId)).status).toBe(200);
    expect([await api.read('kept/b.txt'), await api.read('kept/c.txt')]).toEqual(['v0\n', 'v0\n']);
  }, 120_000);

  it('deletes a turn snapshot no turn names (its conversation deleted) once past the grace period', async () => {
    const cid = await api.newConversation();
    expect((await call(f.t.baseUrl, 'PUT', api.fileUrl('orphan.txt'), { cookie: f.alice.cookie }, 'v0\n')).status).toBe(
      200,
    );
    await editTurn(cid, 'orphan.txt', 0);
    const orphan = (await api.getConversation(cid)).turns[0]!.snapshotId!;
    const deleted = await call(f.t.baseUrl, 'DELETE', `${api.conversationsPath()}/${cid}`, { cookie: f.alice.cookie });
    expect(deleted.status).toBe(204);

    const retention = f.t.server.turnSnapshots;
    expect(await retention.prune(f.project.id)).toBe(0);
    expect(await snapshotIds()).toContain(orphan);
    const later = new Date(Date.now() + UNCLAIMED_GRACE_MS + 60_000);
    expect(await retention.prune(f.project.id, later)).toBe(1);
    expect(await snapshotIds()).not.toContain(orphan);
    // Only turn snapshots ever go: the user's labelled one is still there.
    const labels = (
      (await (await call(f.t.baseUrl, 'GET', snapshotsPath(), { cookie: f.alice.cookie })).json()) as SnapshotDto[]
    ).map((snapshot) => snapshot.label);
    expect(labels).toContain('Mine');
    expect(labels.filter((label) => label === SNAPSHOT_LABEL).length).toBeLessThanOrEqual(2);
  }, 120_000);
});
