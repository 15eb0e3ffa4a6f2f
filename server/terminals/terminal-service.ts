// Terminals per project: a login shell in the workspace, kept by tmux inside the container
// (one tmux session per terminal), so it outlives Berth's process. Berth attaches to each
// session with a tty exec and keeps the scrollback browsers replay; after a restart it adopts
// the sessions it finds in a running workspace (title and creation time from tmux, scrollback
// from capture-pane). Sessions end when the shell exits, the terminal is closed or the
// workspace stops (the tab then offers a restart). Callers check project ownership first.
import type { TerminalAttachDto, TerminalDto } from '../contracts';
import { DomainError, notFound } from '../core/errors';
import type { Logger } from '../core/logger';
import { TypedEmitter } from '../core/typed-emitter';
import type { RuntimeDriver } from '../runtime';
import { countTowardCap, isStale, planNewTerminal } from './terminal-cap';
import {
  DEFAULT_TERMINAL_LIMITS,
  TerminalSession,
  type TerminalIdentity,
  type TerminalLimits,
  type TerminalSink,
} from './terminal-session';
import { terminalStartError } from './terminal-start-error';
import { waitForEngineReturn } from './engine-return';
import { TmuxAttachment } from './tmux-attachment';
import { TmuxSessions } from './tmux-sessions';

/** What terminals need from the workspace lifecycle. */
export interface TerminalWorkspaces {
  /** Starts the workspace if needed; throws with a readable message when it cannot. */
  ensureRunning(projectId: string): Promise<void>;
  recordActivity(projectId: string): void;
}

type Size = { cols: number; rows: number };

export const MAX_TERMINALS_PER_PROJECT = 12;
const tooManyTerminals = () =>
  new DomainError(
    'rate_limited',
    'too_many_terminals',
    `A project can have at most ${MAX_TERMINALS_PER_PROJECT} terminals; close one first`,
  );

export class TerminalService {
  readonly events = new TypedEmitter<{
    onDidChange: TerminalDto;
    onDidClose: { projectId: string; terminalId: string };
  }>();
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly counters = new Map<string, number>();
  private readonly tmux: TmuxSessions;
  /** Adoptions under way: lists and look-ups wait for them. */
  private readonly adopting = new Map<string, Promise<void>>();
  /** Which start of each workspace its sessions were adopted for (once per container start). */
  private readonly adoptedStart = new Map<string, string>();
  /** Terminals being created right now: an adoption running meanwhile must not take them too. */
  private readonly creating = new Set<string>();
  /** reattachLost passes under way, per project. */
  private readonly reattaching = new Map<string, Promise<void>>();
  /** The start-up scan of running workspaces (adoptRunning); look-ups wait for it. */
  private startup: Promise<void> = Promise.resolve();

  constructor(
    private readonly driver: RuntimeDriver,
    private readonly workspaces: TerminalWorkspaces,
    private readonly log: Logger,
    private readonly limits: TerminalLimits = DEFAULT_TERMINAL_LIMITS,
  ) {
    this.tmux = new TmuxSessions(driver);
  }

  /** The project's terminals, once any adoption of its sessions has finished. */
  async list(projectId: string): Promise<TerminalDto[]> {
    await this.startup;
    await this.adopting.get(projectId);
    return this.sessionsOf(projectId).map((session) => session.toDto());
  }

  /** The session, or 404 — for a closed terminal as for one that never existed. */
  get(terminalId: string): TerminalSession {
    const session = this.sessions.get(terminalId);
    if (!session) throw notFound('Terminal not found');
    return session;
  }

  /** Like get(), but a terminal still being adopted after a restart is waited for. */
  async find(terminalId: string): Promise<TerminalSession> {
    if (!this.sessions.has(terminalId)) {
      await this.startup;
      await Promise.all(this.adopting.values());
    }
    return this.get(terminalId);
  }

  async create(
    projectId: string,
    size: Size,
    makeSink: (terminalId: string) => TerminalSink,
    title?: string,
  ): Promise<TerminalAttachDto> {
    await this.list(projectId); // adoption first: adopted terminals count
    const plan = planNewTerminal(
      this.sessionsOf(projectId),
      this.adoptedStart.get(projectId),
      MAX_TERMINALS_PER_PROJECT,
    );
    if (plan.refused) throw tooManyTerminals();
    for (const stale of plan.close) this.close(stale.id);
    const number = (this.counters.get(projectId) ?? 0) + 1;
    this.counters.set(projectId, number);
    const session = this.newSession(projectId, title ?? `Terminal ${number}`);
    this.creating.add(session.id);
    try {
      await this.workspaces.ensureRunning(projectId);
      await this.startShell(session, size, { createSession: true });
    } finally {
      this.creating.delete(session.id);
    }
    this.sessions.set(session.id, session);
    this.events.emit('onDidChange', session.toDto());
    return session.attach(makeSink(session.id));
  }

