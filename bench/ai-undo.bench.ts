// Issue 11 (`npm run bench -- ai`): "Undo of a 20-file turn: < 1 s". A real Berth server (in this
// process, from source, as the integration tests run it: embedded PostgreSQL, Docker workspace)
// and the scripted model server; each round a turn creates 10 files and edits 10 others (one model
// step of 20 tool calls), then POST …/turns/:tid/undo puts all 20 back, timed from request to
// answer. Baseline in the same run: the same 20 changes made by hand through the file API, one
// request after another (10 PUTs of the old content, 10 DELETEs), which is what undo replaces.
import type { TurnUndoResultDto } from '../server/contracts';
import { call, type TestServer, type TestUser } from '../server/test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../server/test-support/project-fixture';
import { startScriptedModelServer, type ScriptedModelServer } from '../server/test-support/scripted-model-server';
import { aiEnv } from './lib/ai-turns';
import { runBench } from './lib/cleanup';
import { writeSection } from './lib/results';
import { rounded, summarize } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';

const GOAL_MS = 1_000;
const FILES = 10; // created, and as many edited: a 20-file turn
const ROUNDS = 10;
const WARMUP = 1;
/** About 4 KB of source-like text per file. */
const TEXT = Array.from({ length: 100 }, (_, i) => `const line${i} = ${i}; // some code\n`).join('');

const auth = (user: TestUser) => ({ cookie: user.cookie });

await runBench('ai-undo', async (defer) => {
  console.log('── ai-undo: Berth from source with the scripted model server');
  const model: ScriptedModelServer = await startScriptedModelServer();
  defer('close the model server', () => model.close());
  const fixture = await openProjectFixture({
    name: 'Undo bench',
    env: aiEnv(model.baseUrl),
    running: true,
  });
  defer('close the server and its project', () => closeProjectFixture(fixture));
  const { t, user, project } = fixture;
  const base = `/api/v1/projects/${project.id}`;
  const files = (path: string) => `${base}/files/content?path=${encodeURIComponent(path)}`;
  const edited = (i: number) => `bench/edited-${i}.txt`;
  const created = (i: number) => `bench/created-${i}.txt`;
  for (let i = 0; i < FILES; i++) await expectStatus(t, user, 'PUT', files(edited(i)), 200, TEXT);

  const undoSamples: number[] = [];
  const byHandSamples: number[] = [];
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const conversation = (await (await call(t.baseUrl, 'POST', `${base}/conversations`, auth(user), {})).json()) as {
      id: string;
    };
    model.enqueue(
      {
        kind: 'tool-calls',
        calls: Array.from({ length: FILES }, (_, i) => [
          {
            id: `c_new_${i}`,
            name: 'write_file',
            argumentChunks: [JSON.stringify({ path: created(i), content: `${TEXT}// round ${round}\n` })],
          },
          {
            id: `c_edit_${i}`,
            name: 'edit_file',
            argumentChunks: [
              JSON.stringify({ path: edited(i), old: 'const line50 = 50;', new: `const line50 = ${round};` }),
            ],
          },
        ]).flat(),
      },
      { kind: 'text', chunks: ['Done.'] },
    );
    const turn = await call(t.baseUrl, 'POST', `${base}/conversations/${conversation.id}/messages`, auth(user), {
      content: `Round ${round}`,
    });
    const stream = await turn.text();
    const turnId = /"turnId":"([^"]+)"/.exec(stream)?.[1];
    if (turn.status !== 200 || !turnId || !stream.includes('"status":"done"'))
      throw new Error(`the turn did not run: ${turn.status} ${stream.slice(-300)}`);

    const started = performance.now();
    const response = await call(
      t.baseUrl,
      'POST',
      `${base}/conversations/${conversation.id}/turns/${turnId}/undo`,
      auth(user),
      {},
    );
    const undoMs = performance.now() - started;
    const result = (await response.json()) as TurnUndoResultDto;
    if (response.status !== 200 || result.restored.length !== FILES || result.removed.length !== FILES)
      throw new Error(`undo did not put back 20 files: ${response.status} ${JSON.stringify(result).slice(0, 300)}`);

    // Baseline: the same 20 changes by hand (after the turn's state is made again).
    for (let i = 0; i < FILES; i++) {
      await expectStatus(t, user, 'PUT', files(created(i)), 200, `${TEXT}// round ${round}\n`);
      await expectStatus(t, user, 'PUT', files(edited(i)), 200, TEXT.replace('const line50 = 50;', 'x'));
    }
    const byHandStarted = performance.now();
    for (let i = 0; i < FILES; i++) {
      await expectStatus(t, user, 'PUT', files(edited(i)), 200, TEXT);
      await expectStatus(t, user, 'DELETE', files(created(i)), 204);
    }
    const byHandMs = performance.now() - byHandStarted;
    if (round >= WARMUP) {
      undoSamples.push(undoMs);
      byHandSamples.push(byHandMs);
    }
  }

  const undo = summarize(undoSamples);
  const byHand = summarize(byHandSamples);
  printTable(
    'Undo of a 20-file turn (10 created, 10 edited)',
    SUMMARY_HEADER,
    [
      summaryRow('POST …/turns/:tid/undo', undo, `< ${GOAL_MS} ms`, verdict(undo.p50, GOAL_MS)),
      summaryRow('baseline: 20 file API requests in a row', byHand),
    ],
    [
      'undo reads the 20 files (hashed) and the snapshot (manifest and blobs in two queries), then writes back 8 at a time',
    ],
  );
  writeSection('ai-undo', { undo: rounded(undo), byHand: rounded(byHand), goalMs: GOAL_MS });
});

async function expectStatus(
  t: TestServer,
  user: TestUser,
  method: string,
  route: string,
  status: number,
  body?: string,
): Promise<void> {
  const response = await call(t.baseUrl, method, route, auth(user), body);
  if (response.status !== status) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer().catch(() => undefined);
}
