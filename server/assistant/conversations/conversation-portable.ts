// A project's conversations out of and into PostgreSQL in their portable form (contracts'
// PortableConversation): what bundles, duplicates and the conversation-only download carry.
// Reading takes one consistent view (a turn starting meanwhile cannot leave a message naming a
// turn the export lacks). Writing gives new ids, keeps the order, keeps message → turn links,
// leaves snapshot ids out, and turns a still-running turn into a failed one so nothing imported
// looks live.
import { randomBytes } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../db';
import type { PortableConversation, PortableMessage, PortableTurn } from '../../contracts';
import { DomainError } from '../../core/errors';
import { INTERRUPTED_TURN_ERROR } from '../turns/interrupted-turns';
import { toMessageDto, toTurnDto } from './conversation-dto';

/** Rows per insert: this many, or this much JSON, whichever comes first. */
const BATCH = { rows: 2_000, jsonChars: 8_000_000 };
/** A big export or import (100,000 messages) takes a while; the default 5 s transaction limit is for requests. */
const TRANSACTION_MS = 5 * 60_000;

/** The project's conversations (or the one `conversationId`), oldest first. */
export async function readPortableConversations(
  prisma: PrismaClient,
  projectId: string,
  conversationId?: string,
): Promise<PortableConversation[]> {
  const found = await readPortableWithIds(
    prisma,
    projectId,
    conversationId === undefined ? undefined : [conversationId],
  );
  return found.map(({ conversation }) => conversation);
}

