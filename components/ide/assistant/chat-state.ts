// What the Assistant panel shows for one conversation: the stored messages turned into a list of
// chat items (the user's requests, the model's text, one card per tool call, errors), and the live
// turn events folded into that list as they arrive. Pure, so the reducer is unit-tested.
import type {
  AssistantTurnEventDto,
  ConversationDto,
  MessageAttachment,
  TurnDto,
  TurnFileChange,
  TurnStatus,
} from '@/server/contracts';

/** Past this, a card keeps only the tail of a command's live output. */
export const LIVE_OUTPUT_MAX_CHARS = 64_000;

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

const turnView = (turn: TurnDto): TurnView => ({
  id: turn.id,
  status: turn.status,
  model: turn.model,
  changedFiles: turn.changedFiles,
  error: turn.error,
  undoneAt: turn.undoneAt,
});

/** The chat as stored: messages in order, tool results attached to the calls they answer. */
export function chatFromConversation(conversation: ConversationDto): ChatState {
  const items: ChatItem[] = [];
  const cards = new Map<string, ToolItem>();
  for (const message of conversation.messages) {
    const turnId = message.turnId;
    switch (message.role) {
      case 'user':
        items.push({
          kind: 'user',
          key: message.id,
          turnId,
          content: message.content,
          attachments: message.attachments ?? [],
        });
        break;
      case 'assistant':
        if (message.content) items.push({ kind: 'text', key: message.id, turnId, text: message.content });
        for (const call of message.toolCalls) {
          const card: ToolItem = {
            kind: 'tool',
            key: `${message.id}:${call.id}`,
            turnId,
            toolCallId: call.id,
            toolName: call.name,
            input: call.args,
            status: 'running',
            output: undefined,
            liveOutput: '',
          };
          cards.set(call.id, card);
          items.push(card);
        }
        break;
      case 'tool':
        for (const result of message.toolResults) {
          const card = cards.get(result.callId);
          if (!card) continue;
          card.status = result.isError ? 'error' : 'done';
          card.output = result.output;
        }
        break;
      case 'system':
        break;
    }
  }
  const turns: Record<string, TurnView> = {};
  let runningTurnId: string | null = null;
  for (const turn of conversation.turns) {
    turns[turn.id] = turnView(turn);
    if (turn.status === 'running') runningTurnId = turn.id;
    if (turn.status === 'failed' && turn.error)
      items.push({ kind: 'error', key: `${turn.id}:error`, turnId: turn.id, message: turn.error });
  }
  // A call whose turn ended without a result (stopped, or Berth stopped) is no longer running.
  for (const card of cards.values())
    if (card.status === 'running' && (!card.turnId || turns[card.turnId]?.status !== 'running')) card.status = 'error';
  return { conversationId: conversation.id, items: orderErrors(items), turns, runningTurnId };
}

/** A failed turn's error shows after the turn's last item, not at the end of the chat. */
function orderErrors(items: ChatItem[]): ChatItem[] {
  const errors = items.filter((item) => item.kind === 'error');
  const rest: ChatItem[] = items.filter((item) => item.kind !== 'error');
  for (const error of errors) {
    let at = -1;
    rest.forEach((item, index) => {
      if (item.turnId === error.turnId) at = index;
    });
    rest.splice(at === -1 ? rest.length : at + 1, 0, error);
  }
  return rest;
}

/** Folds one live turn event into the chat (events of other conversations are ignored). */
export function applyTurnEvent(state: ChatState, event: AssistantTurnEventDto): ChatState {
  if (event.conversationId !== state.conversationId) return state;
  const { turnId } = event;
  switch (event.type) {
    case 'started': {
      // The same turn told twice (the socket after a reload that already showed it) adds nothing.
      if (state.turns[turnId]) return { ...state, runningTurnId: turnId };
      return {
        ...state,
        items: [
          ...state.items,
          {
            kind: 'user',
            key: `${turnId}:request`,
            turnId,
            content: event.content,
            attachments: event.attachments ?? [],
          },
        ],
        turns: {
          ...state.turns,
          [turnId]: {
            id: turnId,
            status: 'running',
            model: event.model,
            changedFiles: [],
            error: null,
            undoneAt: null,
          },
        },
        runningTurnId: turnId,
      };
    }
    case 'text': {
      const last = state.items.at(-1);
      if (last?.kind === 'text' && last.turnId === turnId)
        return { ...state, items: [...state.items.slice(0, -1), { ...last, text: last.text + event.text }] };
      const key = `${turnId}:text:${state.items.length}`;
      return { ...state, items: [...state.items, { kind: 'text', key, turnId, text: event.text }] };
    }
    case 'tool-call': {
      // Call ids are unique within a model step only (some servers number each answer's calls
      // from 0), so every call is a new card and results go to the latest card with the id.
      const card: ToolItem = {
        kind: 'tool',
        key: `${turnId}:${event.toolCallId}:${state.items.length}`,
        turnId,
        toolCallId: event.toolCallId,
        toolName: event.toolName,
        input: event.input,
        status: 'running',
        output: undefined,
        liveOutput: '',
      };
      return { ...state, items: [...state.items, card] };
    }
    case 'tool-output':
      return updateCard(state, turnId, event.toolCallId, (card) => ({
        ...card,
        liveOutput: event.data.slice(-LIVE_OUTPUT_MAX_CHARS),
      }));
    case 'tool-result':
      return updateCard(state, turnId, event.toolCallId, (card) => ({
        ...card,
        status: event.isError ? 'error' : 'done',
        output: event.output,
      }));
    case 'error':
      return {
        ...state,
        items: [
          ...state.items,
          { kind: 'error', key: `${turnId}:error:${state.items.length}`, turnId, message: event.message },
        ],
      };
    case 'done': {
      const turn = state.turns[turnId];
      const items = state.items.map((item) =>
        item.kind === 'tool' && item.turnId === turnId && item.status === 'running'
          ? { ...item, status: 'error' as const }
          : item,
      );
      return {
        ...state,
        items,
        turns: {
          ...state.turns,
          [turnId]: {
            id: turnId,
            model: turn?.model ?? '',
            error: turn?.error ?? null,
            undoneAt: null,
            status: event.status,
            changedFiles: event.changedFiles,
          },
        },
        runningTurnId: state.runningTurnId === turnId ? null : state.runningTurnId,
      };
    }
  }
}

function updateCard(
  state: ChatState,
  turnId: string,
  toolCallId: string,
  change: (card: ToolItem) => ToolItem,
): ChatState {
  const index = state.items.findLastIndex(
    (item) => item.kind === 'tool' && item.turnId === turnId && item.toolCallId === toolCallId,
  );
  if (index === -1) return state;
  const items = state.items.slice();
  items[index] = change(items[index] as ToolItem);
  return { ...state, items };
}

/** A turn changed outside a turn's events (undone): its new state. */
export function applyTurnUpdate(state: ChatState, turn: TurnDto): ChatState {
  if (turn.conversationId !== state.conversationId) return state;
  return { ...state, turns: { ...state.turns, [turn.id]: turnView(turn) } };
}

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
