// The tmux command lines behind Berth's terminals, as argv arrays (no shell quoting of user
// text). One tmux server per workspace on a socket in /tmp: /tmp goes with the container, and
// so do the sessions — they outlive Berth's process, not the workspace. Each terminal is the
// session `berth-<terminal id>`; its title and creation time live in session options, so a
// restarted Berth recovers them from the container itself (nothing to keep in sync elsewhere).
import { SANE_TERMINAL_PROMPT_COMMAND } from './terminal-reset';

const DIR = '/tmp/berth-tmux';
const SOCKET = `${DIR}/tmux.sock`;
// Written by docker/workspace/tmux.conf into the image.
const CONFIG = '/opt/berth/tmux.conf';
const PREFIX = 'berth-';
// Terminal ids are UUIDs; a session someone else named berth-… is not one of Berth's.
const TERMINAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TITLE_OPTION = '@berth_title';
const CREATED_OPTION = '@berth_created';
// -u: the panes are UTF-8 whatever the locale says.
export const TMUX = ['tmux', '-u', '-S', SOCKET];

export interface TmuxSessionInfo {
  terminalId: string;
  title: string;
  createdAt: Date;
  cols: number;
  rows: number;
}

export const sessionName = (terminalId: string) => `${PREFIX}${terminalId}`;
/** `=` asks for this exact session (not a prefix match); `:` makes it a pane target too. */
const target = (terminalId: string) => `=${sessionName(terminalId)}:`;
const exitFile = (terminalId: string) => `${DIR}/${terminalId}.exit`;
// tmux ends a command at an argument ending in ';', and list output is tab-separated: titles
// are stored URI-encoded, which leaves neither.
const encode = (text: string) => encodeURIComponent(text);

/**
 * Creates the detached session running a login shell in /workspace. A small sh wrapper keeps
 * the shell's exit code in a file (the session is gone once the shell exits) and clears
 * TMUX so the user can run a tmux of their own. The exec's session id is dropped so the tmux
 * server (forked from this command) is never signalled as part of a Berth exec. Its
 * PROMPT_COMMAND brings every prompt back readable after binary output (terminal-reset.ts).
 */
export function newSessionCommand(
  terminalId: string,
  title: string,
  createdAt: Date,
  size: { cols: number; rows: number },
): string[] {
  const name = sessionName(terminalId);
  const shell = ['sh', '-c', 'env -u TMUX -u TMUX_PANE bash -l; echo $? > "$0"', exitFile(terminalId)];
  return [
    'sh',
    '-c',
    `mkdir -p ${DIR} && exec env -u BERTH_EXEC_SESSION "$@"`,
    'sh',
    ...TMUX,
    '-f',
    CONFIG,
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(size.cols),
    '-y',
    String(size.rows),
    '-c',
    '/workspace',
    '-e',
    'COLORTERM=truecolor',
    '-e',
    `PROMPT_COMMAND=${SANE_TERMINAL_PROMPT_COMMAND}`,
    '--',
    ...shell,
    ';',
    'set-option',
    '-t',
    `=${name}:`,
    TITLE_OPTION,
    encode(title),
    ';',
    'set-option',
    '-t',
    `=${name}:`,
    CREATED_OPTION,
    createdAt.toISOString(),
  ];
}

/**
 * Attaches with a tty; -d detaches other clients (a stale one left by a Berth that went away).
 * The engine's exec tty starts at 0×0 and is sized a moment later: set the size first, or
 * tmux takes 80×24 for the window and the shell sees that until the resize gets through.
 */
export const attachCommand = (terminalId: string, size: { cols: number; rows: number }) => [
  'sh',
  '-c',
  'stty cols "$0" rows "$1" 2>/dev/null; shift; exec "$@"',
  String(size.cols),
  String(size.rows),
  ...TMUX,
  'attach-session',
  '-d',
  '-t',
  `=${sessionName(terminalId)}`,
];

/**
 * Waits (up to a second) until the window has the given size. A tty resize reaches tmux as a
 * signal to its client, which then tells the server; input typed meanwhile goes straight to
 * the server and could reach the shell first, so a resize is answered once it took effect.
 */
export const waitForSizeCommand = (terminalId: string, size: { cols: number; rows: number }) => [
  'sh',
  '-c',
  'i=0; while [ "$("$@" 2>/dev/null)" != "$0" ] && [ $i -lt 100 ]; do sleep 0.01; i=$((i+1)); done',
  `${size.cols}x${size.rows}`,
  ...TMUX,
  'display-message',
  '-p',
  '-t',
  target(terminalId),
  '#{window_width}x#{window_height}',
];

export const setTitleCommand = (terminalId: string, title: string) => [
  ...TMUX,
  'set-option',
  '-t',
  target(terminalId),
  TITLE_OPTION,
  encode(title),
];

// In the sh wrappers below, $0 is the exit file and "$@" the tmux command: no text is spliced
// into the script.
export const killCommand = (terminalId: string) => [
  'sh',
  '-c',
  '"$@" 2>/dev/null; rm -f "$0"',
  exitFile(terminalId),
  ...TMUX,
  'kill-session',
  '-t',
  `=${sessionName(terminalId)}`,
];

/** Prints `alive` while the session exists, else the shell's exit code if it was recorded. */
export const exitStatusCommand = (terminalId: string) => [
  'sh',
  '-c',
  'if "$@" 2>/dev/null; then echo alive; else cat "$0" 2>/dev/null; rm -f "$0"; fi',
  exitFile(terminalId),
  ...TMUX,
  'has-session',
  '-t',
  `=${sessionName(terminalId)}`,
];

export function parseExitStatus(output: string): 'alive' | number | null {
  const text = output.trim();
  if (text === 'alive') return 'alive';
  return /^\d+$/.test(text) ? Number(text) : null;
}

const LIST_FORMAT = [
  '#{session_name}',
  `#{${TITLE_OPTION}}`,
  `#{${CREATED_OPTION}}`,
  '#{window_width}',
  '#{window_height}',
].join('\t');
export const listCommand = () => [...TMUX, 'list-sessions', '-F', LIST_FORMAT];

export function parseSessionList(output: string): TmuxSessionInfo[] {
  const sessions: TmuxSessionInfo[] = [];
  for (const line of output.split('\n')) {
    const [name, title, created, cols, rows] = line.split('\t');
    if (!name?.startsWith(PREFIX) || rows === undefined || !TERMINAL_ID.test(name.slice(PREFIX.length))) continue;
    const createdAt = new Date(created ?? '');
    sessions.push({
      terminalId: name.slice(PREFIX.length),
      title: safeDecode(title ?? '') || 'Terminal',
      createdAt: Number.isNaN(createdAt.getTime()) ? new Date() : createdAt,
      cols: Number(cols) || 80,
      rows: Number(rows) || 24,
    });
  }
  return sessions.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The pane's history and screen with colours (-e), wrapped lines joined (-J). */
export const captureCommand = (terminalId: string) => [
  ...TMUX,
  'capture-pane',
  '-p',
  '-e',
  '-J',
  '-S',
  '-',
  '-E',
  '-',
  '-t',
  target(terminalId),
];

/** capture-pane separates lines with \n; a terminal needs \r\n to return to column 0. */
export const captureToReplay = (output: string) => output.replace(/\r?\n/g, '\r\n');

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
