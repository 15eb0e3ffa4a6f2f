// What the model sees and the limits of a turn, end to end: a real Berth server (embedded
// PostgreSQL), a real workspace container, and the OpenAI-compatible provider talking to the
// scripted chat-completions server on loopback. Checks what the model was sent (attachments, the
// user's edits as diffs, a trimmed conversation, the output cap), the text protocol for a model
// without tools (blocks applied through the real tools), the fallback when a model refuses tools,
// and the per-user turn rate limit (429 before any event).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantTurnEventDto, ConversationDto } from '../../contracts';
import { run } from '../../runtime/runtime-test-helpers';
import { call } from '../../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../../test-support/project-fixture';
import { startScriptedModelServer, type ChatRequestBody } from '../../test-support/scripted-model-server';
import { eventStream, toolCall, type AssistantFixture } from '../test-fixture';

const TURNS_PER_MINUTE = 14;
let f: AssistantFixture;

beforeAll(async () => {
  const model = await startScriptedModelServer({ models: ['scripted-model', 'small-model'] });
  try {
    const { t, user, project, tab } = await openProjectFixture({
      name: 'Turn context',
      running: true,
      env: {
        AI_OPENAI_BASE_URL: model.baseUrl,
        AI_DEFAULT_MODEL: 'openai:scripted-model',
        AI_TEXT_PROTOCOL_MODELS: 'openai:small-model',
        AI_CONTEXT_TOKENS: '6000',
        AI_MAX_OUTPUT_TOKENS: '1500',
        AI_TURNS_PER_MINUTE: String(TURNS_PER_MINUTE),
      },
    });
    f = { t, model, alice: user, bob: user, project, tab };
  } catch (error) {
    await model.close();
    throw error;
  }
}, 120_000);

afterAll(async () => {
  await closeProjectFixture({ t: f?.t, user: f?.alice, project: f?.project, tab: f?.tab });
  await f?.model.close();
});

const sh = async (script: string) => (await run(f.t.server.runtime, f.project.id, ['sh', '-c', script])).output;
const conversations = () => `/api/v1/projects/${f.project.id}/conversations`;

