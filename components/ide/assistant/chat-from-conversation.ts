// The chat as stored: a conversation's messages turned into chat items, the results of tool
// calls put on their cards, and a failed turn's error after the turn.
import type { ConversationDto } from '@/server/contracts';
import { runningCard, turnView, type ChatItem, type ChatState, type ToolItem, type TurnView } from './chat-state';

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
          const card = runningCard(`${message.id}:${call.id}`, turnId, call.id, call.name, call.args);
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
