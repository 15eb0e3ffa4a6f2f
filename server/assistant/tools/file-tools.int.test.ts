// The assistant's file tools in real turns: a real Berth server (embedded PostgreSQL), a real
// workspace container with its agent, and the OpenAI-compatible provider talking to a scripted
// chat-completions server on loopback. The scripted model calls the tools; the test checks the
// files in the container, the turn's change log, what the model was told, and the locks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileLockDto, ProjectDto } from '../../contracts';
import { run } from '../../runtime/runtime-test-helpers';
import type { TestServer, TestUser } from '../../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../../test-support/project-fixture';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedStep,
} from '../../test-support/scripted-model-server';
import type { TestSocket } from '../../test-support/socket-client';
import type { TurnEvent } from '../models/model-provider';
import { OpenAICompatibleProvider } from '../models/openai-compatible-provider';
import { createFileTools, type FileTools } from './file-tools';
import { SEARCH_REGEX_BUDGET_MS } from './search-tool';

let t: TestServer;
let alice: TestUser;
let project: ProjectDto;
let tab: TestSocket;
let model: ScriptedModelServer;
let provider: OpenAICompatibleProvider;

beforeAll(async () => {
  let fixture: ProjectFixture;
  [fixture, model] = await Promise.all([
    openProjectFixture({ name: 'Assistant tools', running: true }),
    startScriptedModelServer(),
  ]);
  ({ t, user: alice, project, tab } = fixture);
  provider = new OpenAICompatibleProvider({ baseUrl: model.baseUrl, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await Promise.all([closeProjectFixture({ t, user: alice, project, tab }), model?.close()]);
});

const sh = async (script: string) => (await run(t.server.runtime, project.id, ['sh', '-c', script])).output;
const content = (path: string) => `/api/v1/projects/${project.id}/files/content?path=${encodeURIComponent(path)}`;
/** A user's save over REST (no version condition: only a lock can refuse it). */
const userSave = (path: string, text: string) =>
  fetch(`${t.baseUrl}${content(path)}`, {
    method: 'PUT',
    headers: { Cookie: alice.cookie, Origin: t.origin },
    body: text,
  });
const seed = (path: string, text: string) =>
  t.server.files.writeText({ userId: alice.id }, project.id, path, text, null);
const locks = () => t.server.locks.list(project.id);

/** One model step calling one tool (the model sees each result before its next step). */
const toolStep = (id: string, name: string, args: Record<string, unknown>): ScriptedStep => ({
  kind: 'tool-calls',
  calls: [{ id, name, argumentChunks: [JSON.stringify(args)] }],
});

let turns = 0;
function startTurn(): { fileTools: FileTools; stop: AbortController; events: AsyncIterator<TurnEvent> } {
  const stop = new AbortController();
  const fileTools = createFileTools({
    files: t.server.files,
    locks: t.server.locks,
    actor: { userId: alice.id },
    projectId: project.id,
    turnId: `turn-${++turns}`,
    signal: stop.signal,
  });
  const events = provider.streamTurn({
    model: 'scripted-model',
    system: 'You edit the project with the file tools.',
    messages: [{ role: 'user', content: 'Make me a todo module' }],
    tools: fileTools.tools,
    abortSignal: stop.signal,
    maxSteps: 20,
  });
  return { fileTools, stop, events: events[Symbol.asyncIterator]() };
}

async function drain(events: AsyncIterator<TurnEvent>): Promise<TurnEvent[]> {
  const seen: TurnEvent[] = [];
  for (let next = await events.next(); !next.done; next = await events.next()) seen.push(next.value);
  return seen;
}

/** What the model was sent as the result of one tool call (in the request after it). */
function toolResultSent(callId: string): string {
  for (const request of model.chatRequests())
    for (const message of request.body?.messages ?? [])
      if (message.role === 'tool' && message.tool_call_id === callId)
        return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
  throw new Error(`the model was never sent the result of ${callId}`);
}

describe('assistant file tools in a real turn', () => {
  it('writes, edits (with an error and a retry), reads a range, lists, searches and deletes', async () => {
    await seed('old.txt', 'obsolete\n');
    await seed('src/keep.js', 'export const keep = true;\n');
    const requestsBefore = model.chatRequests().length;
    model.enqueue(
      toolStep('c_write', 'write_file', { path: 'src/todo.js', content: 'line1\nline2\nline3\n' }),
      toolStep('c_edit', 'edit_file', { path: 'src/todo.js', old: 'line2\n', new: 'LINE2\nextra\n' }),
      toolStep('c_missing', 'edit_file', { path: 'src/todo.js', old: 'line 3', new: 'x' }),
      toolStep('c_ambiguous', 'edit_file', { path: 'src/todo.js', old: 'line', new: 'x' }),
      toolStep('c_retry', 'edit_file', { path: 'src/todo.js', old: 'line3', new: 'line3 // done' }),
      toolStep('c_read', 'read_file', { path: 'src/todo.js', startLine: 2, endLine: 3 }),
      toolStep('c_list', 'list_files', { path: 'src' }),
      toolStep('c_search', 'search', { query: 'line3 //' }),
      toolStep('c_delete', 'delete_file', { path: 'old.txt' }),
      toolStep('c_escape', 'read_file', { path: '../etc/passwd' }),
      { kind: 'text', chunks: ['Done.'] },
    );
    const { fileTools, events } = startTurn();
    const seen = await drain(events).finally(() => fileTools.releaseLocks());

    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(model.chatRequests().length - requestsBefore).toBe(11);
    expect(await sh('cat src/todo.js')).toBe('line1\nLINE2\nextra\nline3 // done\n');
    expect(await sh('test -e old.txt && echo present || echo gone')).toBe('gone\n');

    expect(toolResultSent('c_write')).toContain('Created src/todo.js (3 lines)');
    expect(toolResultSent('c_edit')).toContain('Edited src/todo.js at line 2');
    expect(toolResultSent('c_missing')).toMatch(
      /^Error: The `old` text was not found in src\/todo\.js; nothing was changed/,
    );
    expect(toolResultSent('c_ambiguous')).toMatch(/^Error: The `old` text occurs 2 times \(at lines 1, 4\)/);
    expect(toolResultSent('c_retry')).toContain('Edited src/todo.js at line 4');
    expect(toolResultSent('c_read')).toBe('src/todo.js: lines 2-3 of 4\nLINE2\nextra');
    expect(toolResultSent('c_list')).toBe('Contents of src/:\nsrc/keep.js (26 B)\nsrc/todo.js (32 B)');
    expect(toolResultSent('c_search')).toBe('src/todo.js:4: line3 // done');
    expect(toolResultSent('c_delete')).toBe('Deleted old.txt.');
    // A path outside the project never reaches a tool: the SDK tells the model the input was invalid.
    expect(toolResultSent('c_escape')).toMatch(/^Invalid input for tool read_file[\s\S]*Paths must not contain/);

    expect(fileTools.changeLog.changes()).toEqual([
      { path: 'src/todo.js', change: 'created', linesBefore: null, linesAfter: 4, added: 4, removed: 0 },
      { path: 'old.txt', change: 'deleted', linesBefore: 1, linesAfter: null, added: 0, removed: 1 },
    ]);
    expect(locks()).toEqual([]);
  }, 60_000);

  it('tells the model clearly about binary files, folders, missing files, caps and bad patterns', async () => {
    await sh(
      "mkdir -p edge/node_modules/pkg && printf 'x\\000y' > edge/logo.bin && echo 'module.exports = 1' > edge/node_modules/pkg/index.js && seq 1 1000 > edge/long.txt",
    );
    model.enqueue(
      toolStep('e_binary', 'read_file', { path: 'edge/logo.bin' }),
      toolStep('e_long', 'read_file', { path: 'edge/long.txt' }),
      toolStep('e_read_folder', 'read_file', { path: 'edge' }),
      toolStep('e_write_folder', 'write_file', { path: 'edge', content: 'x' }),
      toolStep('e_edit_missing', 'edit_file', { path: 'edge/none.txt', old: 'a', new: 'b' }),
      toolStep('e_delete_missing', 'delete_file', { path: 'edge/none.txt' }),
      toolStep('e_tree', 'list_files', { path: 'edge', recursive: true }),
      toolStep('e_capped', 'list_files', { path: 'edge', recursive: true, maxEntries: 2 }),
      toolStep('e_regex', 'search', { query: '^99[0-9]$', regex: true, path: 'edge' }),
      toolStep('e_bad_regex', 'search', { query: '(', regex: true }),
      toolStep('e_nested', 'search', { query: '^(99\\d*)+$', regex: true, path: 'edge' }),
      toolStep('e_write', 'write_file', { path: 'edge/made.txt', content: 'made\n' }),
      { kind: 'text', chunks: ['Checking'], hang: true },
    );
    const { fileTools, stop, events } = startTurn();
    try {
      for (let next = await events.next(); ; next = await events.next()) {
        if (next.done) throw new Error('the turn ended before the model paused');
        if (next.value.type === 'text') break;
      }
      // Only the file it changed stays locked: the failed edit and delete gave their locks back.
      expect(locks().map((lock) => lock.path)).toEqual(['edge/made.txt']);
      stop.abort();
      await drain(events);
    } finally {
      await fileTools.releaseLocks();
    }

    expect(toolResultSent('e_binary')).toMatch(/^Error: edge\/logo\.bin is a binary file \(3 B\)/);
    expect(toolResultSent('e_long')).toMatch(
      /^edge\/long\.txt: lines 1-400 of 1000 \(more: call again with startLine 401\)\n1\n2\n/,
    );
    expect(toolResultSent('e_read_folder')).toBe('Error: Not a file: edge');
    expect(toolResultSent('e_write_folder')).toBe('Error: edge is a folder, not a file');
    expect(toolResultSent('e_edit_missing')).toBe('Error: edge/none.txt does not exist. Create it with write_file.');
    expect(toolResultSent('e_delete_missing')).toBe('Error: edge/none.txt does not exist; nothing to delete.');
    const tree = toolResultSent('e_tree');
    expect(tree).toContain('edge/node_modules/ (not expanded)');
    expect(tree).toContain('edge/long.txt');
    expect(tree).not.toContain('edge/node_modules/pkg');
    expect(toolResultSent('e_capped')).toMatch(/more entries not shown \(limit 2\)/);
    expect(toolResultSent('e_regex').split('\n')).toEqual(
      Array.from({ length: 10 }, (_, index) => `edge/long.txt:${990 + index}: ${990 + index}`),
    );
    expect(toolResultSent('e_bad_regex')).toMatch(/^Error: Invalid regular expression/);
    // A repeated group is fine when it does not backtrack away: only the time budget refuses a pattern.
    expect(toolResultSent('e_nested').split('\n')).toEqual([
      'edge/long.txt:99: 99',
      ...Array.from({ length: 10 }, (_, index) => `edge/long.txt:${990 + index}: ${990 + index}`),
    ]);
    expect(fileTools.changeLog.changes()).toEqual([
      { path: 'edge/made.txt', change: 'created', linesBefore: null, linesAfter: 1, added: 1, removed: 0 },
    ]);
    expect(locks()).toEqual([]);
  }, 60_000);

  it('answers a catastrophically backtracking regular expression with an error in bounded time, Berth still responsive', async () => {
    // (a|aa)+$ against 100 a's and a "!" tries every split of the a's: years in one match.
    await sh(
      `mkdir -p redos && printf '%s!\\n' "$(printf 'a%.0s' $(seq 1 100))" > redos/line.txt && echo 'v 1.2.3' > redos/version.txt`,
    );
    const { fileTools, stop } = startTurn();
    const options = { toolCallId: 'c_redos', messages: [], abortSignal: stop.signal };
    const search = (query: string) =>
      fileTools.tools.search.execute!(
        { query, regex: true, caseSensitive: false, path: 'redos', maxResults: 50 },
        options,
      ) as Promise<string>;
    try {
      // The event loop keeps turning while the pattern runs: Berth's other users are served.
      let longestGapMs = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
      }, 20);
      const started = performance.now();
      const [answer, health] = await Promise.all([
        search('(a|aa)+$').finally(() => clearInterval(ticker)),
        fetch(`${t.baseUrl}/api/v1/projects/${project.id}`, { headers: { Cookie: alice.cookie } }),
      ]);
      const tookMs = performance.now() - started;
      expect(answer).toMatch(/^Error: The regular expression took over 3 s to match and was stopped/);
      expect(tookMs).toBeLessThan(SEARCH_REGEX_BUDGET_MS + 5_000);
      expect(longestGapMs).toBeLessThan(1_000);
      expect(health.status).toBe(200);
      // A nested repetition that does not run away is searched as usual.
      expect(await search('(\\d+\\.)+\\d+')).toBe('redos/version.txt:1: v 1.2.3');
    } finally {
      stop.abort();
      await fileTools.releaseLocks();
    }
  }, 60_000);

  it('holds the lock of a file it wrote until the turn ends: a user save meanwhile gets 423', async () => {
    await seed('held.txt', 'before\n');
    model.enqueue(toolStep('c_hold', 'write_file', { path: 'held.txt', content: 'from the assistant\n' }), {
      kind: 'text',
      chunks: ['Still working'],
      hang: true,
    });
    const { fileTools, stop, events } = startTurn();
    try {
      // The model's next step streams only after the write's result: the lock is taken by then.
      for (let next = await events.next(); ; next = await events.next()) {
        if (next.done) throw new Error('the turn ended before the model paused');
        if (next.value.type === 'text') break;
      }
      expect(locks()).toEqual([
        expect.objectContaining<Partial<FileLockDto>>({ path: 'held.txt', holder: 'Assistant' }),
      ]);
      const refused = await userSave('held.txt', 'from the user\n');
      expect(refused.status).toBe(423);
      expect(await refused.json()).toMatchObject({ error: 'locked' });
      expect(await sh('cat held.txt')).toBe('from the assistant\n');

      stop.abort();
      expect((await drain(events)).at(-1)).toEqual({ type: 'stopped' });
    } finally {
      await fileTools.releaseLocks();
    }
    expect(locks()).toEqual([]);
    expect((await userSave('held.txt', 'from the user\n')).status).toBe(200);
    expect(await sh('cat held.txt')).toBe('from the user\n');
  }, 60_000);

  it('on stop, releaseLocks waits for a write already landing, and the change log has it', async () => {
    const { fileTools, stop } = startTurn();
    const lockTaken = new Promise<void>((resolve) => {
      const dispose = t.server.locks.events.on('onDidChange', ({ projectId, locks: held }) => {
        if (projectId !== project.id || !held.some((lock) => lock.path === 'landing.txt')) return;
        dispose();
        resolve();
      });
    });
    const options = { toolCallId: 'c_landing', messages: [], abortSignal: stop.signal };
    const writing = fileTools.tools.write_file.execute!({ path: 'landing.txt', content: 'landed\n' }, options);
    await lockTaken; // the write is under way: its lock is taken, its read and write are still to come
    stop.abort();
    const refused = fileTools.tools.write_file.execute!({ path: 'late.txt', content: 'too late\n' }, options);
    await fileTools.releaseLocks();
    // Complete as soon as releaseLocks is done: the turn engine stores it right then.
    expect(fileTools.changeLog.changes().map((change) => change.path)).toEqual(['landing.txt']);
    expect(locks()).toEqual([]);
    expect(await writing).toBe('Created landing.txt (1 line).');
    expect(await refused).toBe('Error: The turn was stopped; nothing was changed');
    expect(await sh('cat landing.txt; test -e late.txt && echo late present')).toBe('landed\n');
  }, 60_000);

  it('leaves a file the user has locked alone and tells the model the user is editing it', async () => {
    await seed('mine.txt', 'the user’s text\n');
    await tab.ok<FileLockDto>('fs:lock', { projectId: project.id, path: 'mine.txt', ttlSeconds: 60 });
    try {
      model.enqueue(
        toolStep('c_user_locked', 'write_file', { path: 'mine.txt', content: 'overwritten\n' }),
        toolStep('c_user_locked_edit', 'edit_file', { path: 'mine.txt', old: 'text', new: 'words' }),
        { kind: 'text', chunks: ['I left mine.txt alone.'] },
      );
      const { fileTools, events } = startTurn();
      const seen = await drain(events).finally(() => fileTools.releaseLocks());

      expect(seen.at(-1)).toMatchObject({ type: 'finish' });
      expect(seen.filter((event) => event.type === 'tool-error')).toEqual([]);
      for (const callId of ['c_user_locked', 'c_user_locked_edit'])
        expect(toolResultSent(callId)).toMatch(
          new RegExp(`^Error: The user is editing mine\\.txt \\(locked by ${alice.name}\\), so it was not changed`),
        );
      expect(await sh('cat mine.txt')).toBe('the user’s text\n');
      expect(fileTools.changeLog.changes()).toEqual([]);
      expect(locks()).toEqual([
        expect.objectContaining<Partial<FileLockDto>>({ path: 'mine.txt', holder: alice.name }),
      ]);
    } finally {
      await tab.ok('fs:unlock', { projectId: project.id, path: 'mine.txt' });
    }
  }, 60_000);
});
