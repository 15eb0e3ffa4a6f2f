// Every tab of a project follows undo and rewind: each goes to the project's room as
// `ai:turn-updated` (a turn now undone, or turns rewound with their messages gone).
import type { Disposer } from '../../core/typed-emitter';
import { projectRoom, type BerthServer } from '../../socket';
import type { TurnUndo } from './turn-undo';

export function broadcastTurnUpdates(io: BerthServer, undo: Pick<TurnUndo, 'events'>): Disposer {
  return undo.events.on('onDidUpdateTurns', (push) => {
    io.to(projectRoom(push.projectId)).emit('ai:turn-updated', push);
  });
}
