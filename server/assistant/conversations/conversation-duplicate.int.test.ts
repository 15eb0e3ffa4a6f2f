// Duplicating a conversation against a real server and PostgreSQL: POST …/conversations/:cid/duplicate
// copies its messages and turns (new ids, a running turn arriving failed) into the same project
// (titled "… (copy)") or another of the user's (same title), leaves the original as it was, and
// is 404 unless both projects are the caller's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationDto, DuplicatedConversationDto, ProjectDto } from '../../contracts';
import { ProjectService } from '../../projects';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../test-support/api-test-server';
import { ConversationService } from './conversation-service';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let service: ConversationService;
let home: ProjectDto;
let other: ProjectDto;
let bobs: ProjectDto;
let original: ConversationDto;

beforeAll(async () => {
  t = await startTestServer();
  alice = await createSignedInUser(t.baseUrl);
  bob = await createSignedInUser(t.baseUrl);
  const { prisma } = t.server.database;
  service = new ConversationService(prisma, new ProjectService(prisma));
  home = await newProject(alice, 'Home');
  other = await newProject(alice, 'Other');
  bobs = await newProject(bob, 'Bobs');

  const conversation = await service.create(alice.id, home.id, { title: 'Plan the API' });
  const done = await service.startTurn(alice.id, home.id, conversation.id, { model: 'openai:scripted' });
  await service.appendMessage(alice.id, home.id, conversation.id, { role: 'user', content: 'Hi', turnId: done.id });
  await service.appendMessage(alice.id, home.id, conversation.id, {
    role: 'assistant',
    content: 'Writing it.',
    toolCalls: [{ id: 'call_1', name: 'write_file', args: { path: 'api.js', content: '1' } }],
    turnId: done.id,
  });
  await service.finishTurn(alice.id, home.id, conversation.id, done.id, { status: 'done' });
  const running = await service.startTurn(alice.id, home.id, conversation.id, { model: 'openai:scripted' });
  await service.appendMessage(alice.id, home.id, conversation.id, {
    role: 'user',
    content: 'More',
    turnId: running.id,
  });
  original = await read(alice, home.id, conversation.id);
}, 60_000);

afterAll(async () => {
  for (const [user, project] of [
    [alice, home],
    [alice, other],
    [bob, bobs],
  ] as const)
    if (project) await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: user.cookie });
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

async function read(user: TestUser, projectId: string, conversationId: string): Promise<ConversationDto> {
  const response = await call(t.baseUrl, 'GET', `/api/v1/projects/${projectId}/conversations/${conversationId}`, {
    cookie: user.cookie,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationDto;
}

const duplicate = (user: TestUser, projectId: string, conversationId: string, body: object) =>
  call(
    t.baseUrl,
    'POST',
    `/api/v1/projects/${projectId}/conversations/${conversationId}/duplicate`,
    { cookie: user.cookie },
    body,
  );

/** What a copy must keep: the messages and turns without their ids (turns named by position). */
function content(conversation: ConversationDto) {
  const turnIndex = new Map(conversation.turns.map((turn, index) => [turn.id, index]));
  return {
    messages: conversation.messages.map((m) => [m.seq, m.role, m.content, m.toolCalls, turnIndex.get(m.turnId ?? '')]),
    turns: conversation.turns.map((turn) => [turn.model, turn.startedAt]),
  };
}

function expectCopyOf(copy: ConversationDto, projectId: string) {
  expect(copy.projectId).toBe(projectId);
  expect(copy.id).not.toBe(original.id);
  expect(content(copy)).toEqual(content(original));
  expect(copy.turns.map((turn) => turn.status)).toEqual(['done', 'failed']);
  const originalIds = new Set([...original.messages.map((m) => m.id), ...original.turns.map((turn) => turn.id)]);
  for (const id of [...copy.messages.map((m) => m.id), ...copy.turns.map((turn) => turn.id)])
    expect(originalIds.has(id)).toBe(false);
}

describe('duplicate a conversation', () => {
  it('into the same project, titled as a copy', async () => {
    const response = await duplicate(alice, home.id, original.id, {});
    expect(response.status).toBe(201);
    const made = (await response.json()) as DuplicatedConversationDto;
    expect(made).toEqual({ id: expect.any(String), projectId: home.id, title: 'Plan the API (copy)' });
    const copy = await read(alice, home.id, made.id);
    expect(copy.title).toBe('Plan the API (copy)');
    expectCopyOf(copy, home.id);
    // The original keeps its running turn and its messages.
    expect(await read(alice, home.id, original.id)).toEqual(original);
  });

  it('into another project of the user, with its title', async () => {
    const response = await duplicate(alice, home.id, original.id, { targetProjectId: other.id });
    expect(response.status).toBe(201);
    const made = (await response.json()) as DuplicatedConversationDto;
    expect(made).toMatchObject({ projectId: other.id, title: 'Plan the API' });
    expectCopyOf(await read(alice, other.id, made.id), other.id);
    // Not readable through the source project.
    const wrongProject = await call(t.baseUrl, 'GET', `/api/v1/projects/${home.id}/conversations/${made.id}`, {
      cookie: alice.cookie,
    });
    expect(wrongProject.status).toBe(404);
  });

  it("is 404 for another user's source or target, and for an unknown conversation; 400 for a bad body", async () => {
    const count = async (projectId: string) =>
      (await t.server.database.prisma.conversation.count({ where: { projectId } })) as number;
    const before = [await count(home.id), await count(other.id), await count(bobs.id)];
    const cases: [TestUser, string, string, object][] = [
      [bob, home.id, original.id, {}],
      [bob, home.id, original.id, { targetProjectId: bobs.id }],
      [bob, bobs.id, original.id, {}],
      [alice, home.id, original.id, { targetProjectId: bobs.id }],
      [alice, home.id, 'nope', {}],
      [alice, home.id, original.id, { targetProjectId: 'nope' }],
    ];
    for (const [user, projectId, conversationId, body] of cases) {
      const response = await duplicate(user, projectId, conversationId, body);
      expect(response.status, JSON.stringify([user.email, projectId, conversationId, body])).toBe(404);
    }
    const bad = await duplicate(alice, home.id, original.id, { targetProjectId: 5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fieldErrors?: Record<string, string[]> }).fieldErrors).toHaveProperty(
      'targetProjectId',
    );
    expect([await count(home.id), await count(other.id), await count(bobs.id)]).toEqual(before);
    expect(
      (await call(t.baseUrl, 'POST', `/api/v1/projects/${home.id}/conversations/${original.id}/duplicate`, {}, {}))
        .status,
    ).toBe(401);
  });
});
