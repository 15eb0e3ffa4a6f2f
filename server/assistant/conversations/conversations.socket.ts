// Every tab of a project keeps its conversation list current: a create, rename or delete in one
// tab (or over REST) tells the project's room `ai:conversations`, and the tabs refetch the list.
import type { Disposer } from '../../core/typed-emitter';
import { projectRoom, type BerthServer } from '../../socket';
import type { ConversationService } from './conversation-service';

export function broadcastConversationChanges(
  io: BerthServer,
  conversations: Pick<ConversationService, 'events'>,
): Disposer {
  return conversations.events.on('onDidChangeConversations', ({ projectId }) => {
    io.to(projectRoom(projectId)).emit('ai:conversations', { projectId });
  });
}
