// Tells a project's tabs when a port of its workspace opens or closes ('preview:changed', pushed
// by the agent's port scan), so the preview pane fetches its list at once instead of polling.
// The URLs themselves stay behind GET …/previews: capabilities are minted per request there.
import { onAgentEvent, type AgentAnnouncer } from '../core/agent-events';
import type { Disposer } from '../core/typed-emitter';
import { projectRoom, type BerthServer } from '../socket';

export function broadcastPortChanges(io: BerthServer, workspaces: AgentAnnouncer): Disposer {
  return onAgentEvent(workspaces, 'ports.changed', (projectId) =>
    io.to(projectRoom(projectId)).emit('preview:changed', { projectId }),
  );
}
