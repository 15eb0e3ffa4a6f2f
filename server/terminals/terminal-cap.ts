// The per-project terminal cap. Terminals whose shell ended with an earlier container (the
// workspace stopped or restarted since) do not count: they stay listed, with their scrollback
// and a Restart, until room is needed — then the oldest of them are closed so that the list,
// and the memory of their scrollbacks, stays within the cap.
import type { TerminalSession } from './terminal-session';

type Counted = Pick<TerminalSession, 'state' | 'exitedAt' | 'createdAt'>;

/** Exited before the workspace's current container started (`currentStart`: its ISO start time). */
export function isStale(session: Counted, currentStart: string | undefined): boolean {
  const started = Date.parse(currentStart ?? '');
  return (
    session.state === 'exited' &&
    session.exitedAt !== null &&
    !Number.isNaN(started) &&
    session.exitedAt.getTime() < started
  );
}

export function countTowardCap(sessions: readonly Counted[], currentStart: string | undefined): number {
  return sessions.filter((session) => !isStale(session, currentStart)).length;
}

/** For one more terminal: whether the cap refuses it, and which stale terminals to close first. */
export function planNewTerminal<T extends Counted>(
  sessions: readonly T[],
  currentStart: string | undefined,
  max: number,
): { refused: boolean; close: T[] } {
  if (countTowardCap(sessions, currentStart) >= max) return { refused: true, close: [] };
  const stale = sessions
    .filter((session) => isStale(session, currentStart))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return { refused: false, close: stale.slice(0, Math.max(0, sessions.length + 1 - max)) };
}
