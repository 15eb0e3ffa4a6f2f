// Rows of Conversation, Message and Turn as the wire shows them. The JSON columns are parsed
// with their contract schemas: a stored value of another shape reads as empty, never as a crash.
import { z, type ZodType } from 'zod';
import {
  assistantToolCallSchema,
  assistantToolResultSchema,
  messageAttachmentSchema,
  turnFileChangeSchema,
  type AssistantToolCall,
  type AssistantToolResult,
  type ConversationSummaryDto,
  type MessageDto,
  type MessageRole,
  type TurnDto,
  type TurnFileChange,
  type TurnStatus,
} from '../../contracts';

export interface ConversationRow {
  id: string;
  projectId: string;
  title: string;
  nextSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageRow {
  id: string;
  seq: number;
  role: string;
  content: string;
  toolCalls: unknown;
  toolResults: unknown;
  attachments: unknown;
  turnId: string | null;
  createdAt: Date;
}

export interface TurnRow {
  id: string;
  conversationId: string;
  status: string;
  model: string;
  snapshotId: string | null;
  error: string | null;
  startedAt: Date;
  endedAt: Date | null;
  changedFiles: unknown;
  undoneAt: Date | null;
}

export function toConversationSummaryDto(row: ConversationRow): ConversationSummaryDto {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    // Messages are never removed one by one, so the next position is also the count.
    messageCount: row.nextSeq,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toMessageDto(row: MessageRow): MessageDto {
  return {
    id: row.id,
    seq: row.seq,
    role: row.role as MessageRole,
    content: row.content,
    toolCalls: jsonList(assistantToolCallSchema, row.toolCalls).map((call): AssistantToolCall => ({
      id: call.id,
      name: call.name,
      args: call.args,
    })),
    toolResults: jsonList(assistantToolResultSchema, row.toolResults).map((result): AssistantToolResult => ({
      callId: result.callId,
      name: result.name,
      output: result.output,
      isError: result.isError,
    })),
    attachments: jsonList(messageAttachmentSchema, row.attachments),
    turnId: row.turnId,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toTurnDto(row: TurnRow): TurnDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    status: row.status as TurnStatus,
    model: row.model,
    snapshotId: row.snapshotId,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    changedFiles: jsonList(turnFileChangeSchema, row.changedFiles) satisfies TurnFileChange[],
    undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}

function jsonList<T>(schema: ZodType<T>, value: unknown): T[] {
  const parsed = z.array(schema).safeParse(value ?? []);
  return parsed.success ? parsed.data : [];
}
