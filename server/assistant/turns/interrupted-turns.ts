// Crash safety: a turn is run by the process that started it, so a turn still `running` in the
// database when Berth starts was cut off by a crash or restart. Left so, it would keep its
// project busy forever; at start-up it is marked failed.
import type { PrismaClient } from '../../db';

export const INTERRUPTED_TURN_ERROR = 'Berth restarted while the turn was running';

/** Marks turns that started before `processStart` and are still running as failed; returns how many. */
export async function failInterruptedTurns(prisma: PrismaClient, processStart: Date): Promise<number> {
  const { count } = await prisma.turn.updateMany({
    where: { status: 'running', startedAt: { lt: processStart } },
    data: { status: 'failed', endedAt: new Date(), error: INTERRUPTED_TURN_ERROR },
  });
  return count;
}