/** The same with each conversation's id (a sync keeps ids); only `ids` when given. */
export async function readPortableWithIds(
  prisma: PrismaClient,
  projectId: string,
  ids?: readonly string[],
): Promise<{ id: string; conversation: PortableConversation }[]> {
  const rows = await prisma.$transaction(
    async (tx) =>
      tx.conversation.findMany({
        where: { projectId, ...(ids ? { id: { in: [...ids] } } : {}) },
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
    const conversation: PortableConversation = {
      title: row.title,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      turns,
      messages,
    };
    return { id: row.id, conversation };
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
      for (const conversation of conversations) ids.push(await writeOne(tx, projectId, storable(conversation)));
      return ids;
    },
    { timeout: TRANSACTION_MS, maxWait: 30_000 },
  );
}

/**
 * A sync's conversation changes inside the caller's transaction: each of `put` replaces the
 * project's conversation of that id or is created with it, each of `remove` is deleted. An id
 * that is another project's conversation, or one whose turn is running, refuses the whole change.
 */
export async function replaceConversationsWithIds(
  tx: Prisma.TransactionClient,
  projectId: string,
  put: readonly { id: string; conversation: PortableConversation }[],
  remove: readonly string[],
): Promise<void> {
  const ids = [...new Set([...put.map((item) => item.id), ...remove])];
  if (ids.length === 0) return;
  await assertReplaceable(tx, projectId, ids);
  await tx.conversation.deleteMany({ where: { projectId, id: { in: ids } } });
  for (const item of put) await writeOne(tx, projectId, storable(item.conversation), item.id);
}

/** Throws a conflict when one of `ids` is another project's conversation (a generic refusal) or has a running turn. */
export async function assertReplaceable(
  tx: Pick<PrismaClient, 'conversation' | 'turn'>,
  projectId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const elsewhere = await tx.conversation.findFirst({
    where: { id: { in: [...ids] }, projectId: { not: projectId } },
    select: { id: true },
  });
  // Worded so it tells nothing of whose or which project holds the id (another user's ids are not probed).
  if (elsewhere)
    throw new DomainError(
      'conflict',
      'conversation_refused',
      `Conversation ${elsewhere.id} cannot be written to this project; it keeps its own id`,
    );
  const running = await tx.turn.findFirst({
    where: { status: 'running', conversationId: { in: [...ids] } },
    select: { conversationId: true },
  });
  if (running)
    throw new DomainError(
      'conflict',
      'busy',
      `The assistant is working in conversation ${running.conversationId}; try again once it is done`,
    );
}

async function writeOne(
  tx: Prisma.TransactionClient,
  projectId: string,
  conversation: PortableConversation,
  id?: string,
): Promise<string> {
  const messages = [...conversation.messages].sort((a, b) => a.seq - b.seq);
  const { id: conversationId } = await tx.conversation.create({
    data: {
      ...(id ? { id } : {}),
      projectId,
      title: conversation.title,
      // Positions are renumbered 0..n-1 below, so the next one is the count.
      nextSeq: messages.length,
      createdAt: new Date(conversation.createdAt),
      updatedAt: new Date(conversation.updatedAt),
    },
    select: { id: true },
  });
  // Made here rather than by the database so all turns go in a few statements and messages can name them.
  const newTurnIds = new Map(conversation.turns.map((turn) => [turn.id, newRowId()]));
  const turnRows = conversation.turns.map((turn) => {
    const interrupted = turn.status === 'running';
    return {
      id: newTurnIds.get(turn.id)!,
      conversationId,
      status: interrupted ? 'failed' : turn.status,
      model: turn.model,
      error: interrupted ? INTERRUPTED_TURN_ERROR : turn.error,
      startedAt: turn.startedAt,
      endedAt: interrupted ? lastSeen(turn, messages) : turn.endedAt,
      changedFiles: turn.changedFiles,
      undoneAt: turn.undoneAt ?? null,
    };
  });
  // Thousands of rows: one JSON parameter per batch is several times faster than createMany.
  // The snapshot is not carried (snapshotId stays null): the rows here are not the same.
  for (const batch of batches(turnRows)) {
    await tx.$executeRaw`
      INSERT INTO "Turn" ("id", "conversationId", "status", "model", "error", "startedAt", "endedAt", "changedFiles", "undoneAt")
      SELECT r."id", r."conversationId", r."status", r."model", r."error", r."startedAt", r."endedAt", r."changedFiles", r."undoneAt"
      FROM jsonb_to_recordset(${batch}::jsonb) AS r("id" text, "conversationId" text, "status" text, "model" text, "error" text,
        "startedAt" timestamp(3), "endedAt" timestamp(3), "changedFiles" jsonb, "undoneAt" timestamp(3))`;
  }
  const messageRows = messages.map((message, seq) => ({
    id: newRowId(),
    conversationId,
    seq,
    role: message.role,
    content: message.content,
    turnId: message.turnId === null ? null : (newTurnIds.get(message.turnId) ?? null),
    createdAt: message.createdAt,
    // As appendMessage stores them: null when none.
    toolCalls: message.toolCalls.length ? message.toolCalls : null,
    toolResults: message.toolResults.length ? message.toolResults : null,
    attachments: message.attachments?.length ? message.attachments : null,
  }));
  for (const batch of batches(messageRows)) {
    await tx.$executeRaw`
      INSERT INTO "Message" ("id", "conversationId", "seq", "role", "content", "turnId", "createdAt", "toolCalls", "toolResults", "attachments")
      SELECT r."id", r."conversationId", r."seq", r."role", r."content", r."turnId", r."createdAt", r."toolCalls", r."toolResults", r."attachments"
      FROM jsonb_to_recordset(${batch}::jsonb) AS r("id" text, "conversationId" text, "seq" int, "role" text, "content" text,
        "turnId" text, "createdAt" timestamp(3), "toolCalls" jsonb, "toolResults" jsonb, "attachments" jsonb)`;
  }
  return conversationId;
}

/** The rows as JSON arrays of at most BATCH rows or characters (a longer single row goes alone). */
function* batches(rows: readonly object[]): Generator<string> {
  let batch: string[] = [];
  let chars = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (batch.length > 0 && (batch.length === BATCH.rows || chars + json.length > BATCH.jsonChars)) {
      yield `[${batch.join(',')}]`;
      batch = [];
      chars = 0;
    }
    batch.push(json);
    chars += json.length;
  }
  if (batch.length > 0) yield `[${batch.join(',')}]`;
}

/**
 * Strings as PostgreSQL takes them: it refuses NUL and lone surrogates (in text and jsonb alike),
 * which Berth never stores but a hand-edited file may hold; each becomes U+FFFD rather than a 500.
 */
function storable(conversation: PortableConversation): PortableConversation {
  const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const json = JSON.stringify(conversation, (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(unstorable, '\uFFFD') : value,
  );
  return JSON.parse(json) as PortableConversation;
}

/** A new row id shaped like the cuid() ids Prisma gives by default: 'c' and 24 base-36 characters (124 random bits). */
function newRowId(): string {
  const random = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36);
  return `c${random.padStart(24, '0').slice(-24)}`;
}

/** When a turn exported while running was last seen working: its last message, or its start. */
function lastSeen(turn: PortableTurn, messages: readonly PortableMessage[]): string {
  let last = Date.parse(turn.startedAt);
  for (const message of messages) if (message.turnId === turn.id) last = Math.max(last, Date.parse(message.createdAt));
  return new Date(last).toISOString();
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
