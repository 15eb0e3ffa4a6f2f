// The chat the Assistant panel shows for one conversation: a list of chat items (the user's
// requests, the model's text, one card per tool call, errors) and the state of each turn. Built
// from the stored conversation (chat-from-conversation.ts) and kept current by the live turn
// events (chat-turn-events.ts); both pure, so they are unit-tested.
import type { MessageAttachment, TurnDto, TurnFileChange, TurnStatus } from '@/server/contracts';

export interface UserItem {
  kind: 'user';
  key: string;
  turnId: string | null;
  content: string;
  /** The file or selection attached to the request. */
  attachments: MessageAttachment[];
}

export interface TextItem {
  kind: 'text';
  key: string;
  turnId: string | null;
  text: string;
}

export type ToolCardStatus = 'running' | 'done' | 'error';

export interface ToolItem {
  kind: 'tool';
  key: string;
  turnId: string | null;
  toolCallId: string;
  toolName: string;
  input: unknown;
  status: ToolCardStatus;
  /** What the tool gave back (a sentence for most tools), or the error told to the model. */
  output: unknown;
  /** A running command's output so far as plain text (its tail; each tool-output replaces it). */
  liveOutput: string;
}

export interface ErrorItem {
  kind: 'error';
  key: string;
  turnId: string | null;
  message: string;
}

export type ChatItem = UserItem | TextItem | ToolItem | ErrorItem;

export interface TurnView {
  id: string;
  status: TurnStatus;
  model: string;
  changedFiles: TurnFileChange[];
  error: string | null;
  /** When "Undo this turn" restored its files; null while it stands. */
  undoneAt: string | null;
}

export interface ChatState {
  conversationId: string;
  items: ChatItem[];
  turns: Record<string, TurnView>;
  /** The turn running in this conversation, if any. */
  runningTurnId: string | null;
}

export const emptyChat = (conversationId: string): ChatState => ({
  conversationId,
  items: [],
  turns: {},
  runningTurnId: null,
});

export const turnView = (turn: TurnDto): TurnView => ({
  id: turn.id,
  status: turn.status,
  model: turn.model,
  changedFiles: turn.changedFiles,
  error: turn.error,
  undoneAt: turn.undoneAt,
});

/** A tool call's card as it starts: running, no output yet. */
export const runningCard = (
  key: string,
  turnId: string | null,
  toolCallId: string,
  toolName: string,
  input: unknown,
): ToolItem => ({
  kind: 'tool',
  key,
  turnId,
  toolCallId,
  toolName,
  input,
  status: 'running',
  output: undefined,
  liveOutput: '',
});

/** The request that started a turn: what Retry sends again. */
export function requestOf(state: ChatState, turnId: string): string | null {
  const item = state.items.find((entry) => entry.kind === 'user' && entry.turnId === turnId);
  return item?.kind === 'user' ? item.content : null;
}

/** The last turn of the chat, which Retry re-runs. */
export function lastTurnId(state: ChatState): string | null {
  for (let index = state.items.length - 1; index >= 0; index--) {
    const turnId = state.items[index]!.turnId;
    if (turnId) return turnId;
  }
  return null;
}
