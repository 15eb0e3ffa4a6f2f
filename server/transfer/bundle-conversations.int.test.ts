// The assistant's conversations travel with their project, against a real server, workspace and
// PostgreSQL: a bundle and a duplicate carry them (new ids, same order, message → turn links, no
// snapshot ids, a running turn arriving failed); the conversation-only JSON download; another
// user's 404; a bundle from before conversations still imports; a malformed conversation entry
// is refused with 400 and creates nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationService, INTERRUPTED_TURN_ERROR } from '../assistant';
import {
  conversationExportSchema,
  type AssistantToolCall,
  type AssistantToolResult,
  type ConversationDto,
  type ConversationListDto,
  type ProjectDto,
} from '../contracts';
import { ProjectService } from '../projects';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';
import { rawZip } from './zip/test-raw-zip';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let tab: TestSocket;
let service: ConversationService;
let source: ProjectDto;
/** The source project's conversations as the API reads them, oldest first. */
let originals: ConversationDto[];
const made: string[] = [];

const calls: AssistantToolCall[] = [
  { id: 'call_1', name: 'write_file', args: { path: 'src/App.jsx', content: 'export default 1;\n' } },
  { id: 'call_2', name: 'run_command', args: { command: 'npm install zustand' } },
];
const results: AssistantToolResult[] = [
  { callId: 'call_1', name: 'write_file', output: { bytes: 18 }, isError: false },
  { callId: 'call_2', name: 'run_command', output: 'npm ERR! 404', isError: true },
];
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

beforeAll(async () => {
  t = await startTestServer({ SNAPSHOT_DEBOUNCE_SECONDS: '3600' });
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
  const { prisma } = t.server.database;
  service = new ConversationService(prisma, new ProjectService(prisma));

  source = await newProject('Chatty');
  // A project that ran has a snapshot: what a bundle and a duplicate copy its files from.
  await openRunningWorkspace(tab, source.id);

  // First conversation: a finished turn with tool calls and results, then one still running.
  const first = await service.create(alice.id, source.id, { title: 'Dark theme: v2!' });
  const done = await service.startTurn(alice.id, source.id, first.id, { model: 'openai:scripted' });
  await service.appendMessage(alice.id, source.id, first.id, {
    role: 'user',
    content: 'Make a todo app',
    attachments: [{ path: 'src/App.jsx', selection: { startLine: 1, endLine: 1, text: 'export default 1;' } }],
    turnId: done.id,
  });
  await service.appendMessage(alice.id, source.id, first.id, {
    role: 'assistant',
    content: 'Creating the app.',
    toolCalls: calls,
    turnId: done.id,
  });
  await service.appendMessage(alice.id, source.id, first.id, {
    role: 'tool',
    content: '',
    toolResults: results,
    turnId: done.id,
  });
  await service.appendMessage(alice.id, source.id, first.id, { role: 'assistant', content: 'Done.', turnId: done.id });
  await service.finishTurn(alice.id, source.id, first.id, done.id, {
    status: 'done',
    changedFiles: [{ path: 'src/App.jsx', change: 'created' }],
  });
  // As "Undo this turn" leaves it (the undo itself is turn-undo's test).
  await prisma.turn.update({ where: { id: done.id }, data: { undoneAt: new Date() } });

  // Second conversation: a failed turn and a message of no turn.
  const second = await service.create(alice.id, source.id, { title: 'Second chat' });
  await service.appendMessage(alice.id, source.id, second.id, { role: 'system', content: 'Be brief.' });
  const failed = await service.startTurn(alice.id, source.id, second.id, { model: 'ollama:small' });
  await service.appendMessage(alice.id, source.id, second.id, { role: 'user', content: 'Hi', turnId: failed.id });
  await service.finishTurn(alice.id, source.id, second.id, failed.id, { status: 'failed', error: 'no model' });

  // Back in the first: a turn still running when the project is exported.
  const running = await service.startTurn(alice.id, source.id, first.id, { model: 'openai:scripted' });
  await service.appendMessage(alice.id, source.id, first.id, {
    role: 'user',
    content: 'Now a dark theme',
    turnId: running.id,
  });
  originals = [await read(first.id), await read(second.id)];
}, 120_000);

