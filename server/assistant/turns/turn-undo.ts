// "Undo this turn" and the rewind behind Retry and Edit (issue 11). Undo puts back exactly the
// files a turn changed (created ones removed, the others from the snapshot taken before it),
// leaving alone any file changed since the turn ended unless forced, and marks the turn undone.
// Rewind undoes a turn and every later turn of its conversation, newest first, and deletes their
// messages, so the client can send the (edited) request again. Both hold the project as a turn
// does (409 busy while one runs, and no turn starts meanwhile) and tell every tab `ai:turn-updated`.
import {
  recordedTurnFileChangeSchema,
  type RecordedTurnFileChange,
  type TurnRewindResultDto,
  type TurnUndoResultDto,
  type TurnUpdatedPushDto,
  type UndoConflictDto,
  type UndoTurnInput,
} from '../../contracts';
import { DomainError, notFound } from '../../core/errors';
import { TypedEmitter } from '../../core/typed-emitter';
import type { PrismaClient } from '../../db';
import type { FileService } from '../../files';
import { toTurnDto } from '../conversations/conversation-dto';
import type { TurnEngine } from './turn-engine';
import { TurnFileRestore, type RestoreOutcome, type SnapshotFiles } from './turn-file-restore';

export interface TurnUndoDeps {
  prisma: PrismaClient;
  /** Throws not_found when the project does not exist or is not the user's. */
  projects: { get(userId: string, projectId: string): Promise<unknown> };
  files: FileService;
  snapshots: SnapshotFiles;
  turns: Pick<TurnEngine, 'exclusive'>;
}

export interface TurnUndoEvents {
  /** For the project's tabs (`ai:turn-updated`). */
  onDidUpdateTurns: TurnUpdatedPushDto;
}

type TurnRow = Awaited<ReturnType<PrismaClient['turn']['findFirstOrThrow']>>;

const turnNotFound = () => notFound('Turn not found');
const alreadyUndone = (turnId: string) =>
  new DomainError('conflict', 'already_undone', 'This turn has already been undone', { turnId });

export class TurnUndo {
  readonly events = new TypedEmitter<TurnUndoEvents>();
  private readonly restorer: TurnFileRestore;

  constructor(private readonly deps: TurnUndoDeps) {
    this.restorer = new TurnFileRestore(deps.files, deps.snapshots);
  }

  async undo(
    userId: string,
    projectId: string,
    conversationId: string,
    turnId: string,
    input: UndoTurnInput,
  ): Promise<TurnUndoResultDto> {
    const { prisma } = this.deps;
    await this.deps.projects.get(userId, projectId);
    const where = { id: turnId, conversationId, conversation: { projectId } };
    if ((await prisma.turn.count({ where })) === 0) throw turnNotFound();
    const result = await this.deps.turns.exclusive(projectId, conversationId, async () => {
      await this.assertIdle(projectId);
      // Claimed first (one undo wins a race, on any server). Given back when the restore breaks or
      // left conflicts: the turn is undone once all its files are back, so `force` can finish it.
      const { count } = await prisma.turn.updateMany({
        where: { ...where, undoneAt: null },
        data: { undoneAt: new Date() },
      });
      if (count === 0) throw alreadyUndone(turnId);
      const giveBack = () => prisma.turn.update({ where: { id: turnId }, data: { undoneAt: null } });
      const turn = await prisma.turn.findFirstOrThrow({ where });
      let outcome: RestoreOutcome;
      try {
        outcome = await this.restoreTurn(userId, projectId, turn, input.force ?? false, 'refuse');
      } catch (error) {
        await giveBack().catch(() => undefined);
        throw error;
      }
      if (outcome.conflicts.length > 0) return { turn: await giveBack(), outcome, undone: false };
      return { turn, outcome, undone: true };
    });
    if (result.undone)
      this.events.emit('onDidUpdateTurns', {
        projectId,
        conversationId,
        change: 'undone',
        turn: toTurnDto(result.turn),
      });
    return { turnId, undone: result.undone, ...result.outcome };
  }

