// Assistant turns over the HTTP API, end to end: a real Berth server (embedded PostgreSQL), a
// real workspace container, and the OpenAI-compatible provider talking to a scripted
// chat-completions server on loopback. The test reads the POST's event stream, the files in the
// container, the stored conversation and turn, the locks, and a tab's `ai:*` pushes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiPushOf, AssistantTurnEventDto, ConversationDto, FileLockDto, ProjectDto } from '../../contracts';
import { run } from '../../runtime/runtime-test-helpers';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../test-support/api-test-server';
import { startScriptedModelServer, type ScriptedModelServer } from '../../test-support/scripted-model-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../../test-support/socket-client';
import { aiEnv, eventStream } from '../test-fixture';
import { INTERRUPTED_TURN_ERROR } from './interrupted-turns';

let t: TestServer;
let model: ScriptedModelServer;
let alice: TestUser;
let bob: TestUser;
let project: ProjectDto;
let tab: TestSocket;

beforeAll(async () => {
  model = await startScriptedModelServer();
  t = await startTestServer(aiEnv(model.baseUrl));
  [alice, bob] = await Promise.all([createSignedInUser(t.baseUrl), createSignedInUser(t.baseUrl)]);
  const created = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name: 'Assistant turns', template: 'blank-node' },
  );
  project = (await created.json()) as ProjectDto;
  tab = await connectAs(t, alice);
  await openRunningWorkspace(tab, project.id);
}, 120_000);

afterAll(async () => {
  tab?.close();
  if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie });
  await Promise.all([t?.stop(), model?.close()]);
});

const sh = async (script: string) => (await run(t.server.runtime, project.id, ['sh', '-c', script])).output;
const conversationsPath = () => `/api/v1/projects/${project.id}/conversations`;