  async restart(terminalId: string, size: Size, sink: TerminalSink): Promise<TerminalAttachDto> {
    const session = this.get(terminalId);
    if (session.state === 'running') return session.attach(sink);
    const { projectId } = session;
    // A terminal from an earlier container comes back into the count.
    if (
      isStale(session, this.adoptedStart.get(projectId)) &&
      countTowardCap(this.sessionsOf(projectId), this.adoptedStart.get(projectId)) >= MAX_TERMINALS_PER_PROJECT
    ) {
      throw tooManyTerminals();
    }
    await this.workspaces.ensureRunning(projectId);
    // The session may still be there (this Berth's client was pushed off): attach again.
    const createSession = (await this.tmux.exitStatus(projectId, terminalId)) !== 'alive';
    await this.startShell(session, size, { createSession });
    this.events.emit('onDidChange', session.toDto());
    return session.attach(sink);
  }

  rename(terminalId: string, title: string): TerminalDto {
    const session = this.get(terminalId);
    session.title = title;
    // Kept in the tmux session too, so a restarted Berth shows the same title.
    if (session.state === 'running') {
      this.tmux
        .setTitle(session.projectId, terminalId, title)
        .catch((error: unknown) =>
          this.log.warn({ terminalId, err: error }, 'could not store the terminal title in tmux'),
        );
    }
    this.events.emit('onDidChange', session.toDto());
    return session.toDto();
  }

  close(terminalId: string): void {
    const session = this.get(terminalId);
    this.sessions.delete(terminalId);
    session.dispose();
    // Ends the shell; fails harmlessly when the workspace is not running (nothing left to end).
    this.tmux.kill(session.projectId, terminalId).catch(() => undefined);
    this.events.emit('onDidClose', { projectId: session.projectId, terminalId });
  }

  /** The project is gone: end all its terminals. */
  closeProject(projectId: string): void {
    for (const session of this.sessionsOf(projectId)) this.close(session.id);
  }

  /**
   * At start-up: adopt the sessions of every workspace already running. Browsers reconnecting
   * right after a restart may ask for their terminals before the workspaces are reconciled;
   * look-ups wait for this scan instead of answering "not found".
   */
  adoptRunning(): Promise<void> {
    this.startup = this.driver.list().then(
      (workspaces) => {
        for (const workspace of workspaces)
          if (workspace.state === 'running')
            void this.adopt(workspace.projectId, workspace.startedAt?.toISOString() ?? '');
      },
      // Engine not answering yet: reconciliation retries, and its 'running' events adopt then.
      (error: unknown) =>
        this.log.warn(
          { err: error instanceof Error ? error.message : error },
          'could not look for terminal sessions to adopt',
        ),
    );
    return this.startup;
  }

  /**
   * The workspace runs (started here, or found running after a Berth restart): take over the
   * tmux sessions in it that Berth does not know yet. Once per container start (`startKey`).
   */
  adopt(projectId: string, startKey: string): Promise<void> {
    if (this.adoptedStart.get(projectId) === startKey) return this.adopting.get(projectId) ?? Promise.resolve();
    this.adoptedStart.set(projectId, startKey);
    const work = this.adoptSessions(projectId)
      .catch((error: unknown) => this.log.warn({ projectId, err: error }, 'could not adopt terminal sessions'))
      .finally(() => {
        if (this.adopting.get(projectId) === work) this.adopting.delete(projectId);
      });
    this.adopting.set(projectId, work);
    return work;
  }

  /**
   * The Docker engine restarted under a workspace that kept running (live-restore): every attach
   * stream ended with no exit code, while the tmux sessions live on. Attach those again; their
   * browsers stay attached and see them running again.
   */
  reattachLost(projectId: string): Promise<void> {
    // The agent's reconnect and the engine's return may both ask: one pass at a time.
    const running = this.reattaching.get(projectId);
    if (running) return running;
    const work = this.reattachLostNow(projectId).finally(() => this.reattaching.delete(projectId));
    this.reattaching.set(projectId, work);
    return work;
  }

