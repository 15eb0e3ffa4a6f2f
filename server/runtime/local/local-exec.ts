// One process of a local workspace as an ExecSession. Without a tty it is a plain child process
// (stdout and stderr merged). With one it runs under util-linux `script`, which gives it a
// pseudo-terminal (Node has none built in): a small wrapper reports the terminal's path and the
// process's pid on fd 3, sets the size, then execs the command. So resize is `stty -F <pty>`
// (the kernel sends SIGWINCH, as for a real terminal) and close() hangs the process up.
import { execFile, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Disposer } from '../../core/typed-emitter';
import { ExecOutput } from '../exec-output';
import type { ExecSession } from '../runtime-driver';
import { spawnInWorkspace, type WorkspaceUser } from './workspace-process';

const execFileAsync = promisify(execFile);
// The same escalation as the Docker driver's close(): end of input, hang-up, then kill.
const CLOSE_GRACE_MS = 1000;
const HANGUP_GRACE_MS = 2000;
// After the process exits, output still in the pipe is read for this long (a background child
// that inherited the pipe could otherwise hold the session open).
const DRAIN_MS = 200;
// Prints "<tty> <pid>" on fd 3, closes it, sizes the terminal and becomes the command ($0 "$@").
const TTY_WRAPPER = 'printf "%s %s\\n" "$(tty)" "$$" >&3; exec 3>&-; stty cols "$1" rows "$2"; shift 2; exec "$@"';

export interface LocalExecSpec {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  user?: WorkspaceUser;
  tty: boolean;
  cols: number;
  rows: number;
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export class LocalExecSession implements ExecSession {
  private readonly child: ChildProcess;
  private readonly output: ExecOutput;
  private closing = false;
  /** With a tty: the terminal's path and the pid of the process on it (a session leader). */
  private readonly terminal: Promise<{ path: string; pid: number } | undefined>;

  constructor(private readonly spec: LocalExecSpec) {
    const { command, tty, cols, rows } = spec;
    const argv = tty
      ? [
          'script',
          '--quiet',
          '--flush',
          '--return',
          '--command',
          ['exec', 'sh', '-c', TTY_WRAPPER, 'sh', String(cols), String(rows), ...command].map(shellQuote).join(' '),
          '/dev/null',
        ]
      : command;
    this.child = spawnInWorkspace(argv, {
      cwd: spec.cwd,
      // script runs --command with $SHELL.
      env: tty ? { TERM: 'xterm', ...spec.env, SHELL: '/bin/sh' } : spec.env,
      user: spec.user,
      detached: true, // its own process group, so close() reaches what it started
      stdio: tty ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    });
    this.output = new ExecOutput((flowing) => {
      for (const stream of [this.child.stdout, this.child.stderr]) {
        if (!stream || stream.destroyed) continue;
        if (flowing) stream.resume();
        else stream.pause();
      }
    });
    this.terminal = tty ? readTerminal(this.child.stdio[3] as Readable) : Promise.resolve(undefined);
    for (const stream of [this.child.stdout, this.child.stderr])
      stream?.on('data', (chunk: Buffer) => this.output.deliver(chunk));
    this.child.stdin?.on('error', () => undefined); // writes after the process ended
    this.child.on('error', (error) => {
      this.output.deliver(Buffer.from(`${command[0]}: ${error.message}\n`));
      this.output.finish(127);
    });
    let drain: NodeJS.Timeout | undefined;
    this.child.on('exit', (code, signal) => {
      const status = code ?? (signal ? 128 + constants.signals[signal] : null);
      drain = setTimeout(() => {
        this.child.stdout?.destroy();
        this.child.stderr?.destroy();
        this.output.finish(status);
      }, DRAIN_MS);
      this.child.once('close', () => {
        clearTimeout(drain);
        this.output.finish(status);
      });
    });
  }

  /** The pid of the process (or of `script` holding its terminal): a root of the workspace's process tree. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  write(data: string | Buffer): void {
    const stdin = this.child.stdin;
    if (this.closing || this.output.exitCode !== undefined || !stdin || stdin.destroyed || stdin.writableEnded) return;
    stdin.write(data);
  }

  /** Resolves once the process has ended and onExit listeners were called. */
  get exited(): Promise<void> {
    return this.output.exited;
  }

  onData(listener: (chunk: Buffer) => void): Disposer {
    return this.output.onData(listener);
  }

  onExit(listener: (code: number | null) => void): Disposer {
    return this.output.onExit(listener);
  }

  async resize(cols: number, rows: number): Promise<void> {
    const terminal = await this.terminal;
    if (!terminal || this.output.exitCode !== undefined) return;
    try {
      await execFileAsync('stty', ['-F', terminal.path, 'cols', String(cols), 'rows', String(rows)]);
    } catch (error) {
      // The process may have ended meanwhile: nothing to resize then.
      if (this.output.exitCode === undefined && this.isAlive(terminal.pid)) throw error;
    }
  }

  pause(): void {
    this.output.pause();
  }

  resume(): void {
    this.output.resume();
  }

  close(): void {
    if (this.closing || this.output.exitCode !== undefined) return;
    this.closing = true;
    this.output.resume(); // a paused process could not finish
    this.child.stdin?.end();
    void this.escalate();
  }

  /** Ends it now, whatever it does (the workspace is stopping). */
  kill(): void {
    void this.signal('SIGKILL');
  }

  private async escalate(): Promise<void> {
    // End of input ends a pipe reader, but a pty never passes it on: hang up a tty at once.
    if (!this.spec.tty && (await this.output.endsWithin(CLOSE_GRACE_MS))) return;
    await this.signal('SIGHUP');
    if (await this.output.endsWithin(HANGUP_GRACE_MS)) return;
    await this.signal('SIGKILL');
  }

  /** Signals the process group: the command's own with a tty (script made it a session), else the child's. */
  private async signal(signal: NodeJS.Signals): Promise<void> {
    const terminal = await this.terminal.catch(() => undefined);
    for (const group of [terminal?.pid, this.child.pid]) {
      if (group === undefined) continue;
      try {
        process.kill(-group, signal);
      } catch {
        // already gone
      }
    }
  }

  private isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** The wrapper's "<tty> <pid>" line; undefined when the process ended before writing it. */
function readTerminal(stream: Readable): Promise<{ path: string; pid: number } | undefined> {
  return new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    // Not 'close': script keeps its own copy of fd 3 open until it exits.
    stream.on('data', (chunk: string) => {
      text += chunk;
      const match = /^(\/dev\/\S+) (\d+)\n/.exec(text);
      if (match) resolve({ path: match[1]!, pid: Number(match[2]) });
    });
    stream.on('error', () => resolve(undefined));
    stream.on('close', () => resolve(undefined));
  });
}