afterAll(async () => {
  tab?.close();
  for (const id of made) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${id}`, { cookie: alice.cookie });
  await t?.stop();
});

async function newProject(name: string): Promise<ProjectDto> {
  const response = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: alice.cookie },
    { name, template: 'blank-node' },
  );
  expect(response.status).toBe(201);
  const project = (await response.json()) as ProjectDto;
  made.push(project.id);
  return project;
}

async function getJson<T>(route: string): Promise<T> {
  const response = await call(t.baseUrl, 'GET', route, { cookie: alice.cookie });
  expect(response.status, route).toBe(200);
  return (await response.json()) as T;
}

const read = (conversationId: string, projectId = source.id) =>
  getJson<ConversationDto>(`/api/v1/projects/${projectId}/conversations/${conversationId}`);

/** The project's conversations read whole, oldest first. */
async function conversationsOf(projectId: string): Promise<ConversationDto[]> {
  const { conversations } = await getJson<ConversationListDto>(`/api/v1/projects/${projectId}/conversations`);
  const whole = await Promise.all(conversations.map((c) => read(c.id, projectId)));
  return whole.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A conversation without its ids: turns named by position, as a copy must match its original. */
function comparable(conversation: ConversationDto) {
  const turnIndex = new Map(conversation.turns.map((turn, index) => [turn.id, index]));
  return {
    title: conversation.title,
    messageCount: conversation.messageCount,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    messages: conversation.messages.map((m) => ({
      seq: m.seq,
      role: m.role,
      content: m.content,
      toolCalls: m.toolCalls,
      toolResults: m.toolResults,
      attachments: m.attachments,
      turn: m.turnId === null ? null : turnIndex.get(m.turnId),
      createdAt: m.createdAt,
    })),
    turns: conversation.turns.map((turn) => ({
      status: turn.status,
      model: turn.model,
      error: turn.error,
      startedAt: turn.startedAt,
      endedAt: turn.endedAt,
      changedFiles: turn.changedFiles,
      undoneAt: turn.undoneAt,
    })),
  };
}

/** What a copy must hold: the originals, with the running turn arriving failed (ended when last seen). */
function expectedCopies() {
  return originals.map((original) => {
    const expected = comparable(original);
    expected.turns = expected.turns.map((turn, index) => {
      if (turn.status !== 'running') return turn;
      const seen = original.messages
        .filter((m) => m.turnId === original.turns[index]!.id)
        .map((m) => m.createdAt)
        .concat(turn.startedAt)
        .sort();
      return { ...turn, status: 'failed', error: INTERRUPTED_TURN_ERROR, endedAt: seen[seen.length - 1]! };
    });
    return expected;
  });
}

function expectCopied(copies: ConversationDto[], projectId: string) {
  expect(copies.map(comparable)).toEqual(expectedCopies());
  const originalIds = new Set([
    ...originals.map((c) => c.id),
    ...originals.flatMap((c) => c.turns.map((turn) => turn.id)),
    ...originals.flatMap((c) => c.messages.map((m) => m.id)),
  ]);
  for (const copy of copies) {
    expect(copy.projectId).toBe(projectId);
    expect(originalIds.has(copy.id)).toBe(false);
    for (const turn of copy.turns) {
      expect(originalIds.has(turn.id)).toBe(false);
      expect(turn.snapshotId).toBeNull();
    }
    for (const message of copy.messages) expect(originalIds.has(message.id)).toBe(false);
  }
}

function upload(zip: Buffer): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'project.berth.zip');
  return fetch(`${t.baseUrl}/api/v1/projects/import`, {
    method: 'POST',
    headers: { Cookie: alice.cookie, Origin: t.origin },
    body: form,
  });
}

const projectCount = async () => (await getJson<ProjectDto[]>('/api/v1/projects')).length;

/** A bundle as a Berth before conversations wrote it (one snapshot holding an empty file), plus `extra` entries. */
function handMadeBundle(extra: { name: string; data: Buffer }[] = []): Buffer {
  const manifest = {
    format: 'berth-bundle/1',
    project: { name: 'Old bundle', template: 'blank-node' },
    snapshots: [
      {
        createdAt: new Date().toISOString(),
        reason: 'manual',
        label: null,
        skipped: [],
        files: [{ path: 'empty.txt', mode: 0o100644, size: 0, sha256: EMPTY_SHA }],
      },
    ],
  };
  return rawZip([
    { name: 'berth-bundle.json', data: Buffer.from(JSON.stringify(manifest)) },
    { name: `blobs/${EMPTY_SHA}`, data: Buffer.alloc(0) },
    ...extra,
  ]);
}

describe('conversations travel with the project', () => {
  it('the source holds two conversations, one with a running turn', () => {
    expect(originals.map((c) => [c.title, c.messageCount, c.turns.map((turn) => turn.status)])).toEqual([
      ['Dark theme: v2!', 5, ['done', 'running']],
      ['Second chat', 2, ['failed']],
    ]);
    expect(originals[0]!.messages[1]!.toolCalls).toEqual(calls);
    expect(originals[0]!.messages[2]!.toolResults).toEqual(results);
    expect(originals[0]!.turns[0]!.undoneAt).toEqual(expect.any(String));
    expect(originals[0]!.messages[0]!.attachments).toEqual([
      { path: 'src/App.jsx', selection: { startLine: 1, endLine: 1, text: 'export default 1;' } },
    ]);
  });

  it('a bundle carries them to the imported project with new ids', async () => {
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/bundle`, { cookie: alice.cookie });
    expect(response.status).toBe(200);
    const imported = await upload(Buffer.from(await response.arrayBuffer()));
    expect(imported.status).toBe(201);
    const project = (await imported.json()) as ProjectDto;
    made.push(project.id);
    expectCopied(await conversationsOf(project.id), project.id);
    // The source kept its running turn as it was.
    expect((await read(originals[0]!.id)).turns.map((turn) => turn.status)).toEqual(['done', 'running']);
  });

  it('a duplicate carries them with new ids', async () => {
    const response = await call(t.baseUrl, 'POST', `/api/v1/projects/${source.id}/duplicate`, { cookie: alice.cookie });
    expect(response.status).toBe(201);
    const copy = (await response.json()) as ProjectDto;
    made.push(copy.id);
    expectCopied(await conversationsOf(copy.id), copy.id);
  });

  it('a bundle made before conversations existed imports with none', async () => {
    const response = await upload(handMadeBundle());
    expect(response.status).toBe(201);
    const project = (await response.json()) as ProjectDto;
    made.push(project.id);
    expect(project.name).toBe('Old bundle');
    expect(await conversationsOf(project.id)).toEqual([]);
  });

  it('a malformed conversation entry is refused with 400 and creates nothing', async () => {
    const before = await projectCount();
    const valid = {
      title: 'Fine',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      turns: [],
      messages: [
        {
          seq: 0,
          role: 'user',
          content: 'hi',
          toolCalls: [],
          toolResults: [],
          turnId: null,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    };
    // Each conversation is its own entry, the same document as the conversation-only download.
    const entry = (name: string, conversation: object) => ({
      name: `conversations/${name}.json`,
      data: Buffer.from(
        JSON.stringify({ format: 'berth-conversation', version: 1, exportedAt: valid.createdAt, ...conversation }),
      ),
    });
    const cases: [string, { name: string; data: Buffer }, RegExp][] = [
      ['not JSON', { name: 'conversations/0002.json', data: Buffer.from('{ not json') }, /is not JSON/],
      ['another format', entry('0002', { ...valid, format: 'something' }), /at format/],
      [
        'a turn that is not there',
        entry('0002', { ...valid, messages: [{ ...valid.messages[0]!, turnId: 'nowhere' }] }),
        /at messages\.0\.turnId: .*turn nowhere/,
      ],
      [
        'a position twice',
        entry('0002', { ...valid, messages: [valid.messages[0]!, { ...valid.messages[0]!, content: 'again' }] }),
        /Position 0 appears twice/,
      ],
      ['an unknown role', entry('0002', { ...valid, messages: [{ ...valid.messages[0]!, role: 'wizard' }] }), /role/],
      ['an empty title', entry('0002', { ...valid, title: '  ' }), /at title/],
    ];
    for (const [label, bad, message] of cases) {
      // A good conversation first: a bad one later still leaves nothing behind.
      const response = await upload(handMadeBundle([entry('0001', valid), bad]));
      const body = (await response.json()) as { error: string; message: string };
      expect([response.status, body.error], label).toEqual([400, 'bad_bundle']);
      expect(body.message, label).toMatch(/^conversations\/0002\.json is not /);
      expect(body.message, label).toMatch(message);
    }
    expect(await projectCount()).toBe(before);
    // Well formed, they import; text PostgreSQL refuses (NUL, a lone surrogate) arrives as U+FFFD.
    const odd = { ...valid.messages[0]!, content: 'nul\u0000 and half a pair \ud83d.' };
    const later = { ...valid, title: 'Later', createdAt: '2026-01-02T00:00:00.000Z', messages: [odd] };
    const fine = await upload(handMadeBundle([entry('0001', valid), entry('0002', later)]));
    expect(fine.status).toBe(201);
    const project = (await fine.json()) as ProjectDto;
    made.push(project.id);
    expect((await conversationsOf(project.id)).map((c) => [c.title, c.messages.map((m) => m.content)])).toEqual([
      ['Fine', ['hi']],
      ['Later', ['nul\ufffd and half a pair \ufffd.']],
    ]);
  });
});

