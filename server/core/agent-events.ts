// Subscribing to what every workspace agent pushes (fs.changed, ports.changed…), one
// subscription per project: a reconnected agent replaces the old one. Structural types only,
// so feature modules can listen without importing the workspaces module.
import type { Disposer } from './typed-emitter';

interface AgentEvents {
  events: { on(event: 'onDidEvent', listener: (payload: { event: string; data: unknown }) => void): Disposer };
}

/** Events of a (re)connected workspace agent, as WorkspaceService announces them. */
export interface AgentAnnouncer {
  events: {
    on(event: 'onDidConnectAgent', listener: (payload: { projectId: string; agent: AgentEvents }) => void): Disposer;
  };
}

/** Calls `listener` with every `event` any project's agent pushes, until disposed. */
export function onAgentEvent(
  announcer: AgentAnnouncer,
  event: string,
  listener: (projectId: string, data: unknown) => void,
): Disposer {
  const subscriptions = new Map<string, Disposer>();
  const off = announcer.events.on('onDidConnectAgent', ({ projectId, agent }) => {
    subscriptions.get(projectId)?.();
    subscriptions.set(
      projectId,
      agent.events.on('onDidEvent', (pushed) => {
        if (pushed.event === event) listener(projectId, pushed.data);
      }),
    );
  });
  return () => {
    off();
    for (const dispose of subscriptions.values()) dispose();
    subscriptions.clear();
  };
}
