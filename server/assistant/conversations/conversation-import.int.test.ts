// POST /api/v1/projects/:id/conversations/import on a real server and (embedded) PostgreSQL: the
// conversation-only download goes back in as a new conversation (new ids, same messages, tool
// calls and results, a running turn arriving failed), the project's tabs are told; a malformed
// document is 400 with field errors and creates nothing; 413 past IMPORT_MAX_MB; another user's
// project 404; 401 signed out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conversationExportSchema,
  type ConversationDto,
  type ConversationExportDto,
  type ConversationListDto,
  type ProjectDto,
} from '../../contracts';
import { ProjectService } from '../../projects';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../test-support/api-test-server';
import { connectAs, type TestSocket } from '../../test-support/socket-client';
import { INTERRUPTED_TURN_ERROR } from '../turns/interrupted-turns';
import { ConversationService } from './conversation-service';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let tab: TestSocket;
let service: ConversationService;
let source: ProjectDto;
let target: ProjectDto;
/** What GET …/export downloaded of the source conversation. */
let exported: ConversationExportDto;
let original: ConversationDto;

beforeAll(async () => {
  // 1 MB: the smallest import limit, so 413 needs no large upload.
  t = await startTestServer({ IMPORT_MAX_MB: '1' });
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  tab = await connectAs(t, alice);
  const { prisma } = t.server.database;
  service = new ConversationService(prisma, new ProjectService(prisma));
  source = await newProject(alice, 'Exported from');
  target = await newProject(alice, 'Imported into');

  const chat = await service.create(alice.id, source.id, { title: 'Todo app' });
  const done = await service.startTurn(alice.id, source.id, chat.id, { model: 'openai:scripted' });
  await service.appendMessage(alice.id, source.id, chat.id, {
    role: 'user',
    content: 'Make a todo app',
    turnId: done.id,
  });
  await service.appendMessage(alice.id, source.id, chat.id, {
    role: 'assistant',
    content: 'Creating it.',
    toolCalls: [{ id: 'call_1', name: 'write_file', args: { path: 'todo.js', content: 'export {};\n' } }],
    turnId: done.id,
  });
  await service.appendMessage(alice.id, source.id, chat.id, {
    role: 'tool',
    content: '',
    toolResults: [{ callId: 'call_1', name: 'write_file', output: 'Created todo.js (1 line).', isError: false }],
    turnId: done.id,
  });
  await service.finishTurn(alice.id, source.id, chat.id, done.id, {
    status: 'done',
    changedFiles: [{ path: 'todo.js', change: 'created' }],
  });
  const running = await service.startTurn(alice.id, source.id, chat.id, { model: 'openai:scripted' });
  await service.appendMessage(alice.id, source.id, chat.id, {
    role: 'user',
    content: 'Dark theme',
    turnId: running.id,
  });
  original = await service.get(alice.id, source.id, chat.id);

  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${source.id}/conversations/${chat.id}/export`, {
    cookie: alice.cookie,
  });
  expect(response.status).toBe(200);
  exported = conversationExportSchema.parse(await response.json());
}, 120_000);

afterAll(async () => {
  tab?.close();
  await t?.stop();
});

async function newProject(user: TestUser, name: string): Promise<ProjectDto> {
  const response = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: user.cookie },
    { name, template: 'blank-node' },
  );
  expect(response.status).toBe(201);
  return (await response.json()) as ProjectDto;
}

const importInto = (projectId: string, body: unknown, user: Pick<TestUser, 'cookie'> = alice) =>
  call(t.baseUrl, 'POST', `/api/v1/projects/${projectId}/conversations/import`, { cookie: user.cookie }, body);

async function titles(projectId: string): Promise<string[]> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${projectId}/conversations`, {
    cookie: alice.cookie,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as ConversationListDto).conversations.map((c) => c.title);
}

describe('conversation-only import', () => {
  it('creates the downloaded conversation in another project (201 { id }) and tells its tabs', async () => {
    await tab.ok('workspace:open', { projectId: target.id }); // joins the project's room
    const told = tab.waitFor<{ projectId: string }>('ai:conversations', (push) => push.projectId === target.id);
    const response = await importInto(target.id, exported);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(id).not.toBe(original.id);
    await told;

    const imported = await service.get(alice.id, target.id, id);
    expect(imported.title).toBe('Todo app');
    expect(imported.messages.map((m) => [m.seq, m.role, m.content, m.toolCalls, m.toolResults])).toEqual(
      original.messages.map((m) => [m.seq, m.role, m.content, m.toolCalls, m.toolResults]),
    );
    // New turn ids, the links kept; the turn running at export arrives failed, nothing imported looks live.
    expect(imported.turns.map((turn) => [turn.status, turn.changedFiles, turn.snapshotId])).toEqual([
      ['done', [{ path: 'todo.js', change: 'created' }], null],
      ['failed', [], null],
    ]);
    expect(imported.turns[1]!.error).toBe(INTERRUPTED_TURN_ERROR);
    expect(imported.turns.map((turn) => turn.id)).not.toContain(original.turns[0]!.id);
    expect(imported.messages.map((m) => imported.turns.findIndex((turn) => turn.id === m.turnId))).toEqual([
      0, 0, 0, 1,
    ]);
    expect(await titles(target.id)).toEqual(['Todo app']);

    // Into the same project too: a second conversation beside the first.
    expect((await importInto(source.id, exported)).status).toBe(201);
    expect(await titles(source.id)).toEqual(['Todo app', 'Todo app']);
  });

  it('answers 400 with field errors for a malformed document and creates nothing', async () => {
    const before = await titles(target.id);
    const { title: _title, ...untitled } = exported;
    const cases: [unknown, string][] = [
      [untitled, 'title'],
      [{ ...exported, format: 'something-else' }, 'format'],
      [{ ...exported, version: 2 }, 'version'],
      [{ ...exported, messages: [{ ...exported.messages[0]!, turnId: 'no-such-turn' }] }, 'messages'],
      [{ ...exported, messages: 'none' }, 'messages'],
    ];
    for (const [body, field] of cases) {
      const response = await importInto(target.id, body);
      expect(response.status, field).toBe(400);
      const answer = (await response.json()) as { error: string; fieldErrors?: Record<string, string[]> };
      expect(answer.error, field).toBe('validation');
      expect(Object.keys(answer.fieldErrors ?? {}), field).toContain(field);
    }
    const notJson = await fetch(`${t.baseUrl}/api/v1/projects/${target.id}/conversations/import`, {
      method: 'POST',
      headers: { Cookie: alice.cookie, Origin: t.origin, 'Content-Type': 'application/json' },
      body: '{"format": "berth-conversation", ',
    });
    expect(notJson.status).toBe(400);
    expect(await titles(target.id)).toEqual(before);
  });

  it('answers 413 past IMPORT_MAX_MB and creates nothing', async () => {
    const before = await titles(target.id);
    const huge = {
      ...exported,
      messages: [{ ...exported.messages[0]!, turnId: null, content: 'x'.repeat(1024 * 1024 + 1) }],
    };
    const response = await importInto(target.id, huge);
    expect(response.status).toBe(413);
    expect(await titles(target.id)).toEqual(before);
  });

  it("is 404 for another user's project, whatever the body; 401 signed out", async () => {
    const before = await titles(target.id);
    for (const body of [exported, { nonsense: true }]) {
      const response = await importInto(target.id, body, bob);
      expect(response.status).toBe(404);
    }
    expect((await importInto('no-such-project', exported)).status).toBe(404);
    expect((await importInto(target.id, exported, { cookie: '' })).status).toBe(401);
    expect(await titles(target.id)).toEqual(before);
  });
});
