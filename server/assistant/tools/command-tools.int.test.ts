// The assistant's command and preview tools in real turns: a real Berth server (embedded
// PostgreSQL), a real workspace container with its agent and tmux terminals, and the
// OpenAI-compatible provider talking to a scripted chat-completions server on loopback. The
// scripted model calls the tools; the test checks what the model was told, the terminals the
// user sees, and that Ctrl+C reached a command (the next command runs at once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewDto, ProjectDto } from '../../contracts';
import { call, type TestServer, type TestUser } from '../../test-support/api-test-server';
import { closeProjectFixture, openProjectFixture, type ProjectFixture } from '../../test-support/project-fixture';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedStep,
} from '../../test-support/scripted-model-server';
import type { TestSocket } from '../../test-support/socket-client';
import type { TurnEvent } from '../models/model-provider';
import { OpenAICompatibleProvider } from '../models/openai-compatible-provider';
import { plainText } from './terminal-text';
import {
  ASSISTANT_TERMINAL_TITLE,
  createCommandTools,
  DEV_TERMINAL_TITLE,
  type CommandPreviews,
} from './command-tools';

let t: TestServer;
let alice: TestUser;
let project: ProjectDto;
let tab: TestSocket;
let model: ScriptedModelServer;
let provider: OpenAICompatibleProvider;

