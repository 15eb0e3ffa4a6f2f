// Running one command in a terminal the user can see: a terminal found by title (reused while
// its shell runs, restarted when it ended, created when there is none), a sink attached to
// watch its output, the command typed with a done-marker (command-marker.ts), and the outcome
// once the marker shows, the time is up, the turn is stopped or the shell goes away. Everything
// goes through TerminalService, so the tab shows the same shell and the user can type into it.
import type { TerminalService, TerminalSink } from '../../terminals';
import { markCommand, newNonce } from './command-marker';
import { plainText } from './terminal-text';

export type CommandTerminals = Pick<TerminalService, 'list' | 'get' | 'create' | 'restart' | 'events'>;

/** The size a terminal the assistant opens starts with (a viewing tab resizes it). */
const NEW_TERMINAL_SIZE = { cols: 120, rows: 32 };
/** Raw output kept per command: enough for any tail the model is given. */
const MAX_RAW_CHARS = 512 * 1024;
/** After a Ctrl+C, how long to wait for the shell's prompt (so the tail ends with ^C and the prompt). */
const AFTER_INTERRUPT_MS = 1000;
/** After the marker, how long to wait for the prompt when the shell does not announce it. */
const PROMPT_WAIT_MS = 500;
/**
 * bash (readline) turns bracketed paste on as it starts reading a line: the prompt is ready. Keys
 * typed before it reach the tty's line editing instead of readline's (a quoted tab would complete).
 */
const PROMPT_READY = '\x1b[?2004h';

export const CTRL_C = '\x03';

/** How often a running command's card is told its output. */
export const LIVE_OUTPUT_MS = 100;
/** The end of the output a card is told. */
export const LIVE_OUTPUT_CHARS = 16 * 1024;

export type CommandEnd =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'timed-out' }
  | { kind: 'stopped' }
  | { kind: 'terminal-gone'; reason: string }
  /** Only when not waiting for the exit: the caller's own condition was met first. */
  | { kind: 'detached' };

export interface CommandOutcome {
  end: CommandEnd;
  terminalId: string;
  /** The command's output as plain text (the echo of the typed line removed when found). */
  output: string;
}

export interface TerminalCommand {
  terminalId: string;
  /** Resolves when the command ended, or when `until` says to stop watching. */
  outcome: Promise<CommandOutcome>;
  /** Stop watching now (e.g. the dev server's port opened); the command keeps running. */
  detach(): void;
  /** The output so far, as plain text. */
  outputSoFar(): string;
}

export interface RunInTerminalOptions {
  terminals: CommandTerminals;
  projectId: string;
  title: string;
  command: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Ctrl+C first, to end what a reused terminal was running (an earlier dev server). */
  interruptFirst?: boolean;
  /**
   * The command's output so far as plain text (its last LIVE_OUTPUT_CHARS; the typed command and
   * the markers left out), at most every LIVE_OUTPUT_MS and once at the end: each call replaces
   * the last, for a card showing the command as it runs.
   */
  onOutput?: (output: string) => void;
  /** On timeout: send Ctrl+C (run_command) or just stop waiting (a dev server keeps running). */
  interruptOnTimeout: boolean;
}

