// Every tab of a project follows its assistant turns: each turn event goes to the project's room
// as `ai:<type>` with the projectId, the same events the POST …/messages stream carries.
import type { Disposer } from '../../core/typed-emitter';
import { projectRoom, type BerthServer } from '../../socket';
import type { TurnEngine } from './turn-engine';

export function broadcastTurnEvents(io: BerthServer, turns: Pick<TurnEngine, 'events'>): Disposer {
  return turns.events.on('onDidEmitTurnEvent', ({ projectId, event }) => {
    const room = io.to(projectRoom(projectId));
    switch (event.type) {
      case 'started':
        return void room.emit('ai:started', { ...event, projectId });
      case 'text':
        return void room.emit('ai:text', { ...event, projectId });
      case 'tool-call':
        return void room.emit('ai:tool-call', { ...event, projectId });
      case 'tool-result':
        return void room.emit('ai:tool-result', { ...event, projectId });
      case 'tool-output':
        return void room.emit('ai:tool-output', { ...event, projectId });
      case 'error':
        return void room.emit('ai:error', { ...event, projectId });
      case 'done':
        return void room.emit('ai:done', { ...event, projectId });
    }
  });
}
