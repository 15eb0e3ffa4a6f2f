// A project's conversations out of and into PostgreSQL in their portable form (contracts'
// PortableConversation): what bundles, duplicates and the conversation-only download carry.
// Reading takes one consistent view (a turn starting meanwhile cannot leave a message naming a
// turn the export lacks). Writing gives new ids, keeps the order, keeps message → turn links,
// leaves snapshot ids out, and turns a still-running turn into a failed one so nothing imported
// looks live.
import { Prisma, type PrismaClient } from '../../db';
import type { PortableConversation, PortableMessage, PortableTurn } from '../../contracts';
import { INTERRUPTED_TURN_ERROR } from '../turns/interrupted-turns';
import { toMessageDto, toTurnDto } from './conversation-dto';

/** Messages per createMany: well under PostgreSQL's 65,535 bind parameters. */
const MESSAGE_BATCH = 1_000;
/** A big export or import (100,000 messages) takes a while; the default 5 s transaction limit is for requests. */
const TRANSACTION_MS = 5 * 60_000;

/** The project's conversations (or the one `conversationId`), oldest first. */
export async function readPortableConversations(
  prisma: PrismaClient,
  projectId: string,
  conversationId?: string,
): Promise<PortableConversation[]> {
  const rows = await prisma.$transaction(
    async (tx) =>
      tx.conversation.findMany({
        where: { projectId, ...(conversationId ? { id: conversationId } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { messages: { orderBy: { seq: 'asc' } }, turns: { orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] } },
      }),
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: TRANSACTION_MS, maxWait: 30_000 },
  );
  return rows.map((row) => {
    const turns = row.turns.map(toTurnDto).map((turn): PortableTurn => ({
      id: turn.id,
      status: turn.status,
      model: turn.model,
      error: turn.error,
      startedAt: turn.startedAt,
      endedAt: turn.endedAt,
      changedFiles: turn.changedFiles,
      undoneAt: turn.undoneAt,
    }));
    const turnIds = new Set(turns.map((turn) => turn.id));
    const messages = row.messages.map(toMessageDto).map((message): PortableMessage => ({
      seq: message.seq,
      role: message.role,
      content: message.content,
      toolCalls: message.toolCalls,
      toolResults: message.toolResults,
      attachments: message.attachments,
      turnId: message.turnId !== null && turnIds.has(message.turnId) ? message.turnId : null,
      createdAt: message.createdAt,
    }));
    return {
      title: row.title,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      turns,
      messages,
    };
  });
}

/** Creates the conversations in the project, all or none; returns the new conversations' ids in the same order. */
export async function writePortableConversations(
  prisma: PrismaClient,
  projectId: string,
  conversations: readonly PortableConversation[],
): Promise<string[]> {
  if (conversations.length === 0) return [];
  return prisma.$transaction(
    async (tx) => {
      const ids: string[] = [];
      for (const conversation of conversations) ids.push(await writeOne(tx, projectId, conversation));
      return ids;
    },
    { timeout: TRANSACTION_MS, maxWait: 30_000 },
  );
}

async function writeOne(
  tx: Prisma.TransactionClient,
  projectId: string,
  conversation: PortableConversation,
): Promise<string> {
  const messages = [...conversation.messages].sort((a, b) => a.seq - b.seq);
  const { id: conversationId } = await tx.conversation.create({
    data: {
      projectId,
      title: conversation.title,
      // Positions are renumbered 0..n-1 below, so the next one is the count.
      nextSeq: messages.length,
      createdAt: new Date(conversation.createdAt),
      updatedAt: new Date(conversation.updatedAt),
    },
    select: { id: true },
  });
  const newTurnIds = new Map<string, string>();
  for (const turn of conversation.turns) {
    const interrupted = turn.status === 'running';
    const created = await tx.turn.create({
      data: {
        conversationId,
        snapshotId: null,
        status: interrupted ? 'failed' : turn.status,
        model: turn.model,
        error: interrupted ? INTERRUPTED_TURN_ERROR : turn.error,
        startedAt: new Date(turn.startedAt),
        endedAt: interrupted ? lastSeen(turn, messages) : turn.endedAt && new Date(turn.endedAt),
        changedFiles: turn.changedFiles as unknown as Prisma.InputJsonValue,
        undoneAt: turn.undoneAt ? new Date(turn.undoneAt) : null,
      },
      select: { id: true },
    });
    newTurnIds.set(turn.id, created.id);
  }
  for (let start = 0; start < messages.length; start += MESSAGE_BATCH) {
    await tx.message.createMany({
      data: messages.slice(start, start + MESSAGE_BATCH).map((message, offset) => ({
        conversationId,
        seq: start + offset,
        role: message.role,
        content: message.content,
        turnId: message.turnId === null ? null : (newTurnIds.get(message.turnId) ?? null),
        createdAt: new Date(message.createdAt),
        // As appendMessage stores them: null when none.
        ...(message.toolCalls.length ? { toolCalls: message.toolCalls as Prisma.InputJsonValue } : {}),
        ...(message.toolResults.length ? { toolResults: message.toolResults as Prisma.InputJsonValue } : {}),
        ...(message.attachments?.length ? { attachments: message.attachments as Prisma.InputJsonValue } : {}),
      })),
    });
  }
  return conversationId;
}

/** When a turn exported while running was last seen working: its last message, or its start. */
function lastSeen(turn: PortableTurn, messages: readonly PortableMessage[]): Date {
  let last = Date.parse(turn.startedAt);
  for (const message of messages) if (message.turnId === turn.id) last = Math.max(last, Date.parse(message.createdAt));
  return new Date(last);
}

/** The download's file name: the title as a lowercase ASCII slug, e.g. "Dark theme!" → dark-theme.json. */
export function conversationFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${slug || 'conversation'}.json`;
}