async function newConversation(): Promise<string> {
  const response = await call(f.t.baseUrl, 'POST', conversations(), { cookie: f.alice.cookie }, {});
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const getConversation = async (cid: string) =>
  (await (
    await call(f.t.baseUrl, 'GET', `${conversations()}/${cid}`, { cookie: f.alice.cookie })
  ).json()) as ConversationDto;

const post = (cid: string, body: Record<string, unknown>) =>
  call(f.t.baseUrl, 'POST', `${conversations()}/${cid}/messages`, { cookie: f.alice.cookie }, body);

async function turn(cid: string, body: Record<string, unknown>): Promise<AssistantTurnEventDto[]> {
  const response = await post(cid, body);
  expect(response.status).toBe(200);
  const events = await eventStream(response).rest();
  expect(events.at(-1)).toMatchObject({ type: 'done' });
  return events;
}

const lastRequest = (): ChatRequestBody => f.model.chatRequests().at(-1)!.body!;
const lastUserText = (body: ChatRequestBody) => String(body.messages.at(-1)!.content);

/** Writes a file as the user does from the editor (fs:write over the tab's socket). */
async function userWrites(path: string, content: string, baseVersion: string | null) {
  return f.tab.ok<{ version: string }>('fs:write', { projectId: f.project.id, path, content, baseVersion });
}

describe('what the model sees', () => {
  it('attaches a selection and the open file for the model, stores them on the message, and caps the output', async () => {
    await sh('mkdir -p src && printf "line one\\nline two\\n" > src/open.js');
    const cid = await newConversation();
    f.model.enqueue({ kind: 'text', chunks: ['It adds.'] });
    const context = [
      { path: './src//open.js', selection: { startLine: 2, endLine: 2, text: 'line two' } },
      { path: 'src/open.js' },
    ];
    const events = await turn(cid, { content: 'What does this do?', context });

    const body = lastRequest();
    expect(body.max_tokens).toBe(1500);
    const sent = lastUserText(body);
    expect(sent).toContain('The user attached:');
    expect(sent).toContain('src/open.js, lines 2-2 (their selection):\n```\nline two\n```');
    expect(sent).toContain('src/open.js (the whole file as it is now):\n```\nline one\nline two\n```');
    expect(sent.endsWith('\n\n---\n\nWhat does this do?')).toBe(true);

    const normalised = [
      { path: 'src/open.js', selection: { startLine: 2, endLine: 2, text: 'line two' } },
      { path: 'src/open.js' },
    ];
    expect(events[0]).toMatchObject({ type: 'started', content: 'What does this do?', attachments: normalised });
    const [stored] = (await getConversation(cid)).messages;
    expect(stored).toMatchObject({ role: 'user', content: 'What does this do?', attachments: normalised });

    // A file the request names goes with it too (the relevant files attached).
    f.model.enqueue({ kind: 'text', chunks: ['Two lines.'] });
    await turn(cid, { content: 'And what is in open.js?' });
    expect(lastUserText(lastRequest())).toMatch(
      /^Files your request names, as they are now:\n\nsrc\/open\.js \(the whole file as it is now\):\n```\nline one\nline two\n```\n\n---\n\nAnd what is in open\.js\?$/,
    );
  }, 60_000);

  it('refuses attachments outside the project, too many or too big, with field errors and no turn', async () => {
    const cid = await newConversation();
    const requests = f.model.chatRequests().length;
    const refused = [
      [{ path: '../etc/passwd' }],
      [{ path: '/etc/passwd' }],
      Array.from({ length: 6 }, () => ({ path: 'a.js' })),
      [{ path: 'a.js', selection: { startLine: 1, endLine: 1, text: 'x'.repeat(51 * 1024) } }],
      [{ path: 'a.js', selection: { startLine: 5, endLine: 2, text: 'x' } }],
    ];
    for (const context of refused) {
      const response = await post(cid, { content: 'Look', context });
      expect(response.status, JSON.stringify(context).slice(0, 80)).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('context');
    }
    expect(f.model.chatRequests().length).toBe(requests);
    expect((await getConversation(cid)).messages).toEqual([]);
  });

  it("tells the model the user's edits since the last turn as diffs, and not the assistant's own changes", async () => {
    const cid = await newConversation();
    const first = await userWrites('user.txt', 'one\ntwo\nthree\n', null);
    f.model.enqueue(
      {
        kind: 'tool-calls',
        calls: [
          toolCall('c1', 'write_file', { path: 'by-turn.txt', content: 'turn\n' }),
          toolCall('c2', 'write_file', { path: 'then-user.txt', content: 'from the turn\n' }),
        ],
      },
      { kind: 'text', chunks: ['Wrote it.'] },
    );
    await turn(cid, { content: 'Write by-turn.txt' });
    // The first turn of a conversation has nothing to compare with.
    expect(f.model.chatRequests().at(-2)!.body!.messages.at(-1)!.content).toBe('Write by-turn.txt');

    await userWrites('user.txt', 'one\nTWO\nthree\n', first.version);
    await userWrites('made-by-user.md', '# Notes\n', null);
    // A file the turn wrote, then the user changed: told too (by-turn.txt, left as the turn wrote it, is not).
    const written = await f.tab.ok<{ version: string }>('fs:read', { projectId: f.project.id, path: 'then-user.txt' });
    await userWrites('then-user.txt', 'from the turn\nand the user\n', written.version);
    f.model.enqueue({ kind: 'text', chunks: ['Seen.'] });
    await turn(cid, { content: 'Go on' });
    const sent = lastUserText(lastRequest());
    expect(sent).toMatch(/^Since your last turn the user/);
    expect(sent).toContain('--- a/user.txt\n+++ b/user.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three');
    expect(sent).toContain('--- /dev/null\n+++ b/made-by-user.md\n@@ -0,0 +1,1 @@\n+# Notes');
    expect(sent).toMatch(
      /--- (a\/then-user\.txt \(as you last wrote it\)|then-user\.txt \(changed after you last wrote it)/,
    );
    expect(sent).not.toContain('by-turn.txt');
    expect(sent.endsWith('\n\n---\n\nGo on')).toBe(true);
    // Kept out of the stored message.
    expect((await getConversation(cid)).messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'Write by-turn.txt',
      'Go on',
    ]);
  }, 60_000);

  it('tells the model which of its turns the user undid', async () => {
    const cid = await newConversation();
    f.model.enqueue(
      { kind: 'tool-calls', calls: [toolCall('u1', 'write_file', { path: 'undo-me.txt', content: 'x\n' })] },
      { kind: 'text', chunks: ['Written.'] },
    );
    const [started] = await turn(cid, { content: 'Write undo-me.txt' });
    const undone = await call(
      f.t.baseUrl,
      'POST',
      `${conversations()}/${cid}/turns/${started!.turnId}/undo`,
      { cookie: f.alice.cookie },
      {},
    );
    expect(undone.status).toBe(200);
    f.model.enqueue({ kind: 'text', chunks: ['Understood.'] });
    await turn(cid, { content: 'Why is it gone?' });
    expect(lastUserText(lastRequest())).toMatch(
      /^The user undid these turns of yours: .*\n- "Write undo-me\.txt" → put back: undo-me\.txt\n/,
    );
  }, 60_000);

  it('trims a long conversation to the context window, the older requests summarised in the system prompt', async () => {
    const cid = await newConversation();
    for (const n of [1, 2, 3]) {
      f.model.enqueue({ kind: 'text', chunks: [`Answer ${n}: `, 'x'.repeat(3_000)] });
      await turn(cid, { content: `Question ${n}` });
    }
    f.model.enqueue({ kind: 'text', chunks: ['Fine.'] });
    await turn(cid, { content: 'Question 4' });
    const body = lastRequest();
    const system = String(body.messages[0]!.content);
    expect(system).toContain('Earlier in this conversation');
    expect(system).toContain('- The user asked: "Question 1" → no files changed');
    const userTexts = body.messages.filter((m) => m.role === 'user').map((m) => String(m.content));
    expect(userTexts).not.toContain('Question 1');
    expect(userTexts.at(-1)).toBe('Question 4');
    const chars = body.messages.reduce((sum, m) => sum + JSON.stringify(m.content ?? '').length, 0);
    expect(chars / 4).toBeLessThan(6_000 - 1_500);
    // Everything is still stored.
    expect((await getConversation(cid)).messages).toHaveLength(8);
  }, 60_000);
});

describe('models without tool calling', () => {
  it('applies file and shell blocks of a tools:false model through the real tools, as the same events', async () => {
    const cid = await newConversation();
    const answer = [
      'Creating it.',
      '```file path=src/hello.txt',
      'hi from blocks',
      '```',
      '```file path=../outside.txt',
      'no',
      '```',
      '```shell',
      'echo tp-$((6*7))',
      '```',
      'Done.',
    ].join('\n');
    f.model.enqueue({ kind: 'text', chunks: [...answer] }, { kind: 'text', chunks: ['All good.'] });
    const events = await turn(cid, { content: 'Make hello', model: 'openai:small-model' });

    expect(events[0]).toMatchObject({ type: 'started', model: 'openai:small-model' });
    const calls = events.filter((event) => event.type === 'tool-call');
    expect(calls.map((call) => [call.toolName, call.invalid])).toEqual([
      ['write_file', false],
      ['write_file', true],
      ['run_command', false],
    ]);
    const results = events.filter((event) => event.type === 'tool-result');
    expect(results.map((result) => result.isError)).toEqual([false, true, false]);
    expect(String(results[1]!.output)).toMatch(/\.\.\/outside\.txt is not a path inside the project/);
    expect(String(results[2]!.output)).toMatch(/Exit code 0[\s\S]*tp-42/);
    expect(events.some((event) => event.type === 'tool-output')).toBe(true);
    expect(
      events
        .filter((event) => event.type === 'text')
        .map((event) => event.text)
        .join(''),
    ).toBe('Creating it.\nDone.All good.');
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      status: 'done',
      changedFiles: [{ path: 'src/hello.txt', change: 'created' }],
    });
    expect(await sh('cat src/hello.txt; test -e ../outside.txt && echo outside')).toBe('hi from blocks\n');
    expect(f.t.server.locks.list(f.project.id)).toEqual([]);

    const [first, second] = f.model
      .chatRequests()
      .slice(-2)
      .map((request) => request.body!);
    expect(first!.tools).toBeUndefined();
    expect(String(first!.messages[0]!.content)).toContain('```file path=');
    // Told the results (a command ran, a block failed), then it answered.
    expect(lastUserText(second!)).toContain('run_command: Exit code 0');

    // Stored like tool calls, and replayed to the model as the blocks it wrote.
    const stored = (await getConversation(cid)).messages;
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(stored[1]!.toolCalls.map((call) => call.name)).toEqual(['write_file', 'write_file', 'run_command']);
    f.model.enqueue({ kind: 'text', chunks: ['Yes.'] });
    await turn(cid, { content: 'Did it work?', model: 'openai:small-model' });
    const replay = lastRequest().messages;
    // The results became a user note: no tool messages for a model without tools.
    expect(replay.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(String(replay[3]!.content)).toMatch(/^Results of your blocks:\n- write_file: Created src\/hello\.txt/);
    expect(String(replay[2]!.content)).toContain('```file path=src/hello.txt\nhi from blocks\n```');
  }, 90_000);

  it('goes on in the text protocol when a model answers that it does not support tools, and remembers it', async () => {
    const cid = await newConversation();
    f.model.enqueue(
      { kind: 'http-error', status: 400, body: 'registry.ollama.ai/library/plain-model does not support tools' },
      { kind: 'text', chunks: ['```file path=fallback.txt\nfell back\n```\n'] },
    );
    const events = await turn(cid, { content: 'Write fallback.txt', model: 'openai:plain-model' });
    expect(events.some((event) => event.type === 'error')).toBe(false);
    expect(events.at(-1)).toMatchObject({
      status: 'done',
      changedFiles: [{ path: 'fallback.txt', change: 'created' }],
    });
    expect(await sh('cat fallback.txt')).toBe('fell back\n');
    const [refused, retried] = f.model
      .chatRequests()
      .slice(-2)
      .map((request) => request.body!);
    expect(refused!.tools?.length).toBeGreaterThan(0);
    expect(retried!.tools).toBeUndefined();

    f.model.enqueue({ kind: 'text', chunks: ['Ok.'] });
    await turn(cid, { content: 'Thanks', model: 'openai:plain-model' });
    expect(lastRequest().tools).toBeUndefined();
  }, 60_000);
});

describe('turn rate limit', () => {
  it(`refuses more than AI_TURNS_PER_MINUTE turns a minute with 429 rate_limited and Retry-After, before any event`, async () => {
    const cid = await newConversation();
    let refused: Response | undefined;
    let ran = 0;
    for (let attempt = 0; attempt <= TURNS_PER_MINUTE && !refused; attempt++) {
      f.model.enqueue({ kind: 'text', chunks: ['ok'] });
      const response = await post(cid, { content: `Turn ${attempt}` });
      if (response.status === 429) refused = response;
      else {
        expect(response.status).toBe(200);
        await eventStream(response).rest();
        ran++;
      }
    }
    expect(refused).toBeDefined();
    expect(refused!.headers.get('content-type')).toMatch(/^application\/json/);
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused!.json()).toMatchObject({ error: 'rate_limited', retryAfterSeconds: retryAfter });
    // Nothing was stored for the refused message.
    const stored = (await getConversation(cid)).messages.filter((m) => m.role === 'user');
    expect(stored.map((m) => m.content)).toEqual(Array.from({ length: ran }, (_, i) => `Turn ${i}`));
  }, 120_000);
});
