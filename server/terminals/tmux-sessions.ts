// tmux sessions in a workspace, as terminals need them: create, attach (a tty exec Berth
// streams from), rename, kill, list and capture for adoption after a Berth restart.
import type { ExecSession, RuntimeDriver } from '../runtime';
import { runCommand } from './run-command';
import {
  attachCommand,
  captureCommand,
  captureToReplay,
  exitStatusCommand,
  killCommand,
  listCommand,
  newSessionCommand,
  parseExitStatus,
  parseSessionList,
  setTitleCommand,
  waitForSizeCommand,
  type TmuxSessionInfo,
} from './tmux-commands';

// The attach client's environment: tmux picks its terminal overrides by the client's TERM.
const CLIENT_ENV = { TERM: 'xterm-256color', COLORTERM: 'truecolor' };

export class TmuxSessions {
  constructor(private readonly driver: RuntimeDriver) {}

  async create(
    projectId: string,
    terminalId: string,
    title: string,
    createdAt: Date,
    size: { cols: number; rows: number },
  ): Promise<void> {
    const { code, output } = await runCommand(
      this.driver,
      projectId,
      newSessionCommand(terminalId, title, createdAt, size),
    );
    if (code !== 0) throw new Error(`could not start the terminal's tmux session: ${output.trim() || `exit ${code}`}`);
  }

  /** A tty exec attached to the session; its output is the terminal's screen. */
  attach(projectId: string, terminalId: string, size: { cols: number; rows: number }): Promise<ExecSession> {
    return this.driver.exec(projectId, attachCommand(terminalId, size), {
      tty: true,
      cols: size.cols,
      rows: size.rows,
      env: CLIENT_ENV,
      workingDir: '/workspace',
    });
  }

  /** After the attach client ended: still there (alive), or the shell's exit code (null if unknown). */
  async exitStatus(projectId: string, terminalId: string): Promise<'alive' | number | null> {
    try {
      return parseExitStatus((await runCommand(this.driver, projectId, exitStatusCommand(terminalId))).output);
    } catch {
      return null; // the workspace stopped: the session is gone with it
    }
  }

  /** Resolves once tmux has given the window (and so the shell) this size. */
  async settleSize(projectId: string, terminalId: string, size: { cols: number; rows: number }): Promise<void> {
    // Best effort: a workspace stopping meanwhile ends the terminal anyway.
    await runCommand(this.driver, projectId, waitForSizeCommand(terminalId, size)).catch(() => undefined);
  }

  async setTitle(projectId: string, terminalId: string, title: string): Promise<void> {
    await runCommand(this.driver, projectId, setTitleCommand(terminalId, title));
  }

  async kill(projectId: string, terminalId: string): Promise<void> {
    await runCommand(this.driver, projectId, killCommand(terminalId));
  }

  /** Berth's sessions in the workspace, oldest first; none when no tmux server runs. */
  async list(projectId: string): Promise<TmuxSessionInfo[]> {
    const { code, output } = await runCommand(this.driver, projectId, listCommand());
    return code === 0 ? parseSessionList(output) : [];
  }

  /** The session's scrollback and screen, ready to replay into a terminal. */
  async capture(projectId: string, terminalId: string): Promise<string> {
    const { code, output } = await runCommand(this.driver, projectId, captureCommand(terminalId));
    return code === 0 ? captureToReplay(output) : '';
  }
}
