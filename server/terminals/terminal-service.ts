// Terminals per project: a login shell (`bash -l` with a TTY) exec'd in the workspace. Sessions
// live on the server while browsers come and go; they end when the shell exits or the
// workspace stops (the tab then offers a restart). Callers check project ownership first.
import type { TerminalAttachDto, TerminalDto } from '../contracts';
import { HttpError, notFound } from '../core/errors';
import type { Logger } from '../core/logger';
import { TypedEmitter } from '../core/typed-emitter';
import type { RuntimeDriver } from '../runtime';
import { DEFAULT_TERMINAL_LIMITS, TerminalSession, type TerminalLimits, type TerminalSink } from './terminal-session';

/** What terminals need from the workspace lifecycle. */
export interface WorkspaceAccess {
  /** Starts the workspace if needed; throws with a readable message when it cannot. */
  ensureRunning(projectId: string): Promise<void>;
  recordActivity(projectId: string): void;
}

export const MAX_TERMINALS_PER_PROJECT = 12;
const SHELL = ['bash', '-l'];
// The agent's secret is in the container's environment; a user's shell has no use for it.
const SHELL_ENV = { TERM: 'xterm-256color', COLORTERM: 'truecolor', BERTH_AGENT_SECRET: '' };

export class TerminalService {
  readonly events = new TypedEmitter<{ onDidChange: TerminalDto; onDidClose: { projectId: string; terminalId: string } }>();
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly driver: RuntimeDriver,
    private readonly workspaces: WorkspaceAccess,
    private readonly log: Logger,
    private readonly limits: TerminalLimits = DEFAULT_TERMINAL_LIMITS,
  ) {}

  list(projectId: string): TerminalDto[] {
    return [...this.sessions.values()].filter((session) => session.projectId === projectId).map((session) => session.toDto());
  }

  /** The session, or 404 — for a closed terminal as for one that never existed. */
  get(terminalId: string): TerminalSession {
    const session = this.sessions.get(terminalId);
    if (!session) throw notFound('Terminal not found');
    return session;
  }

  async create(
    projectId: string,
    size: { cols: number; rows: number },
    makeSink: (terminalId: string) => TerminalSink,
    title?: string,
  ): Promise<TerminalAttachDto> {
    if (this.list(projectId).length >= MAX_TERMINALS_PER_PROJECT) {
      throw new HttpError(429, 'too_many_terminals', `A project can have at most ${MAX_TERMINALS_PER_PROJECT} terminals; close one first`);
    }
    const number = (this.counters.get(projectId) ?? 0) + 1;
    this.counters.set(projectId, number);
    const session = new TerminalSession(
      projectId,
      title ?? `Terminal ${number}`,
      { onActivity: () => this.workspaces.recordActivity(projectId), onExit: (ended) => this.events.emit('onDidChange', ended.toDto()) },
      this.limits,
    );
    await this.spawnShell(session, size);
    this.sessions.set(session.id, session);
    this.events.emit('onDidChange', session.toDto());
    return session.attach(makeSink(session.id));
  }

  async restart(terminalId: string, size: { cols: number; rows: number }, sink: TerminalSink): Promise<TerminalAttachDto> {
    const session = this.get(terminalId);
    if (session.state === 'running') return session.attach(sink);
    await this.spawnShell(session, size);
    this.events.emit('onDidChange', session.toDto());
    return session.attach(sink);
  }

  rename(terminalId: string, title: string): TerminalDto {
    const session = this.get(terminalId);
    session.title = title;
    this.events.emit('onDidChange', session.toDto());
    return session.toDto();
  }

  close(terminalId: string): void {
    const session = this.get(terminalId);
    this.sessions.delete(terminalId);
    session.dispose();
    this.events.emit('onDidClose', { projectId: session.projectId, terminalId });
  }

  /** The project is gone: end all its terminals. */
  closeProject(projectId: string): void {
    for (const session of [...this.sessions.values()]) if (session.projectId === projectId) this.close(session.id);
  }

  /** How many sessions are alive (tests prove this returns to zero). */
  get size(): number {
    return this.sessions.size;
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }

  private async spawnShell(session: TerminalSession, size: { cols: number; rows: number }): Promise<void> {
    await this.workspaces.ensureRunning(session.projectId);
    const exec = await this.driver.exec(session.projectId, SHELL, { tty: true, cols: size.cols, rows: size.rows, env: SHELL_ENV, workingDir: '/workspace' });
    session.bind(exec);
    this.log.debug({ projectId: session.projectId, terminalId: session.id }, 'terminal shell started');
  }
}
