// A turn runs on the caller's own provider (issue 11): with no admin provider at all, Alice's own
// OpenAI-compatible endpoint (the scripted model server on loopback, allowed through
// AI_ALLOW_PRIVATE_HOSTS) answers her turn, sent with her key, on a real server, PostgreSQL and
// workspace container; Bob, who has none, is told exactly what to set before anything runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_HINT } from '../assistant';
import type { ApiErrorBody, AssistantTurnEventDto, ProjectDto } from '../contracts';
import {
  call,
  createSignedInUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../test-support/api-test-server';
import { startScriptedModelServer, type ScriptedModelServer } from '../test-support/scripted-model-server';
import { connectAs, openRunningWorkspace, type TestSocket } from '../test-support/socket-client';

const KEY = 'sk-alice-turn-key-0123456789';

let t: TestServer;
let model: ScriptedModelServer;
let alice: TestUser;
let bob: TestUser;
const projects: { user: TestUser; project: ProjectDto }[] = [];
let tab: TestSocket;

async function createProject(user: TestUser): Promise<ProjectDto> {
  const response = await call(
    t.baseUrl,
    'POST',
    '/api/v1/projects',
    { cookie: user.cookie },
    { name: 'Own model', template: 'blank-node' },
  );
  const project = (await response.json()) as ProjectDto;
  projects.push({ user, project });
  return project;
}

async function newConversation(user: TestUser, projectId: string): Promise<string> {
  const response = await call(
    t.baseUrl,
    'POST',
    `/api/v1/projects/${projectId}/conversations`,
    { cookie: user.cookie },
    {},
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const send = (user: TestUser, projectId: string, cid: string, body: unknown) =>
  call(t.baseUrl, 'POST', `/api/v1/projects/${projectId}/conversations/${cid}/messages`, { cookie: user.cookie }, body);

async function eventsOf(response: Response): Promise<AssistantTurnEventDto[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice(6)) as AssistantTurnEventDto);
}

beforeAll(async () => {
  model = await startScriptedModelServer({ models: ['alice-coder'], apiKey: KEY });
  t = await startTestServer({ AI_ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
  [alice, bob] = await Promise.all([createSignedInUser(t.baseUrl), createSignedInUser(t.baseUrl)]);
  const saved = await call(
    t.baseUrl,
    'PUT',
    '/api/v1/me/ai-settings',
    { cookie: alice.cookie },
    { openaiBaseUrl: model.baseUrl, openaiApiKey: KEY },
  );
  expect(saved.status).toBe(200);
}, 120_000);

afterAll(async () => {
  tab?.close();
  for (const { user, project } of projects)
    await call(t.baseUrl, 'DELETE', `/api/v1/projects/${project.id}`, { cookie: user.cookie });
  await Promise.all([t?.stop(), model?.close()]);
});

describe('a turn with the user’s own provider', () => {
  it('runs Alice’s turn on her own endpoint with her key (the first model listed when none is named)', async () => {
    const project = await createProject(alice);
    tab = await connectAs(t, alice);
    await openRunningWorkspace(tab, project.id);
    const cid = await newConversation(alice, project.id);
    model.enqueue({ kind: 'text', chunks: ['Hello ', 'from your own model.'] });

    const response = await send(alice, project.id, cid, { content: 'Say hello' });
    expect(response.status).toBe(200);
    const events = await eventsOf(response);
    expect(events[0]).toMatchObject({ type: 'started', model: 'openai:alice-coder' });
    expect(events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('')).toBe(
      'Hello from your own model.',
    );
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'done' });
    const [chat] = model.chatRequests();
    expect(chat!.body?.model).toBe('alice-coder');
    expect(chat!.headers.authorization).toBe(`Bearer ${KEY}`);
  }, 120_000);

  it('tells Bob, who has no provider, what to set, before any turn starts', async () => {
    const project = await createProject(bob);
    const cid = await newConversation(bob, project.id);
    const chatsBefore = model.chatRequests().length;
    for (const body of [{ content: 'Hi' }, { content: 'Hi', model: 'openai:alice-coder' }]) {
      const response = await send(bob, project.id, cid, body);
      expect(response.status).toBe(501);
      expect((await response.json()) as ApiErrorBody).toMatchObject({
        error: 'ai_not_configured',
        message: SETUP_HINT,
      });
    }
    expect(model.chatRequests()).toHaveLength(chatsBefore);
  });
});
