// The assistant's shell and preview tools for one turn, as AI SDK tools: run_command (in the
// "Assistant" terminal the user sees and can type into; exit code and output tail back to the
// model; Ctrl+C on timeout or Stop), start_dev_server (in the "dev" terminal, like the IDE's Run
// button, waiting until a new port listens) and get_preview (the project's previews, as GET
// /api/v1/projects/:id/previews lists them). Everything goes through TerminalService and
// PreviewService; results are text, failures start with "Error:" and never leave the turn.
import { tool, type ToolSet, zodSchema } from 'ai';
import { z } from 'zod';
import type { PreviewDto } from '../../contracts';
import { runInTerminal, type CommandOutcome, type CommandTerminals } from './terminal-command';
import { tailOf } from './terminal-text';
import { asToolResult, toolError } from './tool-output';

export interface CommandPreviews {
  /** The previews of the ports listening in the project's workspace (PreviewService.list). */
  list(userId: string, projectId: string): Promise<PreviewDto[]>;
}

export interface CommandToolsOptions {
  terminals: CommandTerminals;
  previews: CommandPreviews;
  /** The user the turn runs for (previews are minted for them). */
  userId: string;
  projectId: string;
  turnId: string;
  /** The turn's stop: a running command gets Ctrl+C at once. */
  signal: AbortSignal;
  /** Live raw terminal output of a running command (for its card). */
  onOutput?: (event: { toolCallId: string; data: string }) => void;
  /** How long start_dev_server waits for a port (default DEV_SERVER_WAIT_MS). */
  devServerWaitMs?: number;
  /** How often start_dev_server looks at the listening ports (default 500 ms). */
  portPollMs?: number;
}

export const ASSISTANT_TERMINAL_TITLE = 'Assistant';
/** The IDE's Run button opens a terminal with this title too. */
export const DEV_TERMINAL_TITLE = 'dev';
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 120;
export const MAX_COMMAND_TIMEOUT_SECONDS = 600;
export const DEV_SERVER_WAIT_MS = 90_000;
/** What the model gets of a command's output. */
export const OUTPUT_TAIL_LINES = 200;
export const OUTPUT_TAIL_CHARS = 16 * 1024;
/** The Run button's command: dependencies (berth-install copies a template's prepared ones) only when missing. */
export const DEFAULT_DEV_COMMAND = 'test -d node_modules || berth-install && npm run dev';

export type CommandToolSet = ReturnType<typeof createCommandTools>;

// Made once: the SDK turns a schema into JSON Schema for every model call, and caches it on this object.
const runCommandInput = zodSchema(
  z.object({
    command: z.string().trim().min(1).max(10_000).describe('The shell command, e.g. "npm install zustand"'),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_COMMAND_TIMEOUT_SECONDS)
      .optional()
      .describe(`Ctrl+C after this many seconds (default ${DEFAULT_COMMAND_TIMEOUT_SECONDS})`),
  }),
);

const startDevServerInput = zodSchema(
  z.object({
    command: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe('The command that starts the server (default: npm run dev, installing dependencies first if needed)'),
    port: z.number().int().min(1).max(65535).optional().describe('The port to wait for (default: any new port)'),
  }),
);

const getPreviewInput = zodSchema(z.object({}));

export function createCommandTools(options: CommandToolsOptions) {
  // One command at a time in a turn's terminals (the model may call tools in parallel).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const stoppedError = () => toolError('The turn was stopped; the command was not run');

  return {
    run_command: tool({
      description:
        `Runs a shell command in the project's "${ASSISTANT_TERMINAL_TITLE}" terminal (bash; it starts in the project root ` +
        'and keeps its working directory between commands; the user sees it and may type into it) and returns its exit code and the last lines of its output. ' +
        'Do not start servers that never exit here: use start_dev_server. Interactive prompts cannot be answered: ' +
        'pass flags such as --yes. You get the end of the output as the terminal showed it; for a long output ' +
        'you need whole, redirect it to a file and read that, or pipe it through grep or tail.',
      inputSchema: runCommandInput,
      execute: ({ command, timeoutSeconds }, { toolCallId }) =>
        asToolResult(() =>
          serial(async () => {
            if (options.signal.aborted) return stoppedError();
            const running = await runInTerminal({
              terminals: options.terminals,
              projectId: options.projectId,
              title: ASSISTANT_TERMINAL_TITLE,
              command,
              timeoutMs: (timeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS) * 1000,
              signal: options.signal,
              interruptOnTimeout: true,
              onOutput: options.onOutput && ((data) => options.onOutput?.({ toolCallId, data })),
            });
            return describeRun(await running.outcome, timeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS);
          }),
        ),
    }),

    start_dev_server: tool({
      description:
        `Starts the project's dev server in the "${DEV_TERMINAL_TITLE}" terminal (what the IDE's Run button does: ` +
        'installs dependencies when node_modules is missing, then `npm run dev`), ending what that terminal ran ' +
        'before, and waits until it listens on a port. Returns the port; the preview pane shows it. ' +
        'The server must listen on 0.0.0.0 or localhost inside the workspace.',
      inputSchema: startDevServerInput,
      execute: ({ command, port }, { toolCallId }) =>
        asToolResult(() =>
          serial(async () => {
            if (options.signal.aborted) return stoppedError();
            return startDevServer(options, command ?? DEFAULT_DEV_COMMAND, port, toolCallId);
          }),
        ),
    }),

    get_preview: tool({
      description: 'Lists the ports listening in the project workspace and the preview URL of each.',
      inputSchema: getPreviewInput,
      execute: () =>
        asToolResult(async () => describePreviews(await options.previews.list(options.userId, options.projectId))),
    }),
  } satisfies ToolSet;
}

