// The live turn events (`ai:*` over the socket) folded into the chat as they arrive: the request
// when a turn starts, streamed text, a card per tool call with its live output and result, errors,
// and the turn's end; and a turn changed outside its events (undone).
import type { AssistantTurnEventDto, TurnDto } from '@/server/contracts';
import { runningCard, turnView, type ChatState, type ToolItem } from './chat-state';

/** Past this, a card keeps only the tail of a command's live output. */
export const LIVE_OUTPUT_MAX_CHARS = 64_000;

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
      const key = `${turnId}:${event.toolCallId}:${state.items.length}`;
      const card = runningCard(key, turnId, event.toolCallId, event.toolName, event.input);
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