beforeAll(async () => {
  let fixture: ProjectFixture;
  [fixture, model] = await Promise.all([
    openProjectFixture({ name: 'Assistant commands', running: true }),
    startScriptedModelServer(),
  ]);
  ({ t, user: alice, project, tab } = fixture);
  provider = new OpenAICompatibleProvider({ baseUrl: model.baseUrl, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  await Promise.all([closeProjectFixture({ t, user: alice, project, tab }), model?.close()]);
});

/** The server's PreviewService, reached the way the preview pane reaches it (GET …/previews). */
const previews: CommandPreviews = {
  list: async (_userId, projectId) => {
    const answer = await call(t.baseUrl, 'GET', `/api/v1/projects/${projectId}/previews`, { cookie: alice.cookie });
    if (answer.status !== 200) throw new Error(`GET previews answered ${answer.status}`);
    return (await answer.json()) as PreviewDto[];
  },
};

const toolStep = (id: string, name: string, args: Record<string, unknown>): ScriptedStep => ({
  kind: 'tool-calls',
  calls: [{ id, name, argumentChunks: [JSON.stringify(args)] }],
});

let turns = 0;
function startTurn(onOutput?: (data: string) => void) {
  const stop = new AbortController();
  const tools = createCommandTools({
    terminals: t.server.terminals,
    previews,
    userId: alice.id,
    projectId: project.id,
    turnId: `turn-${++turns}`,
    signal: stop.signal,
    onOutput: onOutput && (({ data }) => onOutput(data)),
    portPollMs: 200,
    devServerWaitMs: 30_000,
  });
  const events = provider.streamTurn({
    model: 'scripted-model',
    system: 'You run commands in the project.',
    messages: [{ role: 'user', content: 'Build it' }],
    tools,
    abortSignal: stop.signal,
    maxSteps: 20,
  });
  return { stop, events: events[Symbol.asyncIterator]() };
}

async function drain(events: AsyncIterator<TurnEvent>): Promise<TurnEvent[]> {
  const seen: TurnEvent[] = [];
  for (let next = await events.next(); !next.done; next = await events.next()) seen.push(next.value);
  return seen;
}

function toolResultSent(callId: string): string {
  for (const request of model.chatRequests())
    for (const message of request.body?.messages ?? [])
      if (message.role === 'tool' && message.tool_call_id === callId)
        return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
  throw new Error(`the model was never sent the result of ${callId}`);
}

const terminalsTitled = async (title: string) =>
  (await t.server.terminals.list(project.id)).filter((terminal) => terminal.title === title);

describe('assistant command tools in a real turn', () => {
  it('runs commands in one "Assistant" terminal: output and exit code back, a failure with its code', async () => {
    model.enqueue(
      toolStep('r_echo', 'run_command', { command: 'echo hi && echo "second line"' }),
      toolStep('r_fail', 'run_command', { command: 'echo failing >&2; (exit 7)' }),
      toolStep('r_state', 'run_command', { command: 'cd /tmp && pwd # a trailing comment' }),
      toolStep('r_tab', 'run_command', { command: "printf '%s\\n' 'a\tb' | sed 's/\\t/<tab>/'" }),
      { kind: 'text', chunks: ['Done.'] },
    );
    const seen = await drain(startTurn().events);

    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(toolResultSent('r_echo')).toBe('Exit code 0.\nhi\nsecond line');
    expect(toolResultSent('r_fail')).toBe('Exit code 7.\nfailing');
    expect(toolResultSent('r_state')).toBe('Exit code 0.\n/tmp');
    expect(toolResultSent('r_tab')).toBe('Exit code 0.\na<tab>b');
    const assistant = await terminalsTitled(ASSISTANT_TERMINAL_TITLE);
    expect(assistant).toHaveLength(1);
    expect(assistant[0]!.state).toBe('running');

    // A later turn reuses the same terminal (the shell kept its working directory).
    model.enqueue(toolStep('r_again', 'run_command', { command: 'pwd' }), { kind: 'text', chunks: ['Ok.'] });
    await drain(startTurn().events);
    expect(toolResultSent('r_again')).toBe('Exit code 0.\n/tmp');
    expect((await terminalsTitled(ASSISTANT_TERMINAL_TITLE)).map((terminal) => terminal.id)).toEqual([
      assistant[0]!.id,
    ]);
  }, 90_000);

  it('gives the model only the tail of a long output, saying how much was left out', async () => {
    model.enqueue(toolStep('r_long', 'run_command', { command: 'seq 1 50000' }), { kind: 'text', chunks: ['Ok.'] });
    await drain(startTurn().events);

    const result = toolResultSent('r_long');
    expect(result).toMatch(/^Exit code 0\.\n\[\d+ earlier lines not shown\]\n/);
    const lines = result.split('\n').slice(2);
    expect(lines.length).toBeLessThanOrEqual(200);
    // A flood reaches us as tmux draws it (it may skip to a redraw of the screen), so only the
    // last screenful is sure to be whole: the end of the output, in order.
    expect(lines.slice(-20)).toEqual(Array.from({ length: 20 }, (_, index) => String(49_981 + index)));
  }, 60_000);

  it('interrupts a command that runs past its timeout with Ctrl+C; the shell takes the next one at once', async () => {
    model.enqueue(
      toolStep('r_slow', 'run_command', { command: 'echo started; sleep 30', timeoutSeconds: 1 }),
      // Were the sleep still running, this would wait for it and time out itself.
      toolStep('r_next', 'run_command', { command: 'echo back', timeoutSeconds: 10 }),
      { kind: 'text', chunks: ['Done.'] },
    );
    const startedAt = performance.now();
    const seen = await drain(startTurn().events);

    expect(seen.at(-1)).toMatchObject({ type: 'finish' });
    expect(toolResultSent('r_slow')).toMatch(
      /^Error: The command did not finish within 1 s and was interrupted with Ctrl\+C\. Output so far:\nstarted/,
    );
    expect(toolResultSent('r_next')).toBe('Exit code 0.\nback');
    expect(performance.now() - startedAt).toBeLessThan(15_000);
  }, 60_000);

  it('on Stop sends Ctrl+C at once: the turn ends promptly and the next command runs', async () => {
    let output = '';
    let stoppedAt = 0;
    // Stopped while the tool runs: the model is not called again.
    model.enqueue(toolStep('r_stopped', 'run_command', { command: 'echo sleeping; sleep 30' }));
    const turn = startTurn((data) => {
      output += data;
      if (!stoppedAt && /^sleeping$/m.test(plainText(output))) {
        stoppedAt = performance.now();
        turn.stop.abort(); // output comes after startTurn has returned
      }
    });
    const seen = await drain(turn.events);
    expect(stoppedAt).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ type: 'stopped' });
    expect(performance.now() - stoppedAt).toBeLessThan(3000);

    model.enqueue(toolStep('r_after_stop', 'run_command', { command: 'echo alive', timeoutSeconds: 10 }), {
      kind: 'text',
      chunks: ['Ok.'],
    });
    await drain(startTurn().events);
    expect(toolResultSent('r_after_stop')).toBe('Exit code 0.\nalive');
  }, 60_000);

  it('a stopped run_command answers within moments with the output so far', async () => {
    const stop = new AbortController();
    const tools = createCommandTools({
      terminals: t.server.terminals,
      previews,
      userId: alice.id,
      projectId: project.id,
      turnId: `turn-${++turns}`,
      signal: stop.signal,
      onOutput: ({ data }) => {
        output += data;
        if (!stop.signal.aborted && /^napping$/m.test(plainText(output))) stop.abort();
      },
    });
    let output = '';
    const result = tools.run_command.execute!(
      { command: 'echo napping; sleep 30' },
      { toolCallId: 'direct', messages: [], abortSignal: stop.signal },
    );
    await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    const stoppedAt = performance.now();
    expect(await result).toMatch(
      /^Error: The turn was stopped; the command was interrupted with Ctrl\+C\. Output so far:\nnapping/,
    );
    expect(performance.now() - stoppedAt).toBeLessThan(2500); // Ctrl+C, then at most 1 s for the prompt
    // A stopped turn's tools run nothing more.
    expect(
      await tools.run_command.execute!(
        { command: 'echo late' },
        { toolCallId: 'late', messages: [], abortSignal: stop.signal },
      ),
    ).toBe('Error: The turn was stopped; the command was not run');
  }, 60_000);

  it('starts a dev server in the "dev" terminal (a broken one reports its exit), returns its port; get_preview lists it', async () => {
    await t.server.files.writeText(
      { userId: alice.id },
      project.id,
      'server.cjs',
      "require('node:http').createServer((req, res) => res.end('hello')).listen(3000, '0.0.0.0', () => console.log('ready on 3000'));\n",
      null,
    );
    model.enqueue(
      toolStep('d_broken', 'start_dev_server', { command: 'node missing.cjs' }),
      toolStep('d_start', 'start_dev_server', { command: 'node server.cjs' }),
      toolStep('d_preview', 'get_preview', {}),
      { kind: 'text', chunks: ['Up.'] },
    );
    const seen = await drain(startTurn().events);

    expect(seen.at(-1)).toMatchObject({ type: 'finish' });
    expect(toolResultSent('d_broken')).toMatch(
      /^Error: The dev server command exited with code 1 before listening on a port\.\n[\s\S]*Cannot find module/,
    );
    expect(toolResultSent('d_start')).toMatch(
      /^The dev server is listening on port 3000 \(running in the "dev" terminal\); the preview is up at http:\/\/p-[0-9a-f]{32}\./,
    );
    expect(toolResultSent('d_preview')).toMatch(/^Port 3000: http:\/\/p-[0-9a-f]{32}\./);
    const dev = await terminalsTitled(DEV_TERMINAL_TITLE);
    expect(dev).toHaveLength(1);
    expect(dev[0]!.state).toBe('running');
  }, 90_000);
});