async function startDevServer(
  options: CommandToolsOptions,
  command: string,
  port: number | undefined,
  toolCallId: string,
): Promise<string> {
  const list = () => options.previews.list(options.userId, options.projectId);
  // Ports listening before: a port counts as the dev server's once it is new (or left and came back).
  const before = new Set((await list()).map((preview) => preview.port));
  const waitMs = options.devServerWaitMs ?? DEV_SERVER_WAIT_MS;
  const running = await runInTerminal({
    terminals: options.terminals,
    projectId: options.projectId,
    title: DEV_TERMINAL_TITLE,
    command,
    // Ends what the terminal ran (an earlier dev server) first; at a prompt it only redraws it.
    interruptFirst: true,
    timeoutMs: waitMs,
    signal: options.signal,
    interruptOnTimeout: false,
    onOutput: options.onOutput && ((data) => options.onOutput?.({ toolCallId, data })),
  });

  let found: PreviewDto | undefined;
  let polling = true;
  const poll = async () => {
    while (polling) {
      const previews = await list().catch(() => []);
      const listening = new Set(previews.map((preview) => preview.port));
      for (const gone of [...before]) if (!listening.has(gone)) before.delete(gone);
      found = previews.find((preview) => !before.has(preview.port) && (port === undefined || preview.port === port));
      if (found) {
        running.detach();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, options.portPollMs ?? 500));
    }
  };
  void poll();
  const outcome = await running.outcome;
  polling = false;

  const tail = outputTail(outcome.output);
  if (found)
    return `The dev server is listening on port ${found.port} (running in the "${DEV_TERMINAL_TITLE}" terminal); the preview is up at ${found.url}${tail ? `\nOutput so far:\n${tail}` : ''}`;
  switch (outcome.end.kind) {
    case 'exited':
      return toolError(
        `The dev server command exited with code ${outcome.end.exitCode} before listening on a port.\n${tail || '(no output)'}`,
      );
    case 'timed-out':
      return toolError(
        `No ${port === undefined ? 'new port' : `port ${port}`} opened within ${Math.round(waitMs / 1000)} s; the command is still running in the "${DEV_TERMINAL_TITLE}" terminal (call get_preview later, or fix the command).\n${tail || '(no output yet)'}`,
      );
    case 'stopped':
      return toolError('The turn was stopped while the dev server was starting; it keeps running.');
    case 'terminal-gone':
      return toolError(`The "${DEV_TERMINAL_TITLE}" terminal ended: ${outcome.end.reason}.\n${tail}`);
    case 'detached':
      return toolError('Stopped watching the dev server before a port opened.');
  }
}

function outputTail(output: string): string {
  const tail = tailOf(output, OUTPUT_TAIL_LINES, OUTPUT_TAIL_CHARS);
  return tail.omittedLines > 0 ? `[${tail.omittedLines} earlier lines not shown]\n${tail.text}` : tail.text;
}

function describeRun(outcome: CommandOutcome, timeoutSeconds: number): string {
  const tail = outputTail(outcome.output);
  const shown = tail ? `\n${tail}` : '\n(no output)';
  switch (outcome.end.kind) {
    case 'exited':
      return `Exit code ${outcome.end.exitCode}.${shown}`;
    case 'timed-out':
      return toolError(
        `The command did not finish within ${timeoutSeconds} s and was interrupted with Ctrl+C. Output so far:${shown}`,
      );
    case 'stopped':
      return toolError(`The turn was stopped; the command was interrupted with Ctrl+C. Output so far:${shown}`);
    case 'terminal-gone':
      return toolError(`The "${ASSISTANT_TERMINAL_TITLE}" terminal ended (${outcome.end.reason}). Output:${shown}`);
    case 'detached':
      return toolError(`Stopped watching the command. Output so far:${shown}`);
  }
}

function describePreviews(previews: PreviewDto[]): string {
  if (previews.length === 0)
    return 'Nothing is listening in the workspace (or it is not running). Start the app with start_dev_server.';
  return previews.map((preview) => `Port ${preview.port}: ${preview.url}`).join('\n');
}
