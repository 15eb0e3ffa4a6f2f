// A turn's changed files as stored, with what the turn left in each (afterSha256): TurnDto leaves
// the fingerprints out, the user's-edits note needs them to tell a file the user changed after
// the turn wrote it.
import { recordedTurnFileChangeSchema, type RecordedTurnFileChange } from '../../contracts';
import type { PrismaClient } from '../../db';

export type TurnChangesReader = (turnId: string) => Promise<RecordedTurnFileChange[]>;

export function turnChangesReader(prisma: PrismaClient): TurnChangesReader {
  return async (turnId) => {
    const row = await prisma.turn.findUnique({ where: { id: turnId }, select: { changedFiles: true } });
    const parsed = recordedTurnFileChangeSchema.array().safeParse(row?.changedFiles ?? []);
    return parsed.success ? parsed.data : [];
  };
}
