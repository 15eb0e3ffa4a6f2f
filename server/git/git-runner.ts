// Runs one git command inside a project's workspace container, through the runtime's exec (as
// the workspace user, uid 1000), never a shell line: arguments travel as an argv array. The
// runtime merges stdout and stderr, so a tiny sh wrapper captures stderr and prints it after
// stdout behind a random marker; stdout (porcelain, blobs) stays byte-exact. Every command gets
// the same guard rails: no hooks, no fsmonitor, no prompts, literal pathspecs, a time limit
// and an output cap.
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { ExecOptions, ExecSession } from '../runtime';
import { CREDENTIAL_SERVER, type GitCredential } from './git-credential-channel';

export interface ExecRunner {
  exec(projectId: string, command: string[], options: ExecOptions): Promise<ExecSession>;
}

/** The runtime's workspace directory (the container's WorkingDir and the volume's mount point). */
export const WORKSPACE_DIR = '/workspace';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export interface GitRunOptions {
  timeoutMs?: number;
  /** Basic-auth credentials for this command only: see git-credential-channel.ts. */
  credential?: GitCredential;
  /** Stdout past this is cut off and `truncated` set (the process is ended). */
  maxBytes?: number;
  /**
   * Gets git's stderr as it comes (its progress, `--progress`), not only once git is done. Its
   * stdout is then merged into stderr: only for commands whose stdout is not read (fetch, push).
   */
  onStderr?: (text: string) => void;
}

export interface GitResult {
  /** The exit code; -1 when the time limit ended it, null when unknown. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

// Settings that hold for every command, whatever the repository's own config says: a cloned or
// pulled repository must not run its hooks or a command of its choosing, and output is plain.
const GUARD_CONFIG = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.quotePath=false',
  'color.ui=false',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
  'advice.detachedHead=false',
  'init.defaultBranch=main',
];

const ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '/bin/false',
  GIT_EDITOR: 'false',
  // Paths after `--` are file names, never patterns (a file named `*` or `:(glob)x`).
  GIT_LITERAL_PATHSPECS: '1',
  // /workspace is the repository or nothing: never a repository above it.
  GIT_CEILING_DIRECTORIES: '/',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
};

// $1 is the marker, the rest the command; its stderr is held in a variable and printed after its stdout.
const WRAPPER = 'm=$1; shift; { e=$("$@" 2>&1 1>&3 3>&-); c=$?; } 3>&1; printf "%s%s" "$m" "$e"; exit $c';
// With onStderr: the marker first, then the command's stderr (and stdout) as it writes it.
const LIVE_WRAPPER = 'm=$1; shift; printf "%s" "$m"; exec "$@" 2>&1';

// bash: $1 is a separator; the commands follow, separated by it. Each runs if the one before
// succeeded, and prints the separator after its stdout so the outputs can be told apart.
const SEQUENCE =
  's=$1; shift; cur=(); for a in "$@" "$s"; do if [ "$a" = "$s" ]; then "${cur[@]}" || exit $?; printf "%s" "$s"; cur=(); else cur+=("$a"); fi; done';

const READ_FILE = 'if [ -L "$1" ]; then t=$(readlink -- "$1") && printf "%s" "$t"; else cat -- "$1"; fi';

export class GitRunner {
  constructor(private readonly runtime: ExecRunner) {}

  /** `git -C /workspace -c <guards> …args`; `config` adds per-command `-c name=value` settings. */
  async git(
    projectId: string,
    args: string[],
    options: GitRunOptions & { config?: string[] } = {},
  ): Promise<GitResult> {
    return this.run(projectId, this.command(args, options.config), options);
  }

  private command(args: string[], config: string[] = []): string[] {
    const settings = [...GUARD_CONFIG, ...config].flatMap((setting) => ['-c', setting]);
    return ['git', '-C', WORKSPACE_DIR, ...settings, ...args];
  }

  /**
   * Several git commands in one exec (each exec costs tens of milliseconds), each only if the
   * ones before succeeded: the result's `outputs` holds each command's stdout, as far as they ran.
   */
  async gitSequence(
    projectId: string,
    commands: { args: string[]; config?: string[] }[],
    options: GitRunOptions = {},
  ): Promise<GitResult & { outputs: Buffer[] }> {
    const separator = `\n@@berth-next-${randomBytes(12).toString('hex')}@@\n`;
    const argv = commands.flatMap(({ args, config }, i) => [
      ...(i > 0 ? [separator] : []),
      ...this.command(args, config),
    ]);
    const result = await this.run(projectId, ['bash', '-c', SEQUENCE, 'bash', separator, ...argv], options);
    return { ...result, outputs: splitBuffer(result.stdout, separator) };
  }

