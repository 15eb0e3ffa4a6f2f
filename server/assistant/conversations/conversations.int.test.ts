// Assistant conversations through the REST API of a real server on a real (embedded) PostgreSQL:
// the CRUD round trip with messages, tool calls and results in order; turns; 401, 400 and 404
// for another user; conversations going with their project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AssistantToolCall,
  AssistantToolResult,
  ConversationDto,
  ConversationListDto,
  ConversationSummaryDto,
  ProjectDto,
} from '../../contracts';
import { ProjectService } from '../../projects';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../test-support/api-test-server';
import { connectAs } from '../../test-support/socket-client';
import { ConversationService } from './conversation-service';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
/** The service on the server's own database: appends messages and runs turns as the turn engine will. */
let service: ConversationService;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  const { prisma } = t.server.database;
  service = new ConversationService(prisma, new ProjectService(prisma));
});
afterAll(async () => t?.stop());

async function createProject(user: TestUser, name = 'chatty'): Promise<ProjectDto> {
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

async function createConversation(user: TestUser, projectId: string, body?: unknown): Promise<string> {
  const response = await call(
    t.baseUrl,
    'POST',
    `/api/v1/projects/${projectId}/conversations`,
    { cookie: user.cookie },
    body,
  );
  expect(response.status).toBe(201);
  const created = (await response.json()) as { id: string };
  expect(created).toEqual({ id: expect.any(String) });
  return created.id;
}

async function getJson<T>(user: TestUser, route: string): Promise<T> {
  const response = await call(t.baseUrl, 'GET', route, { cookie: user.cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('conversations REST round trip', () => {
  it('creates, lists newest first, reads with messages and tool calls in order, renames and deletes', async () => {
    const project = await createProject(alice);
    const base = `/api/v1/projects/${project.id}/conversations`;

    const first = await createConversation(alice, project.id);
    const second = await createConversation(alice, project.id, { title: '  Dark theme  ' });

    const listed = await getJson<ConversationListDto>(alice, base);
    expect(listed.conversations.map((c) => [c.id, c.title])).toEqual([
      [second, 'Dark theme'],
      [first, 'New conversation'],
    ]);

    // A turn as the engine will write it: user message, assistant with two tool calls, their results, answer.
    const turn = await service.startTurn(alice.id, project.id, first, { model: 'scripted/test' });
    expect(turn.status).toBe('running');
    const calls: AssistantToolCall[] = [
      { id: 'call_1', name: 'write_file', args: { path: 'src/App.jsx', content: 'export default 1;\n' } },
      { id: 'call_2', name: 'run_command', args: { command: 'npm install zustand' } },
    ];
    const results: AssistantToolResult[] = [
      { callId: 'call_1', name: 'write_file', output: { bytes: 18 }, isError: false },
      { callId: 'call_2', name: 'run_command', output: 'npm ERR! 404', isError: true },
    ];
    await service.appendMessage(alice.id, project.id, first, {
      role: 'user',
      content: 'Make a todo app',
      turnId: turn.id,
    });
    await service.appendMessage(alice.id, project.id, first, {
      role: 'assistant',
      content: 'Creating the app.',
      toolCalls: calls,
      turnId: turn.id,
    });
    await service.appendMessage(alice.id, project.id, first, {
      role: 'tool',
      content: '',
      toolResults: results,
      turnId: turn.id,
    });
    await service.appendMessage(alice.id, project.id, first, { role: 'assistant', content: 'Done.', turnId: turn.id });
    const finished = await service.finishTurn(alice.id, project.id, first, turn.id, {
      status: 'done',
      changedFiles: [{ path: 'src/App.jsx', change: 'created' }],
    });
    expect(finished).toMatchObject({ status: 'done', endedAt: expect.any(String) });

    const read = await getJson<ConversationDto>(alice, `${base}/${first}`);
    expect(read).toMatchObject({ id: first, projectId: project.id, title: 'New conversation', messageCount: 4 });
    expect(read.messages.map((m) => [m.seq, m.role, m.content])).toEqual([
      [0, 'user', 'Make a todo app'],
      [1, 'assistant', 'Creating the app.'],
      [2, 'tool', ''],
      [3, 'assistant', 'Done.'],
    ]);
    expect(read.messages[1]!.toolCalls).toEqual(calls);
    expect(read.messages[2]!.toolResults).toEqual(results);
    expect(read.messages[0]!.toolCalls).toEqual([]);
    expect(read.messages.every((m) => m.turnId === turn.id)).toBe(true);
    expect(read.turns).toEqual([
      expect.objectContaining({
        id: turn.id,
        status: 'done',
        model: 'scripted/test',
        changedFiles: [{ path: 'src/App.jsx', change: 'created' }],
      }),
    ]);

    // A message makes its conversation the most recently active one.
    expect((await getJson<ConversationListDto>(alice, base)).conversations.map((c) => c.id)).toEqual([first, second]);

    const renamed = await call(t.baseUrl, 'PATCH', `${base}/${first}`, { cookie: alice.cookie }, { title: 'Todo app' });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()) as ConversationSummaryDto).toMatchObject({ id: first, title: 'Todo app' });
    expect((await getJson<ConversationDto>(alice, `${base}/${first}`)).title).toBe('Todo app');

    expect((await call(t.baseUrl, 'DELETE', `${base}/${first}`, { cookie: alice.cookie })).status).toBe(204);
    expect((await call(t.baseUrl, 'GET', `${base}/${first}`, { cookie: alice.cookie })).status).toBe(404);
    expect((await getJson<ConversationListDto>(alice, base)).conversations.map((c) => c.id)).toEqual([second]);
  });

  it('gives concurrent appends distinct, gap-free positions', async () => {
    const project = await createProject(alice);
    const id = await createConversation(alice, project.id);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        service.appendMessage(alice.id, project.id, id, { role: 'user', content: `m${i}` }),
      ),
    );
    const read = await getJson<ConversationDto>(alice, `/api/v1/projects/${project.id}/conversations/${id}`);
    expect(read.messages.map((m) => m.seq)).toEqual([...Array(12).keys()]);
    expect(read.messages.map((m) => m.content).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`).sort());
  });

  it("tells the project's other tabs when a conversation is created, renamed or deleted", async () => {
    const project = await createProject(alice);
    const tab = await connectAs(t, alice);
    try {
      await tab.ok('workspace:open', { projectId: project.id }); // joins the project's room
      const pushed = () => tab.waitFor<{ projectId: string }>('ai:conversations', (p) => p.projectId === project.id);
      const created = pushed();
      const id = await createConversation(alice, project.id);
      await created;
      const renamed = pushed();
      const route = `/api/v1/projects/${project.id}/conversations/${id}`;
      expect((await call(t.baseUrl, 'PATCH', route, { cookie: alice.cookie }, { title: 'Todo app' })).status).toBe(200);
      await renamed;
      const deleted = pushed();
      expect((await call(t.baseUrl, 'DELETE', route, { cookie: alice.cookie })).status).toBe(204);
      await deleted;
    } finally {
      tab.close();
    }
  });

  it('runs one turn per project at a time: a second start is busy until the first ends', async () => {
    const project = await createProject(alice);
    const [a, b] = [await createConversation(alice, project.id), await createConversation(alice, project.id)];
    const running = await service.startTurn(alice.id, project.id, a, { model: 'm' });
    await expect(service.startTurn(alice.id, project.id, b, { model: 'm' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'busy',
    });
    await service.finishTurn(alice.id, project.id, a, running.id, { status: 'stopped' });
    await expect(service.finishTurn(alice.id, project.id, a, running.id, { status: 'done' })).rejects.toMatchObject({
      code: 'turn_ended',
    });
    expect((await service.startTurn(alice.id, project.id, b, { model: 'm' })).status).toBe('running');
  });
});

describe('conversations refuse', () => {
  it('401 without credentials on every route', async () => {
    const project = await createProject(alice);
    const id = await createConversation(alice, project.id);
    const base = `/api/v1/projects/${project.id}/conversations`;
    for (const [method, route] of [
      ['GET', base],
      ['POST', base],
      ['GET', `${base}/${id}`],
      ['PATCH', `${base}/${id}`],
      ['DELETE', `${base}/${id}`],
    ] as const) {
      const response = await call(t.baseUrl, method, route, {}, method === 'PATCH' ? { title: 'x' } : undefined);
      expect(response.status, `${method} ${route}`).toBe(401);
    }
  });

  it('404 on every route for another user, for their project and their conversation alike', async () => {
    const project = await createProject(alice);
    const id = await createConversation(alice, project.id);
    const base = `/api/v1/projects/${project.id}/conversations`;
    // Bob's own project with Alice's conversation id: still not his.
    const bobs = await createProject(bob);
    const crossed = `/api/v1/projects/${bobs.id}/conversations/${id}`;
    for (const [method, route, body] of [
      ['GET', base, undefined],
      ['POST', base, { title: 'mine now' }],
      ['GET', `${base}/${id}`, undefined],
      ['PATCH', `${base}/${id}`, { title: 'mine now' }],
      ['DELETE', `${base}/${id}`, undefined],
      ['GET', crossed, undefined],
      ['PATCH', crossed, { title: 'mine now' }],
      ['DELETE', crossed, undefined],
    ] as const) {
      const response = await call(t.baseUrl, method, route, { cookie: bob.cookie }, body);
      expect(response.status, `${method} ${route}`).toBe(404);
    }
    // Nothing of Alice's changed.
    const read = await getJson<ConversationDto>(alice, `${base}/${id}`);
    expect(read.title).toBe('New conversation');
    expect((await getJson<ConversationListDto>(alice, base)).conversations).toHaveLength(1);
    await expect(service.appendMessage(bob.id, project.id, id, { role: 'user', content: 'x' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(service.appendMessage(bob.id, bobs.id, id, { role: 'user', content: 'x' })).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('400 with field errors for a bad title', async () => {
    const project = await createProject(alice);
    const id = await createConversation(alice, project.id);
    const base = `/api/v1/projects/${project.id}/conversations`;
    for (const [method, route, body] of [
      ['POST', base, { title: '   ' }],
      ['POST', base, { title: 42 }],
      ['PATCH', `${base}/${id}`, { title: 'x'.repeat(121) }],
      ['PATCH', `${base}/${id}`, {}],
    ] as const) {
      const response = await call(t.baseUrl, method, route, { cookie: alice.cookie }, body);
      expect(response.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      const answer = (await response.json()) as { error: string; fieldErrors: Record<string, string[]> };
      expect(answer.error).toBe('validation');
      expect(Object.keys(answer.fieldErrors)).toEqual(['title']);
    }
    expect((await getJson<ConversationListDto>(alice, base)).conversations.map((c) => c.title)).toEqual([
      'New conversation',
    ]);
  });
});

describe('conversations and their project', () => {
  it('go with the project when it is deleted, messages and turns included', async () => {
    const project = await createProject(alice);
    const id = await createConversation(alice, project.id);
    const turn = await service.startTurn(alice.id, project.id, id, { model: 'm' });
    await service.appendMessage(alice.id, project.id, id, { role: 'user', content: 'hello', turnId: turn.id });
    const { prisma } = t.server.database;
    expect(await prisma.message.count({ where: { conversationId: id } })).toBe(1);

    expect((await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: alice.cookie })).status).toBe(
      204,
    );
    expect(await prisma.conversation.count({ where: { id } })).toBe(0);
    expect(await prisma.message.count({ where: { conversationId: id } })).toBe(0);
    expect(await prisma.turn.count({ where: { id: turn.id } })).toBe(0);
    expect(
      (await call(t.baseUrl, 'GET', `/api/v1/projects/${project.id}/conversations`, { cookie: alice.cookie })).status,
    ).toBe(404);
  });
});
