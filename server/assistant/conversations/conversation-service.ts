// A project's assistant conversations in PostgreSQL: create, list, read with messages and turns,
// rename, delete, and what a turn writes (messages, its start and end). Every call first checks
// the project is the caller's through ProjectService, so another user's project, and a
// conversation of another project, are 404 like anything that does not exist.
import { Prisma, type PrismaClient } from '../../db';
import { DomainError, notFound } from '../../core/errors';
import { TypedEmitter } from '../../core/typed-emitter';
import {
  CONVERSATION_EXPORT_FORMAT,
  CONVERSATION_EXPORT_VERSION,
  DEFAULT_CONVERSATION_TITLE,
  type ConversationDto,
  type ConversationExportDto,
  type ConversationSummaryDto,
  type CreateConversationInput,
  type DuplicatedConversationDto,
  type MessageDto,
  type NewMessageInput,
  type PortableConversation,
  type RenameConversationInput,
  type TurnDto,
  type TurnEndStatus,
  type TurnFileChange,
} from '../../contracts';
import { toConversationSummaryDto, toMessageDto, toTurnDto } from './conversation-dto';
import {
  assertReplaceable,
  conversationFileName,
  readPortableConversations,
  readPortableWithIds,
  replaceConversationsWithIds,
  writePortableConversations,
} from './conversation-portable';

export interface ConversationProjects {
  /** Throws not_found when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<unknown>;
}

export interface StartTurnInput {
  /** The turn's id when the caller chose it (TurnEngine tells the turn before it is stored). */
  id?: string;
  model: string;
  /** The snapshot taken before the turn (its undo point); it must be one of the project's. */
  snapshotId?: string;
  /** The user's request, stored as the turn's first message in the same transaction. */
  request?: Pick<NewMessageInput, 'content' | 'attachments'>;
}

export interface FinishTurnInput {
  status: TurnEndStatus;
  changedFiles?: TurnFileChange[];
  /** Why a failed turn failed. */
  error?: string;
}

const conversationNotFound = () => notFound('Conversation not found');
const runningTurnBusy = (running: { id: string; conversationId: string }) =>
  new DomainError('conflict', 'busy', 'The assistant is already working on this project', {
    turnId: running.id,
    conversationId: running.conversationId,
  });

export interface ConversationEvents {
  /** A conversation of the project was created, renamed or deleted: its tabs refetch the list. */
  onDidChangeConversations: { projectId: string };
}

