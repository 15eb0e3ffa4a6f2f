// The conversation list kept in step without asking the server: a turn's end makes its
// conversation the most recently active, which is all that changes in the list (its order).
import type { ConversationSummaryDto } from '@/server/contracts';

/** The list with `conversationId` active at `at` (moved first); the same list when it is not in it. */
export function touchedConversation(
  list: ConversationSummaryDto[],
  conversationId: string,
  at: string,
): ConversationSummaryDto[] {
  const touched = list.find((conversation) => conversation.id === conversationId);
  if (!touched) return list;
  return [{ ...touched, updatedAt: at }, ...list.filter((conversation) => conversation !== touched)];
}
