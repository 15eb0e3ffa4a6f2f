// Assistant conversations: a project's chats (messages, tool calls and results, turns) in
// PostgreSQL, owner-checked through ProjectService. The REST resource is server/http/conversations.routes.ts.
export {
  ConversationService,
  type ConversationEvents,
  type ConversationProjects,
  type FinishTurnInput,
  type StartTurnInput,
} from './conversation-service';
export { broadcastConversationChanges } from './conversations.socket';
