// The turns the user undid ("Undo this turn"), told to the model with each request: their messages
// stay in the conversation, so without this the model would think its changes are still there.
import type { MessageDto, TurnFileChange } from '../../contracts';

/** Undone turns listed at most (the newest). */
export const UNDONE_TURNS_MAX = 10;

export interface UndoneTurn {
  id: string;
  changedFiles: readonly TurnFileChange[];
  undoneAt?: string | null;
}

/** The note ('' when no turn was undone). */
export function undoneTurnsNote(history: readonly MessageDto[], turns: readonly UndoneTurn[]): string {
  const undone = turns.filter((turn) => turn.undoneAt);
  if (!undone.length) return '';
  const requests = new Map(
    history.filter((message) => message.role === 'user' && message.turnId).map((m) => [m.turnId!, m.content]),
  );
  const lines = undone.slice(-UNDONE_TURNS_MAX).map((turn) => {
    const asked = (requests.get(turn.id) ?? '(request not kept)').replace(/\s+/g, ' ').trim();
    const request = asked.length > 120 ? `${asked.slice(0, 119)}…` : asked;
    const files = turn.changedFiles.map((change) => change.path).join(', ') || 'no files';
    return `- "${request}" → put back: ${files}`;
  });
  return [
    'The user undid these turns of yours: their file changes were put back as they were before the turn ' +
      '(what the conversation says they did is no longer in the files):',
    ...lines,
  ].join('\n');
}