  /**
   * A working-tree file's bytes, as git sees them: a symlink is its target's name, not the
   * file it points to. Read in the same container and as the same user as git.
   */
  async readFile(projectId: string, path: string, options: GitRunOptions = {}): Promise<GitResult> {
    return this.run(projectId, ['sh', '-c', READ_FILE, 'sh', `${WORKSPACE_DIR}/${path}`], options);
  }

  /** A small sh script of Berth's own (no user input in it) in the workspace container, as the workspace user. */
  async shell(projectId: string, script: string, options: GitRunOptions = {}): Promise<GitResult> {
    return this.run(projectId, ['sh', '-c', script], options);
  }

  private async run(projectId: string, command: string[], options: GitRunOptions): Promise<GitResult> {
    const marker = `\n@@berth-stderr-${randomBytes(12).toString('hex')}@@\n`;
    const { credential } = options;
    // With a credential: CREDENTIAL_SERVER says `ready` first, then gets the credential on stdin.
    const ready = credential ? `@@berth-ready-${randomBytes(12).toString('hex')}@@` : '';
    const wrapper = options.onStderr ? LIVE_WRAPPER : WRAPPER;
    const argv = credential
      ? ['node', '-e', CREDENTIAL_SERVER, '--', ready, wrapper, marker, ...command]
      : ['sh', '-c', wrapper, 'sh', marker, ...command];
    const live = options.onStderr ? liveStderr(marker, options.onStderr) : null;
    const session = await this.runtime.exec(projectId, argv, {
      tty: false,
      env: ENV,
      workingDir: WORKSPACE_DIR,
    });
    const maxBytes = (options.maxBytes ?? DEFAULT_MAX_BYTES) + marker.length + 64 * 1024;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let truncated = false;
    let head: Buffer | null = credential ? Buffer.alloc(0) : null;
    session.onData((data) => {
      let chunk = data;
      if (head) {
        // Until the ready line has come, the output is held back: it is not the command's.
        head = Buffer.concat([head, chunk]);
        if (head.length < ready.length && ready.startsWith(head.toString('utf8'))) return;
        if (head.subarray(0, ready.length).toString('utf8') === ready) {
          session.write(`${credential!.username}\n${credential!.password}\n`);
          chunk = head.subarray(ready.length);
        } else {
          chunk = head;
        }
        head = null;
      }
      if (truncated) return;
      live?.(chunk);
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes > maxBytes) {
        truncated = true;
        session.close();
      }
    });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { code, timedOut } = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        session.close();
        resolve({ code: -1, timedOut: true });
      }, timeoutMs);
      session.onExit((exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, timedOut: false });
      });
    });
    const output = Buffer.concat(chunks);
    const at = output.lastIndexOf(marker);
    // (With onStderr the marker comes first: a time limit still counts as one.)
    if (at < 0 || timedOut) {
      // Cut off (size or time) before git finished: whatever came is stdout.
      const cap = options.maxBytes ?? DEFAULT_MAX_BYTES;
      return {
        code: timedOut ? -1 : code,
        stdout: output.subarray(0, cap),
        stderr: timedOut ? `git took longer than ${Math.round(timeoutMs / 1000)} s and was stopped` : '',
        truncated: truncated || output.length > cap,
        timedOut,
      };
    }
    const stdout = output.subarray(0, at);
    const cap = options.maxBytes ?? DEFAULT_MAX_BYTES;
    return {
      code,
      stdout: stdout.subarray(0, cap),
      stderr: output.subarray(at + marker.length).toString('utf8'),
      truncated: truncated || stdout.length > cap,
      timedOut: false,
    };
  }
}

/** Hands on what follows the marker, decoded as UTF-8 (a character cut between chunks waits). */
function liveStderr(marker: string, onStderr: (text: string) => void): (chunk: Buffer) => void {
  const decoder = new StringDecoder('utf8');
  let head: Buffer | null = Buffer.alloc(0);
  return (chunk) => {
    let rest = chunk;
    if (head) {
      head = Buffer.concat([head, chunk]);
      const at = head.indexOf(marker);
      if (at < 0) return;
      rest = head.subarray(at + marker.length);
      head = null;
    }
    const text = decoder.write(rest);
    if (text) onStderr(text);
  };
}

function splitBuffer(buffer: Buffer, separator: string): Buffer[] {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const next = buffer.indexOf(separator, at);
    if (next < 0) break;
    parts.push(buffer.subarray(at, next));
    at = next + separator.length;
  }
  if (at < buffer.length) parts.push(buffer.subarray(at));
  return parts;
}

/** What git said, for a refusal: stderr first (its errors), else stdout's last lines. */
export function gitMessage(result: GitResult): string {
  const text = (result.stderr.trim() || result.stdout.toString('utf8').trim()).replace(/\r/g, '');
  const lines = text.split('\n').filter((line) => !line.startsWith('hint:'));
  return lines.join('\n').slice(0, 4000) || `git exited with code ${String(result.code)}`;
}
