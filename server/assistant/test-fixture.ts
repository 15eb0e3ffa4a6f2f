// The set-up assistant integration tests share: the scripted OpenAI-compatible model server, a real
// Berth server pointed at it, two users (the project's owner and someone else), the owner's
// project with its workspace running and a tab on it, and helpers to drive turns over the API.
import { expect } from 'vitest';
import type { AssistantTurnEventDto, ConversationDto, ProjectDto } from '../contracts';
import { call, createSignedInUser, type TestServer, type TestUser } from '../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../test-support/project-fixture';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedToolCall,
} from '../test-support/scripted-model-server';
import type { TestSocket } from '../test-support/socket-client';

export const SCRIPTED_MODEL = 'openai:scripted-model';

/** The scripted model as the default; tests run many turns a minute, past the per-user limit's default. */
export const aiEnv = (baseUrl: string) => ({
  AI_OPENAI_BASE_URL: baseUrl,
  AI_DEFAULT_MODEL: SCRIPTED_MODEL,
  AI_TURNS_PER_MINUTE: '1000',
});

export interface AssistantFixture {
  t: TestServer;
  model: ScriptedModelServer;
  /** The project's owner. */
  alice: TestUser;
  /** Someone else. */
  bob: TestUser;
  project: ProjectDto;
  /** Alice's tab on the project. */
  tab: TestSocket;
}

/** `env`: more settings of the server. */
export async function openAssistantFixture(name: string, env: Record<string, string> = {}): Promise<AssistantFixture> {
  const model = await startScriptedModelServer();
  try {
    const {
      t,
      user: alice,
      project,
      tab,
    } = await openProjectFixture({ name, env: { ...aiEnv(model.baseUrl), ...env }, running: true });
    const bob = await createSignedInUser(t.baseUrl);
    return { t, model, alice, bob, project, tab };
  } catch (error) {
    await model.close();
    throw error;
  }
}

export async function closeAssistantFixture(fixture: Partial<AssistantFixture>): Promise<void> {
  await closeProjectFixture({ t: fixture.t, user: fixture.alice, project: fixture.project, tab: fixture.tab });
  await fixture.model?.close();
}

/** A turn's event stream as it arrives: `next()` gives the next event, undefined once it has ended. */
export function eventStream(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const queued: AssistantTurnEventDto[] = [];
  return {
    async next(): Promise<AssistantTurnEventDto | undefined> {
      for (;;) {
        if (queued.length) return queued.shift();
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop()!;
        for (const block of blocks)
          if (block.startsWith('data: ')) queued.push(JSON.parse(block.slice(6)) as AssistantTurnEventDto);
      }
    },
    async rest(): Promise<AssistantTurnEventDto[]> {
      const all: AssistantTurnEventDto[] = [];
      for (let event = await this.next(); event; event = await this.next()) all.push(event);
      return all;
    },
  };
}

/** Requests against one fixture's project, as its owner unless told otherwise. */
export function assistantApi(f: AssistantFixture) {
  const conversationsPath = () => `/api/v1/projects/${f.project.id}/conversations`;
  const fileUrl = (path: string) => `/api/v1/projects/${f.project.id}/files/content?path=${encodeURIComponent(path)}`;
  return {
    conversationsPath,
    fileUrl,
    /** The file's text, or null when it does not exist. */
    async read(path: string): Promise<string | null> {
      const response = await call(f.t.baseUrl, 'GET', fileUrl(path), { cookie: f.alice.cookie });
      if (response.status === 404) return null;
      expect(response.status).toBe(200);
      return response.text();
    },
    async newConversation(): Promise<string> {
      const response = await call(f.t.baseUrl, 'POST', conversationsPath(), { cookie: f.alice.cookie }, {});
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    },
    async getConversation(cid: string): Promise<ConversationDto> {
      const response = await call(f.t.baseUrl, 'GET', `${conversationsPath()}/${cid}`, { cookie: f.alice.cookie });
      expect(response.status).toBe(200);
      return (await response.json()) as ConversationDto;
    },
    send: (cid: string, content: string, user: TestUser = f.alice) =>
      call(f.t.baseUrl, 'POST', `${conversationsPath()}/${cid}/messages`, { cookie: user.cookie }, { content }),
    /** Sends a message and reads the turn to its end; the turn's id and events. */
    async turn(cid: string, content: string): Promise<{ turnId: string; events: AssistantTurnEventDto[] }> {
      const response = await call(
        f.t.baseUrl,
        'POST',
        `${conversationsPath()}/${cid}/messages`,
        { cookie: f.alice.cookie },
        { content },
      );
      expect(response.status).toBe(200);
      const events = await eventStream(response).rest();
      expect(events.at(-1)).toMatchObject({ type: 'done' });
      return { turnId: events[0]!.turnId, events };
    },
  };
}

/** A scripted tool call with its arguments in one chunk. */
export const toolCall = (id: string, name: string, args: unknown): ScriptedToolCall => ({
  id,
  name,
  argumentChunks: [JSON.stringify(args)],
});