  async rewind(
    userId: string,
    projectId: string,
    conversationId: string,
    turnId: string,
    input: UndoTurnInput,
  ): Promise<TurnRewindResultDto> {
    const { prisma } = this.deps;
    await this.deps.projects.get(userId, projectId);
    if ((await prisma.turn.count({ where: { id: turnId, conversationId, conversation: { projectId } } })) === 0)
      throw turnNotFound();
    const result = await this.deps.turns.exclusive(projectId, conversationId, async () => {
      await this.assertIdle(projectId);
      const turns = await prisma.turn.findMany({ where: { conversationId }, orderBy: { startedAt: 'asc' } });
      const from = turns.findIndex((turn) => turn.id === turnId);
      if (from === -1) throw turnNotFound();
      const rewound = turns.slice(from).reverse();
      const outcomes: RestoreOutcome[] = [];
      for (const turn of rewound)
        if (!turn.undoneAt)
          // A turn whose snapshot is gone must not block Retry: its files are reported instead.
          outcomes.push(await this.restoreTurn(userId, projectId, turn, input.force ?? false, 'report'));
      // The turn's first message is the request that started it: from there on everything goes.
      const request = await prisma.message.findFirst({
        where: { conversationId, turnId },
        orderBy: { seq: 'asc' },
        select: { seq: true, role: true, content: true },
      });
      const fromSeq = await prisma.$transaction(async (tx) => {
        // Updating the conversation's row first locks it; its next position goes back to the first removed.
        const { nextSeq } = await tx.conversation.update({
          where: { id: conversationId },
          data: { updatedAt: new Date() },
          select: { nextSeq: true },
        });
        const seq = request?.seq ?? nextSeq;
        await tx.message.deleteMany({ where: { conversationId, seq: { gte: seq } } });
        await tx.turn.deleteMany({ where: { id: { in: rewound.map((turn) => turn.id) } } });
        await tx.conversation.update({ where: { id: conversationId }, data: { nextSeq: seq } });
        return seq;
      });
      return {
        rewoundTurnIds: rewound.map((turn) => turn.id),
        fromSeq,
        content: request?.role === 'user' ? request.content : '',
        ...mergeOutcomes(outcomes),
      };
    });
    const { fromSeq, ...answer } = result;
    this.events.emit('onDidUpdateTurns', {
      projectId,
      conversationId,
      change: 'rewound',
      turnIds: answer.rewoundTurnIds,
      fromSeq,
    });
    return answer;
  }

  /** Busy while a turn runs in the project (on this server or another). */
  private async assertIdle(projectId: string): Promise<void> {
    const running = await this.deps.prisma.turn.findFirst({
      where: { status: 'running', conversation: { projectId } },
      select: { id: true, conversationId: true },
    });
    if (running)
      throw new DomainError('conflict', 'busy', 'The assistant is already working on this project', {
        turnId: running.id,
        conversationId: running.conversationId,
      });
  }

  private restoreTurn(
    userId: string,
    projectId: string,
    turn: TurnRow,
    force: boolean,
    snapshotGone: 'refuse' | 'report',
  ): Promise<RestoreOutcome> {
    return this.restorer.restore({
      actor: { userId },
      projectId,
      changes: recordedChangesOf(turn.changedFiles),
      snapshotId: turn.snapshotId,
      force,
      snapshotGone,
    });
  }
}

/** The stored changes; a value of another shape reads as none. */
function recordedChangesOf(value: unknown): RecordedTurnFileChange[] {
  const parsed = recordedTurnFileChangeSchema.array().safeParse(value ?? []);
  return parsed.success ? parsed.data : [];
}

/**
 * Several turns' outcomes, newest turn first: a path's last outcome (its oldest turn's) is where
 * it ended up, so each path is listed once, under that outcome.
 */
export function mergeOutcomes(outcomes: RestoreOutcome[]): RestoreOutcome {
  const final = new Map<string, { kind: 'restored' } | { kind: 'removed' } | { kind: 'conflict'; reason: string }>();
  for (const outcome of outcomes) {
    for (const path of outcome.restored) final.set(path, { kind: 'restored' });
    for (const path of outcome.removed) final.set(path, { kind: 'removed' });
    for (const { path, reason } of outcome.conflicts) final.set(path, { kind: 'conflict', reason });
  }
  const merged: RestoreOutcome = { restored: [], removed: [], conflicts: [] };
  for (const [path, result] of final) {
    if (result.kind === 'restored') merged.restored.push(path);
    else if (result.kind === 'removed') merged.removed.push(path);
    else merged.conflicts.push({ path, reason: result.reason } satisfies UndoConflictDto);
  }
  return merged;
}