export class ConversationService {
  readonly events = new TypedEmitter<ConversationEvents>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly projects: ConversationProjects,
  ) {}

  async create(userId: string, projectId: string, input: CreateConversationInput): Promise<ConversationSummaryDto> {
    await this.projects.get(userId, projectId);
    const row = await this.prisma.conversation.create({
      data: { projectId, title: input.title ?? DEFAULT_CONVERSATION_TITLE },
    });
    this.events.emit('onDidChangeConversations', { projectId });
    return toConversationSummaryDto(row);
  }

  /** The project's conversations, the most recently active first. */
  async list(userId: string, projectId: string): Promise<ConversationSummaryDto[]> {
    await this.projects.get(userId, projectId);
    const rows = await this.prisma.conversation.findMany({
      where: { projectId },
      orderBy: [{ updatedAt: 'desc' }, { createdAt: 'desc' }],
    });
    return rows.map(toConversationSummaryDto);
  }

  /** The conversation with its messages in order (tool calls and results included) and its turns. */
  async get(userId: string, projectId: string, conversationId: string): Promise<ConversationDto> {
    // The owner check and the three reads at once: a turn's request waits for this (nothing read
    // is answered unless the project is the caller's and the conversation is in it).
    const [, row, messages, turns] = await Promise.all([
      this.projects.get(userId, projectId),
      this.prisma.conversation.findFirst({ where: { id: conversationId, projectId } }),
      this.prisma.message.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } }),
      this.prisma.turn.findMany({ where: { conversationId }, orderBy: { startedAt: 'asc' } }),
    ]);
    if (!row) throw conversationNotFound();
    return { ...toConversationSummaryDto(row), messages: messages.map(toMessageDto), turns: turns.map(toTurnDto) };
  }

  async rename(
    userId: string,
    projectId: string,
    conversationId: string,
    input: RenameConversationInput,
  ): Promise<ConversationSummaryDto> {
    await this.projects.get(userId, projectId);
    const row = await this.prisma.conversation
      .update({ where: { id: conversationId, projectId }, data: { title: input.title } })
      .catch(rethrowMissingAs(conversationNotFound));
    this.events.emit('onDidChangeConversations', { projectId });
    return toConversationSummaryDto(row);
  }

  /** Removes the conversation with its messages and turns (the turns' snapshots stay). */
  async delete(userId: string, projectId: string, conversationId: string): Promise<void> {
    await this.projects.get(userId, projectId);
    const { count } = await this.prisma.conversation.deleteMany({ where: { id: conversationId, projectId } });
    if (count === 0) throw conversationNotFound();
    this.events.emit('onDidChangeConversations', { projectId });
  }

  /** One conversation as a download: its file name (the title as a slug) and the versioned document. */
  async exportOne(
    userId: string,
    projectId: string,
    conversationId: string,
  ): Promise<{ fileName: string; document: ConversationExportDto }> {
    await this.projects.get(userId, projectId);
    const [conversation] = await readPortableConversations(this.prisma, projectId, conversationId);
    if (!conversation) throw conversationNotFound();
    return {
      fileName: conversationFileName(conversation.title),
      document: {
        format: CONVERSATION_EXPORT_FORMAT,
        version: CONVERSATION_EXPORT_VERSION,
        exportedAt: new Date().toISOString(),
        ...conversation,
      },
    };
  }

  /** Every conversation of the project, oldest first, as bundles and duplicates carry them. */
  async exportAll(userId: string, projectId: string): Promise<PortableConversation[]> {
    await this.projects.get(userId, projectId);
    return readPortableConversations(this.prisma, projectId);
  }

  /** Recreates exported conversations in the project (new ids; a running turn arrives failed), all or none. */
  async importAll(userId: string, projectId: string, conversations: readonly PortableConversation[]): Promise<void> {
    await this.projects.get(userId, projectId);
    await writePortableConversations(this.prisma, projectId, conversations);
  }

  /** Throws not_found when the project does not exist or is not the user's (before a big body is read). */
  async assertProject(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
  }

  /** One conversation-only export (a `berth-conversation` document) as a new conversation of the project; its id. */
  async importOne(userId: string, projectId: string, document: ConversationExportDto): Promise<string> {
    await this.projects.get(userId, projectId);
    const { format: _format, version: _version, exportedAt: _exportedAt, ...conversation } = document;
    const [id] = await writePortableConversations(this.prisma, projectId, [conversation]);
    this.events.emit('onDidChangeConversations', { projectId });
    return id!;
  }

  /**
   * A copy of the conversation (messages, turns, new ids; a running turn arrives failed) as a new
   * conversation of `targetProjectId`, the same project when absent. Both must be the user's.
   */
  async duplicate(
    userId: string,
    projectId: string,
    conversationId: string,
    targetProjectId = projectId,
  ): Promise<DuplicatedConversationDto> {
    await Promise.all([this.projects.get(userId, projectId), this.projects.get(userId, targetProjectId)]);
    const [conversation] = await readPortableConversations(this.prisma, projectId, conversationId);
    if (!conversation) throw conversationNotFound();
    // Beside its original it needs telling apart; it is new where it goes, so it starts now.
    const title = targetProjectId === projectId ? copyTitle(conversation.title) : conversation.title;
    const now = new Date().toISOString();
    const copy = { ...conversation, title, createdAt: now, updatedAt: now };
    const [id] = await writePortableConversations(this.prisma, targetProjectId, [copy]);
    this.events.emit('onDidChangeConversations', { projectId: targetProjectId });
    return { id: id!, projectId: targetProjectId, title };
  }

  // ── Sync (issue 18): conversations keep their ids between two Berths ──────────────────────

  /**
   * Each conversation of the project with a fingerprint of what its portable form holds (title,
   * last activity, message count, each turn's state): equal fingerprints, equal content, so a
   * sync hashes a conversation's full form only when this changed.
   */
  async syncFingerprints(
    userId: string,
    projectId: string,
  ): Promise<{ id: string; title: string; fingerprint: string }[]> {
    await this.projects.get(userId, projectId);
    return this.prisma.$queryRaw<{ id: string; title: string; fingerprint: string }[]>`
      SELECT c."id", c."title",
        concat_ws('|', c."title", c."createdAt"::text, c."updatedAt"::text, c."nextSeq"::text,
          (SELECT count(*) FROM "Message" m WHERE m."conversationId" = c."id")::text,
          (SELECT coalesce(string_agg(concat_ws(':', t."id", t."status", t."endedAt"::text, t."undoneAt"::text), ',' ORDER BY t."id"), '')
             FROM "Turn" t WHERE t."conversationId" = c."id")) AS "fingerprint"
      FROM "Conversation" c WHERE c."projectId" = ${projectId}
      ORDER BY c."createdAt", c."id"`;
  }

  /** These conversations of the project (those that exist), portable, with their ids. */
  async exportWithIds(
    userId: string,
    projectId: string,
    ids: readonly string[],
  ): Promise<{ id: string; conversation: PortableConversation }[]> {
    await this.projects.get(userId, projectId);
    if (ids.length === 0) return [];
    return readPortableWithIds(this.prisma, projectId, ids);
  }

  /** Throws a conflict when one of `ids` is another project's conversation or has a running turn. */
  async assertReplaceable(projectId: string, ids: readonly string[]): Promise<void> {
    await assertReplaceable(this.prisma, projectId, ids);
  }

  /**
   * Puts (ids kept, replacing the project's conversation of that id) and deletes inside the
   * caller's transaction; the caller checked the project is the user's, and calls
   * announceChanges once the transaction committed.
   */
  replaceWithIds(
    tx: Prisma.TransactionClient,
    projectId: string,
    put: readonly { id: string; conversation: PortableConversation }[],
    remove: readonly string[],
  ): Promise<void> {
    return replaceConversationsWithIds(tx, projectId, put, remove);
  }

  /** The project's tabs refetch its conversations. */
  announceChanges(projectId: string): void {
    this.events.emit('onDidChangeConversations', { projectId });
  }

  /** Adds a message at the end. Positions are gap-free even when appends race. */
  async appendMessage(
    userId: string,
    projectId: string,
    conversationId: string,
    message: NewMessageInput,
  ): Promise<MessageDto> {
    await this.projects.get(userId, projectId);
    const row = await this.prisma
      .$transaction(async (tx) => {
        // Taking the next position locks the conversation's row until the insert commits.
        const conversation = await tx.conversation.update({
          where: { id: conversationId, projectId },
          data: { nextSeq: { increment: 1 } },
          select: { nextSeq: true },
        });
        if (message.turnId && (await tx.turn.count({ where: { id: message.turnId, conversationId } })) === 0)
          throw new DomainError('bad_request', 'unknown_turn', 'The turn is not one of this conversation');
        return tx.message.create({
          data: {
            conversationId,
            seq: conversation.nextSeq - 1,
            role: message.role,
            content: message.content,
            turnId: message.turnId ?? null,
            ...(message.toolCalls?.length ? { toolCalls: message.toolCalls as Prisma.InputJsonValue } : {}),
            ...(message.toolResults?.length ? { toolResults: message.toolResults as Prisma.InputJsonValue } : {}),
            ...(message.attachments?.length ? { attachments: message.attachments as Prisma.InputJsonValue } : {}),
          },
        });
      })
      .catch(rethrowMissingAs(conversationNotFound));
    return toMessageDto(row);
  }

  /**
   * Throws a conflict `busy` when a turn of the project is recorded as running (another server's,
   * or one a crash left before the start-up sweep): checked before a turn is told, so the POST is
   * 409. startTurn checks again under the lock. The caller has checked the project is the user's.
   */
  async assertNoRunningTurn(projectId: string): Promise<void> {
    const running = await this.prisma.turn.findFirst({
      where: { status: 'running', conversation: { projectId } },
      select: { id: true, conversationId: true },
    });
    if (running) throw runningTurnBusy(running);
  }

  /**
   * Records a turn as running. One turn runs per project at a time: while one does, this throws
   * a conflict `busy` (checked under a per-project lock, so two servers cannot both start one).
   */
  async startTurn(userId: string, projectId: string, conversationId: string, input: StartTurnInput): Promise<TurnDto> {
    await this.projects.get(userId, projectId);
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${`berth:assistant-turn:${projectId}`}))`;
      if ((await tx.conversation.count({ where: { id: conversationId, projectId } })) === 0)
        throw conversationNotFound();
      const running = await tx.turn.findFirst({
        where: { status: 'running', conversation: { projectId } },
        select: { id: true, conversationId: true },
      });
      if (running) throw runningTurnBusy(running);
      if (input.snapshotId && (await tx.snapshot.count({ where: { id: input.snapshotId, projectId } })) === 0)
        throw new DomainError('bad_request', 'unknown_snapshot', 'The snapshot is not one of this project');
      const turn = await tx.turn.create({
        data: {
          ...(input.id ? { id: input.id } : {}),
          conversationId,
          status: 'running',
          model: input.model,
          snapshotId: input.snapshotId ?? null,
        },
      });
      if (input.request) {
        const { nextSeq } = await tx.conversation.update({
          where: { id: conversationId },
          data: { nextSeq: { increment: 1 } },
          select: { nextSeq: true },
        });
        const { content, attachments } = input.request;
        await tx.message.create({
          data: {
            conversationId,
            seq: nextSeq - 1,
            role: 'user',
            content,
            turnId: turn.id,
            ...(attachments?.length ? { attachments: attachments as Prisma.InputJsonValue } : {}),
          },
        });
      }
      return turn;
    });
    return toTurnDto(row);
  }

  /** Ends a running turn: done, stopped or failed, with the files it changed. */
  async finishTurn(
    userId: string,
    projectId: string,
    conversationId: string,
    turnId: string,
    input: FinishTurnInput,
  ): Promise<TurnDto> {
    await this.projects.get(userId, projectId);
    const where = { id: turnId, conversationId, conversation: { projectId } };
    const { count } = await this.prisma.turn.updateMany({
      where: { ...where, status: 'running' },
      data: {
        status: input.status,
        endedAt: new Date(),
        changedFiles: (input.changedFiles ?? []) as unknown as Prisma.InputJsonValue,
        error: input.error ?? null,
      },
    });
    const row = await this.prisma.turn.findFirst({ where });
    if (!row) throw notFound('Turn not found');
    if (count === 0) throw new DomainError('conflict', 'turn_ended', `The turn has already ended (${row.status})`);
    return toTurnDto(row);
  }
}

const copyTitle = (title: string) => `${title.slice(0, 120 - ' (copy)'.length)} (copy)`;

/** Prisma's "record to update not found" (P2025) as the given domain error; anything else unchanged. */
function rethrowMissingAs(error: () => DomainError) {
  return (cause: unknown): never => {
    if (cause instanceof Prisma.PrismaClientKnownRequestError && cause.code === 'P2025') throw error();
    throw cause;
  };
}