/** Finds or opens the terminal, types the command and watches it until it ends. */
export async function runInTerminal(options: RunInTerminalOptions): Promise<TerminalCommand> {
  const { terminals, projectId, signal } = options;
  const marked = markCommand(options.command, newNonce());
  let raw = '';
  let settle: ((end: CommandEnd) => void) | undefined;
  let outputArrived: ((data: string) => void) | undefined;
  let exitCode: number | null = null;
  let liveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Tells the card the output so far, once the command's own output has begun. */
  const tellLive = () => {
    clearTimeout(liveTimer);
    liveTimer = undefined;
    const plain = plainText(raw);
    if (marked.outputStart(plain) === 0) return;
    options.onOutput?.(marked.outputOf(plain).slice(-LIVE_OUTPUT_CHARS));
  };
  const sink: TerminalSink = {
    id: `assistant-${newNonce(16)}`,
    send: (data, ack) => {
      ack();
      raw += data;
      if (raw.length > MAX_RAW_CHARS) raw = raw.slice(-MAX_RAW_CHARS);
      if (options.onOutput && !liveTimer) liveTimer = setTimeout(tellLive, LIVE_OUTPUT_MS);
      outputArrived?.(data);
      if (exitCode !== null) return;
      // Only the recent end can hold a marker that was not there before.
      const recent = plainText(raw.slice(-(data.length + 1024)));
      exitCode = marked.exitCode(recent);
      // Done once the shell is back at its prompt, so a next command is typed into readline.
      if (exitCode !== null) {
        const end: CommandEnd = { kind: 'exited', exitCode };
        if (afterMarker(raw).includes(PROMPT_READY)) settle?.(end);
        else void untilPrompt(PROMPT_WAIT_MS).then(() => settle?.(end));
      }
    },
    dropped: () => settle?.({ kind: 'terminal-gone', reason: 'the terminal stopped taking output' }),
  };

  const { terminalId, reused } = await openTerminal(terminals, projectId, options.title, sink);
  const session = terminals.get(terminalId);
  const output = () => {
    return marked.outputOf(plainText(raw));
  };

  const outcome = new Promise<CommandOutcome>((resolve) => {
    const cleanups: (() => void)[] = [];
    let done = false;
    settle = (end) => {
      if (done) return;
      done = true;
      for (const cleanup of cleanups) cleanup();
      if (options.onOutput) tellLive();
      if (terminalStillThere(terminals, terminalId)) terminals.get(terminalId).detach(sink.id);
      resolve({ end, terminalId, output: output() });
    };
    const interrupt = (end: CommandEnd) => {
      try {
        session.write(CTRL_C);
      } catch {
        settle?.(end);
        return;
      }
      // Give the shell a moment to show the ^C and its prompt.
      void untilPrompt(AFTER_INTERRUPT_MS).then(() => settle?.(end));
    };
    const timer = setTimeout(() => {
      if (options.interruptOnTimeout) interrupt({ kind: 'timed-out' });
      else settle?.({ kind: 'timed-out' });
    }, options.timeoutMs);
    cleanups.push(() => clearTimeout(timer));
    const onAbort = () => (options.interruptOnTimeout ? interrupt({ kind: 'stopped' }) : settle?.({ kind: 'stopped' }));
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
    cleanups.push(
      terminals.events.on('onDidChange', (terminal) => {
        if (terminal.id === terminalId && terminal.state === 'exited')
          settle?.({ kind: 'terminal-gone', reason: `its shell exited (code ${terminal.exitCode ?? 'unknown'})` });
      }),
      terminals.events.on('onDidClose', (closed) => {
        if (closed.terminalId === terminalId) settle?.({ kind: 'terminal-gone', reason: 'the terminal was closed' });
      }),
    );
    if (signal.aborted) {
      settle({ kind: 'stopped' });
      return;
    }
    const type = (keys: string) => {
      try {
        session.write(keys);
      } catch (error) {
        settle?.({ kind: 'terminal-gone', reason: error instanceof Error ? error.message : String(error) });
      }
    };
    // A new shell runs nothing yet (and a Ctrl+C while it starts could flush the command).
    if (!options.interruptFirst || !reused) {
      type(marked.keystrokes);
      return;
    }
    // A Ctrl+C makes the tty flush what was typed after it: type the command once the prompt is back.
    type(CTRL_C);
    void untilPrompt(AFTER_INTERRUPT_MS).then(() => {
      if (!done) type(marked.keystrokes);
    });
  });

  /** Resolves when the shell shows its prompt (PROMPT_READY in the output from now on), or after `ms`. */
  function untilPrompt(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let seen = '';
      const timer = setTimeout(finish, ms);
      const listener = (data: string) => {
        seen += data;
        if (seen.includes(PROMPT_READY)) finish();
      };
      function finish() {
        clearTimeout(timer);
        if (outputArrived === listener) outputArrived = undefined;
        resolve();
      }
      outputArrived = listener;
    });
  }

  function afterMarker(text: string): string {
    const at = text.lastIndexOf(marked.printedPrefix);
    return at < 0 ? '' : text.slice(at);
  }

  return {
    terminalId,
    outcome,
    detach: () => settle?.({ kind: 'detached' }),
    outputSoFar: output,
  };
}

function terminalStillThere(terminals: CommandTerminals, terminalId: string): boolean {
  try {
    terminals.get(terminalId);
    return true;
  } catch {
    return false;
  }
}

/** The project's terminal with this title: reused while running, restarted when ended, else created. */
async function openTerminal(
  terminals: CommandTerminals,
  projectId: string,
  title: string,
  sink: TerminalSink,
): Promise<{ terminalId: string; reused: boolean }> {
  const named = (await terminals.list(projectId)).filter((terminal) => terminal.title === title);
  const running = named.find((terminal) => terminal.state === 'running');
  if (running) {
    terminals.get(running.id).attach(sink);
    return { terminalId: running.id, reused: true };
  }
  const ended = named[0];
  if (ended) return { terminalId: (await terminals.restart(ended.id, NEW_TERMINAL_SIZE, sink)).id, reused: false };
  return { terminalId: (await terminals.create(projectId, NEW_TERMINAL_SIZE, () => sink, title)).id, reused: false };
}