describe('conversation-only export', () => {
  it('downloads one conversation as versioned JSON named after its title', async () => {
    const original = originals[0]!;
    const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/conversations/${original.id}/export`, {
      cookie: alice.cookie,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="dark-theme-v2.json"');
    const body = (await response.json()) as Record<string, unknown>;
    expect(conversationExportSchema.safeParse(body).success).toBe(true);
    const document = conversationExportSchema.parse(body);
    expect(document).toMatchObject({
      format: 'berth-conversation',
      version: 1,
      title: 'Dark theme: v2!',
      createdAt: original.createdAt,
      updatedAt: original.updatedAt,
    });
    expect(Date.parse(document.exportedAt)).toBeGreaterThan(Date.parse(original.updatedAt) - 1);
    // Exported as stored: the running turn is still running here, its id only a reference within the file.
    expect(document.turns.map((turn) => [turn.id, turn.status, turn.model, turn.changedFiles])).toEqual(
      original.turns.map((turn) => [turn.id, turn.status, turn.model, turn.changedFiles]),
    );
    expect(document.messages).toEqual(
      original.messages.map((m) => ({
        seq: m.seq,
        role: m.role,
        content: m.content,
        toolCalls: m.toolCalls,
        toolResults: m.toolResults,
        attachments: m.attachments,
        turnId: m.turnId,
        createdAt: m.createdAt,
      })),
    );
    expect(Object.keys(body)).not.toContain('projectId');
    expect(JSON.stringify(body)).not.toContain('snapshotId');
  });

  it('is 404 for another user, for their project and their conversation alike; 401 signed out', async () => {
    const id = originals[0]!.id;
    const bobs = (await (
      await call(
        t.baseUrl,
        'POST',
        '/api/v1/projects',
        { cookie: bob.cookie },
        { name: 'bobs', template: 'blank-node' },
      )
    ).json()) as ProjectDto;
    for (const route of [
      `/api/v1/projects/${source.id}/conversations/${id}/export`,
      `/api/v1/projects/${bobs.id}/conversations/${id}/export`,
    ]) {
      const response = await call(t.baseUrl, 'GET', route, { cookie: bob.cookie });
      expect(response.status, route).toBe(404);
      expect(response.headers.get('content-disposition')).toBeNull();
    }
    const unknown = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/conversations/nope/export`, {
      cookie: alice.cookie,
    });
    expect(unknown.status).toBe(404);
    expect((await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/conversations/${id}/export`, {})).status).toBe(
      401,
    );
  });
});