  private async reattachLostNow(projectId: string): Promise<void> {
    const lost = this.sessionsOf(projectId).filter(
      (session) => session.state === 'exited' && session.exitCode === null,
    );
    if (lost.length === 0) return;
    const alive = new Map((await this.tmux.list(projectId)).map((info) => [info.terminalId, info]));
    await Promise.all(
      lost.map(async (session) => {
        const info = alive.get(session.id);
        if (!info || session.state !== 'exited') return;
        await this.attachShell(session, { cols: info.cols, rows: info.rows });
        this.events.emit('onDidChange', session.toDto());
      }),
    );
    this.log.info({ projectId, terminals: lost.length }, 'reattached terminals after the engine came back');
  }

  /** How many sessions are alive (tests prove this returns to zero). */
  get size(): number {
    return this.sessions.size;
  }

  /** Berth is shutting down: detach from every session; the shells keep running in tmux. */
  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }

  private async adoptSessions(projectId: string): Promise<void> {
    const found = (await this.tmux.list(projectId)).filter(
      (info) => !this.sessions.has(info.terminalId) && !this.creating.has(info.terminalId),
    );
    await Promise.all(
      found.map(async (info) => {
        const scrollback = await this.tmux.capture(projectId, info.terminalId);
        const session = this.newSession(projectId, info.title, {
          id: info.terminalId,
          createdAt: info.createdAt,
          scrollback,
        });
        await this.attachShell(session, { cols: info.cols, rows: info.rows });
        this.sessions.set(session.id, session);
        this.events.emit('onDidChange', session.toDto());
      }),
    );
    // New terminals go on numbering after the adopted ones.
    const numbers = found.map((info) => Number(/^Terminal (\d+)$/.exec(info.title)?.[1] ?? 0));
    this.counters.set(projectId, Math.max(this.counters.get(projectId) ?? 0, ...numbers));
    if (found.length) this.log.info({ projectId, terminals: found.length }, 'adopted terminal sessions');
  }

  /**
   * An attach that ended with no exit code while the engine did not answer: the engine went
   * away (a restart; the shell lives on in tmux). Attach again once it answers — the agent's
   * connection may not have dropped (Berth in a container reaches it over a Docker network).
   */
  private onSessionExit(session: TerminalSession): void {
    this.events.emit('onDidChange', session.toDto());
    if (session.exitCode !== null) return;
    void waitForEngineReturn(this.driver)
      .then((outcome) =>
        outcome === 'back' && this.sessions.get(session.id) === session
          ? this.reattachLost(session.projectId)
          : undefined,
      )
      .catch((error: unknown) =>
        this.log.warn(
          { projectId: session.projectId, err: error },
          'could not reattach terminals after the engine came back',
        ),
      );
  }

  private newSession(projectId: string, title: string, identity?: TerminalIdentity): TerminalSession {
    return new TerminalSession(
      projectId,
      title,
      { onActivity: () => this.workspaces.recordActivity(projectId), onExit: (ended) => this.onSessionExit(ended) },
      this.limits,
      identity,
    );
  }

  /**
   * Creates the tmux session (unless it is there) and attaches. A failure (typically the
   * workspace's process limit) ends the half-made session and says why (terminal-start-error.ts).
   */
  private async startShell(
    session: TerminalSession,
    size: Size,
    { createSession }: { createSession: boolean },
  ): Promise<void> {
    const { projectId, id } = session;
    try {
      if (createSession) await this.tmux.create(projectId, id, session.title, session.createdAt, size);
      await this.attachShell(session, size);
    } catch (error) {
      this.log.warn(
        { projectId, terminalId: id, err: error instanceof Error ? error.message : error },
        'terminal could not start',
      );
      if (createSession) await this.tmux.kill(projectId, id).catch(() => undefined);
      throw terminalStartError(error);
    }
  }

  private async attachShell(session: TerminalSession, size: Size): Promise<void> {
    const { projectId, id } = session;
    const exec = await this.tmux.attach(projectId, id, size);
    const attachment = new TmuxAttachment(exec, {
      resolveExit: () => this.tmux.exitStatus(projectId, id),
      settleSize: (settled) => this.tmux.settleSize(projectId, id, settled),
      size,
    });
    session.bind(attachment);
    this.log.debug({ projectId, terminalId: id }, 'terminal attached to its tmux session');
  }

  private sessionsOf(projectId: string): TerminalSession[] {
    return [...this.sessions.values()].filter((session) => session.projectId === projectId);
  }
}
