// Runs assistant turns (DESIGN.md "Assistant"): one per project at a time. A turn loads the
// conversation, starts its snapshot (its undo point) and, once the snapshot's scan has told what
// the project holds, tells `started` and runs (turn-run.ts: the model with the tools, what it said
// and did stored step by step, the end done | stopped | failed with the files it changed, its locks
// always released). The snapshot is stored and the turn recorded with the user's message while
// the model is asked; tools and stored messages wait for that. Its events go to the caller (the
// POST's event stream) and to `events` (every tab, through berth-server.ts). Stop is an
// AbortSignal that reaches the model stream and the running tool.
import { randomUUID } from 'node:crypto';
import type { ToolSet } from 'ai';
import type { AssistantTurnEventDto, SendMessageInput } from '../../contracts';
import { DomainError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { TypedEmitter } from '../../core/typed-emitter';
import type { Actor, FileService, LockService } from '../../files';
import type { ManifestEntry, TakeOptions } from '../../snapshots';
import type { ConversationService } from '../conversations';
import type { ModelRegistry } from '../models/model-registry';
import type { TurnRateLimit } from './turn-rate-limit';
import { gatherContext, userEditsNote, type TurnRequestDeps } from './turn-request';
import { TurnRun } from './turn-run';

/** What a tool factory gets: the turn it serves and its stop. */
export interface TurnToolContext {
  actor: Actor;
  projectId: string;
  turnId: string;
  signal: AbortSignal;
  /** Live output of a running call (e.g. a command's terminal output), told as a `tool-output` event. */
  onOutput(output: { toolCallId: string; data: string }): void;
}

/** Tools beyond the file tools (commands, dev server, preview…), built per turn. */
export type TurnToolFactory = (context: TurnToolContext) => {
  tools: ToolSet;
  /** Called when the turn ends, however it ends. */
  dispose?: () => Promise<void> | void;
};

export interface TurnEngineDeps extends TurnRequestDeps {
  conversations: ConversationService;
  models: Pick<ModelRegistry, 'resolve'>;
  /** Takes the snapshot before a turn (ProjectSnapshots: owner-checked, starts the workspace). */
  snapshots: {
    take(userId: string, projectId: string, label?: string, options?: TakeOptions): Promise<{ id: string }>;
  };
  projects: { get(userId: string, projectId: string): Promise<{ name: string }> };
  files: FileService;
  locks: LockService;
  toolFactories?: readonly TurnToolFactory[];
  /** Model calls per turn at most (AI_MAX_STEPS). */
  maxSteps: number;
  /** Turns per user and minute (AI_TURNS_PER_MINUTE); over it a start is refused with 429. */
  rateLimit?: TurnRateLimit;
  log: Logger;
}

export interface TurnEngineEvents {
  /** Every event of every turn, for the project's tabs. */
  onDidEmitTurnEvent: { projectId: string; event: AssistantTurnEventDto };
}

export type TurnListener = (event: AssistantTurnEventDto) => void;

interface RunningTurn {
  conversationId: string;
  /** Set once the turn is recorded (before that the project is only reserved). */
  turnId?: string;
  stop: AbortController;
  /** Settles when the turn has ended and its locks are released; never rejects. */
  finished: Promise<void>;
}

export const SNAPSHOT_LABEL = 'Before an assistant turn';

const busy = (running: RunningTurn) =>
  new DomainError('conflict', 'busy', 'The assistant is already working on this project', {
    ...(running.turnId ? { turnId: running.turnId } : {}),
    conversationId: running.conversationId,
  });

export class TurnEngine {
  readonly events = new TypedEmitter<TurnEngineEvents>();
  private readonly running = new Map<string, RunningTurn>();

  constructor(private readonly deps: TurnEngineDeps) {}

  /**
   * Starts a turn; resolves once it runs (the `started` event told), with `finished` settling at
   * its end. Throws before anything is told: 404, 409 busy, a model that cannot be resolved.
   */
  async start(
    userId: string,
    projectId: string,
    conversationId: string,
    input: SendMessageInput,
    listener: TurnListener,
  ): Promise<{ turnId: string; finished: Promise<void> }> {
    const { conversations } = this.deps;
    // The snapshot's scan is what the model's request waits for longest, so it starts at once
    // (ProjectSnapshots.take checks the owner itself) when the turn is likely to run; a start
    // refused below leaves that snapshot to the turn snapshots' retention.
    // So does gathering what the model is told (the tree, the attached files): the files API checks
    // the owner too, and nothing gathered is told before the checks below have passed.
    const likely = !this.running.has(projectId) && (this.deps.rateLimit?.allows(userId) ?? true);
    const early = likely ? snapshotWithScan(this.deps.snapshots, userId, projectId) : undefined;
    const stop = new AbortController();
    // All at once; the conversation's 404 wins over the model's error and a recorded running turn.
    const loading = conversations.get(userId, projectId, conversationId);
    const resolving = this.deps.models.resolve(input.model, userId);
    const recordedIdle = conversations.assertNoRunningTurn(projectId);
    for (const later of [resolving, recordedIdle]) later.catch(() => undefined);
    const gather = () =>
      gatherContext(this.deps, { userId, projectId, model: resolving, ...contentOf(input), signal: stop.signal });
    const earlyGathered = likely ? gather() : undefined;
    earlyGathered?.catch(() => undefined);
    // The user's edits since the previous turn: its snapshot read while this one scans.
    const editsSince = (now: { scanned: Promise<ManifestEntry[]>; taking: Promise<{ id: string }> }) =>
      userEditsNote(this.deps, {
        projectId,
        conversationId,
        turns: async () => (await loading).turns,
        now: { files: now.scanned, stored: now.taking },
      });
    const earlyEdits = early ? editsSince(early) : undefined;
    let conversation: Awaited<typeof loading>;
    let model: Awaited<typeof resolving>;
    try {
      conversation = await loading;
      model = await resolving;
      await recordedIdle;
      const already = this.running.get(projectId);
      if (already) throw busy(already);
      this.deps.rateLimit?.take(userId);
    } catch (error) {
      stop.abort(); // the early work: the tree walk stops
      throw error;
    }
    // Reserved at once (no await since the check), so a second POST is busy from here on.
    let begun!: () => void;
    const reservation: RunningTurn = {
      conversationId,
      stop,
      finished: new Promise<void>((resolve) => (begun = resolve)),
    };
    this.running.set(projectId, reservation);
    const emit = (event: AssistantTurnEventDto) => {
      listener(event);
      this.events.emit('onDidEmitTurnEvent', { projectId, event });
    };
    // The first token is what the user waits for, so the model is asked as soon as its request is
    // known: gathered while the snapshot scans the project, with the user's edits read from the
    // scan. Storing the snapshot and recording the turn go on meanwhile; its tools and its
    // messages wait for them (turn-run.ts), so nothing is written before the undo point exists.
    const signal = reservation.stop.signal;
    const gathered = earlyGathered ?? gather();
    gathered.catch(() => undefined); // awaited by the stream; a turn that fails before never reads it
    const turnId = randomUUID();
    const snapshot = early ?? snapshotWithScan(this.deps.snapshots, userId, projectId);
    const { scanned, taking } = snapshot;
    const edits = earlyEdits ?? editsSince(snapshot);
    try {
      // A workspace that cannot start or be read fails the request itself, before anything is told.
      await scanned;
    } catch (error) {
      stop.abort();
      this.running.delete(projectId);
      begun();
      throw error;
    }
    const recorded = taking.then(async (snapshot) => {
      await conversations.startTurn(userId, projectId, conversationId, {
        id: turnId,
        model: model.id,
        snapshotId: snapshot.id,
        request: { content: input.content, attachments: input.context },
      });
    });
    recorded.catch(() => undefined); // the run reads it
    emit({
      type: 'started',
      conversationId,
      turnId,
      model: model.id,
      snapshotId: null,
      content: input.content,
      ...(input.context?.length ? { attachments: input.context } : {}),
    });
    reservation.turnId = turnId;
    const run = new TurnRun(this.deps, {
      userId,
      projectId,
      conversationId,
      turnId,
      history: conversation.messages,
      turns: conversation.turns,
      content: input.content,
      attachments: input.context ?? [],
      recorded,
      model,
      signal,
      emit,
      prepared: { gathered, edits },
    });
    reservation.finished = run
      .execute()
      .catch((error: unknown) => this.deps.log.error({ err: error, projectId, turnId }, 'assistant turn broke'))
      .finally(() => {
        if (this.running.get(projectId) === reservation) this.running.delete(projectId);
        begun();
      });
    return { turnId, finished: reservation.finished };
  }

  /**
   * Runs `work` with the project reserved as a running turn reserves it (a turn started meanwhile
   * is busy, shutdown waits for it): undo and rewind must not race a turn. Busy when one runs.
   */
  async exclusive<T>(projectId: string, conversationId: string, work: () => Promise<T>): Promise<T> {
    const already = this.running.get(projectId);
    if (already) throw busy(already);
    let ended!: () => void;
    const reservation: RunningTurn = {
      conversationId,
      stop: new AbortController(),
      finished: new Promise<void>((resolve) => (ended = resolve)),
    };
    this.running.set(projectId, reservation);
    try {
      return await work();
    } finally {
      if (this.running.get(projectId) === reservation) this.running.delete(projectId);
      ended();
    }
  }

  /** Stops the conversation's running turn; resolves when it has ended (locks released). */
  async stop(userId: string, projectId: string, conversationId: string): Promise<{ turnId: string | null }> {
    await this.deps.conversations.get(userId, projectId, conversationId);
    const running = this.running.get(projectId);
    if (!running || running.conversationId !== conversationId)
      throw new DomainError('conflict', 'not_running', 'No turn of this conversation is running');
    running.stop.abort();
    await running.finished;
    return { turnId: running.turnId ?? null };
  }

  /** Stops every running turn (server shutdown) and waits for them to end. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const running of all) running.stop.abort();
    await Promise.all(all.map((running) => running.finished));
  }
}

/** The turn's snapshot, and the files its scan found (known before the snapshot is stored). */
function snapshotWithScan(snapshots: TurnEngineDeps['snapshots'], userId: string, projectId: string) {
  let onScanned!: (files: ManifestEntry[]) => void;
  let failed!: (error: unknown) => void;
  const scanned = new Promise<ManifestEntry[]>((resolve, reject) => {
    onScanned = resolve;
    failed = reject;
  });
  scanned.catch(() => undefined); // the turn awaits it; this is for the other readers
  const taking = snapshots.take(userId, projectId, SNAPSHOT_LABEL, { onScanned });
  // Told before the snapshot settles; a failure before the scan fails it (later ones change nothing).
  taking.then(() => failed(new Error('The snapshot did not tell what it scanned')), failed);
  return { scanned, taking };
}

const contentOf = (input: SendMessageInput) => ({ content: input.content, attachments: input.context ?? [] });