async function newConversation(): Promise<string> {
  const response = await call(t.baseUrl, 'POST', conversationsPath(), { cookie: alice.cookie }, {});
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const getConversation = async (cid: string) =>
  (await (
    await call(t.baseUrl, 'GET', `${conversationsPath()}/${cid}`, { cookie: alice.cookie })
  ).json()) as ConversationDto;

const assistantLocks = (): FileLockDto[] =>
  t.server.locks.list(project.id).filter((lock) => lock.holder === 'Assistant');

const send = (cid: string, content: string, user: TestUser = alice) =>
  call(t.baseUrl, 'POST', `${conversationsPath()}/${cid}/messages`, { cookie: user.cookie }, { content });

describe('assistant turns over the API', () => {
  it('streams a turn that writes a file, stores its messages, snapshot and changed files, and tells every tab', async () => {
    const cid = await newConversation();
    model.enqueue(
      {
        kind: 'tool-calls',
        text: ['Writing ', 'it.'],
        calls: [
          {
            id: 'c_write',
            name: 'write_file',
            argumentChunks: [JSON.stringify({ path: 'hello.js', content: 'console.log("hi");\n' })],
          },
        ],
      },
      { kind: 'text', chunks: ['Done: ', 'hello.js prints hi.'] },
    );
    const pushedCall = tab.waitFor<AiPushOf<'tool-call'>>('ai:tool-call', (push) => push.conversationId === cid);
    const pushedDone = tab.waitFor<AiPushOf<'done'>>('ai:done', (push) => push.conversationId === cid);
    const requestsBefore = model.chatRequests().length;

    const response = await send(cid, 'Write hello.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await eventStream(response).rest();

    expect(events.map((event) => event.type)).toEqual([
      'started',
      'text',
      'text',
      'tool-call',
      'tool-result',
      'text',
      'text',
      'done',
    ]);
    const [started] = events;
    expect(started).toMatchObject({ type: 'started', conversationId: cid, model: 'openai:scripted-model' });
    const turnId = started!.turnId;
    expect(events.filter((event) => event.type === 'text').map((event) => event.text)).toEqual([
      'Writing ',
      'it.',
      'Done: ',
      'hello.js prints hi.',
    ]);
    expect(events[3]).toMatchObject({
      type: 'tool-call',
      toolCallId: 'c_write',
      toolName: 'write_file',
      input: { path: 'hello.js' },
      invalid: false,
    });
    expect(events[4]).toMatchObject({ type: 'tool-result', toolCallId: 'c_write', isError: false });
    expect(events.at(-1)).toEqual({
      type: 'done',
      conversationId: cid,
      turnId,
      status: 'done',
      changedFiles: [{ path: 'hello.js', change: 'created' }],
    });
    expect(await sh('cat hello.js')).toBe('console.log("hi");\n');
    expect(assistantLocks()).toEqual([]);

    // The model was told the project and its tree, and the user's message.
    const [first] = model.chatRequests().slice(requestsBefore);
    const system = first!.body!.messages[0]!;
    expect(system.role).toBe('system');
    expect(String(system.content)).toContain('"Assistant turns"');
    expect(String(system.content)).toContain('package.json');
    expect(first!.body!.messages.at(-1)).toMatchObject({ role: 'user', content: 'Write hello.js' });

    const conversation = await getConversation(cid);
    expect(
      conversation.messages.map(({ role, content, toolCalls, toolResults, turnId: of }) => ({
        role,
        content,
        calls: toolCalls.map((c) => c.id),
        results: toolResults.map((r) => [r.callId, r.isError]),
        of,
      })),
    ).toEqual([
      { role: 'user', content: 'Write hello.js', calls: [], results: [], of: turnId },
      { role: 'assistant', content: 'Writing it.', calls: ['c_write'], results: [], of: turnId },
      { role: 'tool', content: '', calls: [], results: [['c_write', false]], of: turnId },
      { role: 'assistant', content: 'Done: hello.js prints hi.', calls: [], results: [], of: turnId },
    ]);
    expect(conversation.messages[1]!.toolCalls[0]).toMatchObject({ name: 'write_file', args: { path: 'hello.js' } });
    expect(conversation.messages[2]!.toolResults[0]!.output).toContain('Created hello.js');
    const [turn] = conversation.turns;
    expect(turn).toMatchObject({
      id: turnId,
      status: 'done',
      model: 'openai:scripted-model',
      changedFiles: [{ path: 'hello.js', change: 'created' }],
      error: null,
    });
    // The model is asked while the snapshot is stored, so `started` has no snapshot yet; the
    // turn's record has it, and the snapshot is from before the tool wrote (tools wait for it).
    expect(started).toMatchObject({ type: 'started', snapshotId: null });
    expect(turn!.snapshotId).toEqual(expect.any(String));
    const diff = await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/snapshots/${turn!.snapshotId}/diff`, {
      cookie: alice.cookie,
    });
    expect(await diff.json()).toContainEqual(expect.objectContaining({ path: 'hello.js', status: 'added' }));

    // Every tab of the project saw the same turn.
    expect(await pushedCall).toMatchObject({ projectId: project.id, turnId, toolCallId: 'c_write' });
    expect(await pushedDone).toMatchObject({ projectId: project.id, turnId, status: 'done' });

    // The next turn sends the history: the call and its result.
    model.enqueue({ kind: 'text', chunks: ['Yes.'] });
    const again = await eventStream(await send(cid, 'Is it there?')).rest();
    expect(again.at(-1)).toMatchObject({ type: 'done', status: 'done', changedFiles: [] });
    const replayed = model.chatRequests().at(-1)!.body!.messages;
    expect(replayed.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
    expect(replayed[3]).toMatchObject({ role: 'tool', tool_call_id: 'c_write' });
  }, 60_000);

  it('is busy while a turn runs; stop ends it stopped with its write kept and its locks released', async () => {
    const cid = await newConversation();
    const other = await newConversation();
    model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          { id: 'c_w', name: 'write_file', argumentChunks: [JSON.stringify({ path: 'kept.txt', content: 'kept\n' })] },
        ],
      },
      { kind: 'text', chunks: ['Still ', 'thinking'], hang: true },
    );
    const stream = eventStream(await send(cid, 'Write kept.txt and think forever'));
    const seen: AssistantTurnEventDto[] = [];
    for (let event = await stream.next(); event && event.type !== 'text'; event = await stream.next()) seen.push(event);
    expect(seen.map((event) => event.type)).toEqual(['started', 'tool-call', 'tool-result']);
    expect(assistantLocks().map((lock) => lock.path)).toEqual(['kept.txt']);

    for (const target of [cid, other]) {
      const refused = await send(target, 'Me too');
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: 'busy', conversationId: cid, turnId: seen[0]!.turnId });
    }
    // Nothing was stored for the refused messages.
    expect((await getConversation(other)).messages).toEqual([]);

    const stopped = await call(t.baseUrl, 'POST', `${conversationsPath()}/${cid}/stop`, { cookie: alice.cookie });
    expect(stopped.status).toBe(200);
    expect(await stopped.json()).toEqual({ turnId: seen[0]!.turnId });
    const rest = await stream.rest();
    expect(rest.at(-1)).toMatchObject({
      type: 'done',
      status: 'stopped',
      changedFiles: [{ path: 'kept.txt', change: 'created' }],
    });
    expect(assistantLocks()).toEqual([]);
    expect(await sh('cat kept.txt')).toBe('kept\n');
    const conversation = await getConversation(cid);
    expect(conversation.turns.map((turn) => turn.status)).toEqual(['stopped']);
    // What was said before the stop is kept.
    expect(conversation.messages.at(-1)).toMatchObject({ role: 'assistant', content: expect.stringMatching(/^Still/) });

    // Stopping again: nothing runs.
    const twice = await call(t.baseUrl, 'POST', `${conversationsPath()}/${cid}/stop`, { cookie: alice.cookie });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: 'not_running' });
  }, 60_000);

  it('runs a command in the Assistant terminal: live tool-output events, then its exit code and output', async () => {
    const cid = await newConversation();
    model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          { id: 'c_run', name: 'run_command', argumentChunks: [JSON.stringify({ command: 'echo turn-ran-$((6*7))' })] },
        ],
      },
      { kind: 'text', chunks: ['It printed 42.'] },
    );
    const events = await eventStream(await send(cid, 'Run it')).rest();

    const outputs = events.filter((event) => event.type === 'tool-output');
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.every((event) => event.toolCallId === 'c_run')).toBe(true);
    // Each is the output so far as plain text: no escapes, no typed command, no markers.
    expect(outputs.at(-1)!.data).toMatch(/^turn-ran-42$/m);
    for (const { data } of outputs) expect(data).not.toMatch(/\x1b|BERTH-|printf/);
    const result = events.find((event) => event.type === 'tool-result');
    expect(result).toMatchObject({ toolName: 'run_command', isError: false });
    expect(String(result?.type === 'tool-result' && result.output)).toMatch(/Exit code 0[\s\S]*turn-ran-42/);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'done' });
    const terminals = await tab.ok<{ title: string }[]>('terminal:list', { projectId: project.id });
    expect(terminals.map((terminal) => terminal.title)).toContain('Assistant');
  });

  it('ends failed with an error event when the model answers an error, and the project is free again', async () => {
    const cid = await newConversation();
    model.enqueue({
      kind: 'http-error',
      status: 400,
      body: JSON.stringify({ error: { message: 'context too long' } }),
    });
    const events = await eventStream(await send(cid, 'Hello')).rest();
    expect(events.map((event) => event.type)).toEqual(['started', 'error', 'done']);
    expect(events[1]).toMatchObject({ type: 'error', message: expect.stringContaining('context too long') });
    expect(events[2]).toMatchObject({ type: 'done', status: 'failed', changedFiles: [] });
    const conversation = await getConversation(cid);
    expect(conversation.turns).toMatchObject([
      { status: 'failed', error: expect.stringContaining('context too long') },
    ]);
    expect(conversation.messages.map((m) => m.role)).toEqual(['user']);

    model.enqueue({ kind: 'text', chunks: ['Hi.'] });
    const retried = await eventStream(await send(cid, 'Hello again')).rest();
    expect(retried.at(-1)).toMatchObject({ type: 'done', status: 'done' });
  });

  it('runs no tool and ends failed when the turn cannot be recorded (the model is asked meanwhile)', async () => {
    const cid = await newConversation();
    const prisma = t.server.database.prisma;
    // PostgreSQL itself refuses the turn's row: the record fails after the model was asked.
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION refuse_turn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no turns today'; END $$`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_turn BEFORE INSERT ON "Turn" FOR EACH ROW EXECUTE FUNCTION refuse_turn()`,
    );
    try {
      model.enqueue({
        kind: 'tool-calls',
        calls: [
          { id: 'c_r', name: 'write_file', argumentChunks: [JSON.stringify({ path: 'unrecorded.txt', content: 'x' })] },
        ],
      });
      const events = await eventStream(await send(cid, 'Write unrecorded.txt')).rest();
      expect(events[0]).toMatchObject({ type: 'started' });
      expect(events.filter((event) => event.type === 'tool-result')).toEqual([]);
      expect(events.at(-2)).toMatchObject({ type: 'error', message: expect.stringContaining('could not be started') });
      expect(events.at(-1)).toMatchObject({ type: 'done', status: 'failed', changedFiles: [] });
      expect(await sh('test -e unrecorded.txt && echo there || echo absent')).toContain('absent');
      expect(assistantLocks()).toEqual([]);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_turn ON "Turn"`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_turn()`);
    }
    model.enqueue({ kind: 'text', chunks: ['Recorded.'] });
    const next = await eventStream(await send(cid, 'Again')).rest();
    expect(next.at(-1)).toMatchObject({ type: 'done', status: 'done' });
    expect((await getConversation(cid)).turns).toHaveLength(1);
  });

  it("answers 404 to another user's messages and stop, 401 without a session, 400 for an empty message", async () => {
    const cid = await newConversation();
    const requests = model.chatRequests().length;
    expect((await send(cid, 'Hello', bob)).status).toBe(404);
    const stop = await call(t.baseUrl, 'POST', `${conversationsPath()}/${cid}/stop`, { cookie: bob.cookie });
    expect(stop.status).toBe(404);
    const anonymous = await call(t.baseUrl, 'POST', `${conversationsPath()}/${cid}/messages`, {}, { content: 'x' });
    expect(anonymous.status).toBe(401);
    const empty = await call(
      t.baseUrl,
      'POST',
      `${conversationsPath()}/${cid}/messages`,
      { cookie: alice.cookie },
      { content: '  ' },
    );
    expect(empty.status).toBe(400);
    expect(model.chatRequests().length).toBe(requests);
    expect((await getConversation(cid)).messages).toEqual([]);
  });

  it('marks a turn a crash left running as failed when Berth starts again, so the project is not busy', async () => {
    const cid = await newConversation();
    await t.server.database.prisma.turn.create({
      data: { conversationId: cid, status: 'running', model: 'openai:scripted-model' },
    });
    expect((await send(cid, 'Anyone?')).status).toBe(409);

    tab.close();
    await t.stop({ restart: true });
    t = await startTestServer(aiEnv(model.baseUrl), undefined, { reuse: { dataDir: t.dataDir, scope: t.scope } });
    tab = await connectAs(t, alice);

    const [turn] = (await getConversation(cid)).turns;
    expect(turn).toMatchObject({ status: 'failed', error: INTERRUPTED_TURN_ERROR });
    model.enqueue({ kind: 'text', chunks: ['Here.'] });
    const events = await eventStream(await send(cid, 'Anyone?')).rest();
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'done' });
  }, 120_000);
});
