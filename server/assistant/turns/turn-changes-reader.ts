// The conversation's previous turn as the user's-edits note needs it: its snapshot's files and the
// files it changed as stored, with what the turn left in each (afterSha256). TurnDto leaves the
// fingerprints out; the note needs them to tell a file the user changed after the turn wrote it.
// One query (one round trip: a turn's first token waits for it), by conversation alone, so a turn
// can start it before the conversation itself has been read.
import { z } from 'zod';
import { recordedTurnFileChangeSchema, type RecordedTurnFileChange } from '../../contracts';
import type { PrismaClient } from '../../db';
import type { ManifestEntry } from '../../snapshots';

export interface PreviousTurn {
  id: string;
  snapshotId: string;
  changedFiles: readonly RecordedTurnFileChange[];
  /** Its snapshot's files (a turn's snapshot is unset when the snapshot goes, so it exists). */
  files: readonly ManifestEntry[];
}

/** The conversation's last ended turn that has a snapshot; null when there is none. */
export type TurnChangesReader = (conversationId: string) => Promise<PreviousTurn | null>;

const manifestSchema = z.array(z.object({ path: z.string(), mode: z.number(), size: z.number(), sha256: z.string() }));

export function turnChangesReader(prisma: PrismaClient): TurnChangesReader {
  return async (conversationId) => {
    const rows = await prisma.$queryRaw<{ id: string; snapshotId: string; changedFiles: unknown; files: unknown }[]>`
      SELECT t.id, t."snapshotId", t."changedFiles",
        (SELECT coalesce(json_agg(json_build_object('path', f.path, 'mode', f.mode, 'size', f.size, 'sha256', f.sha256)), '[]')
           FROM "SnapshotFile" f WHERE f."snapshotId" = t."snapshotId") AS files
      FROM "Turn" t
      WHERE t."conversationId" = ${conversationId} AND t."snapshotId" IS NOT NULL AND t.status <> 'running'
      ORDER BY t."startedAt" DESC
      LIMIT 1`;
    const row = rows[0];
    if (!row) return null;
    const changed = recordedTurnFileChangeSchema.array().safeParse(row.changedFiles);
    return {
      id: row.id,
      snapshotId: row.snapshotId,
      changedFiles: changed.success ? changed.data : [],
      files: manifestSchema.parse(row.files),
    };
  };
}
