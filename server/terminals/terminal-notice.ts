// A line from Berth on every terminal of a workspace, e.g. "a process was killed: out of
// memory". It is written to each tmux pane's tty, like `wall`: tmux draws it in the pane (and
// keeps it in the scrollback), and the shell and what is typed at it are left alone.
import type { RuntimeDriver } from '../runtime';
import { runCommand } from './run-command';
import { TMUX } from './tmux-commands';

/** The sh wrapper's $0 is the text (bold red, on a line of its own) and "$@" tmux's pane list. */
export const noticeCommand = (text: string) => [
  'sh',
  '-c',
  'for tty in $("$@" 2>/dev/null); do printf "%s" "$0" > "$tty"; done',
  `\r\n\x1b[1;31m${text}\x1b[0m\r\n`,
  ...TMUX,
  'list-panes',
  '-a',
  '-F',
  '#{pane_tty}',
];

export const outOfMemoryNotice = (memoryLimitMb: number | null) =>
  `[Berth] A process was killed: the workspace ran out of memory${memoryLimitMb ? ` (limit ${memoryLimitMb} MB)` : ''}`;

export async function printTerminalNotice(driver: RuntimeDriver, projectId: string, text: string): Promise<void> {
  const { code, output } = await runCommand(driver, projectId, noticeCommand(text));
  if (code !== 0) throw new Error(`could not print on the terminals: ${output.trim() || `exit ${code}`}`);
}
