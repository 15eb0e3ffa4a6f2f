// Which blobs a user may name, per the ADR: the blob table is shared by every user, so "missing",
// "may apply" and "may read" are answered within the caller's own projects (and, for the first
// two, the blobs the caller itself uploaded: SyncBlobGrant rows) — never globally, which would
// tell anyone whether some other user holds a given file.
import type { PrismaClient } from '../../db';

/** Hashes per query: large manifests go in a few statements. */
const BATCH = 5_000;
/** Grants older than this are dropped (an apply follows its upload within minutes). */
export const GRANT_TTL_HOURS = 24;

export class BlobScope {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Of `hashes`, those the user must still send: not stored, or stored but neither in a snapshot
   * of one of the user's projects nor uploaded by the user.
   */
  async missing(userId: string, hashes: readonly string[]): Promise<string[]> {
    const held = await this.held(userId, hashes);
    return unique(hashes).filter((hash) => !held.has(hash));
  }

  /** Of `hashes`, those the user holds (see missing), with their sizes. */
  async held(userId: string, hashes: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const batch of batches(unique(hashes))) {
      const rows = await this.prisma.$queryRaw<{ sha256: string; size: number }[]>`
        SELECT b."sha256", b."size" FROM unnest(${batch}::text[]) AS h("sha256")
        JOIN "SnapshotBlob" b ON b."sha256" = h."sha256"
        WHERE EXISTS (SELECT 1 FROM "SyncBlobGrant" g WHERE g."userId" = ${userId} AND g."sha256" = h."sha256")
           OR EXISTS (SELECT 1 FROM "SnapshotFile" f JOIN "Snapshot" s ON s."id" = f."snapshotId"
                      JOIN "Project" p ON p."id" = s."projectId"
                      WHERE f."sha256" = h."sha256" AND p."ownerId" = ${userId})`;
      for (const row of rows) found.set(row.sha256, row.size);
    }
    return found;
  }

  /** Of `hashes`, those in a snapshot of one of the user's projects (what blobs/read may send), with their sizes. */
  async readable(userId: string, hashes: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const batch of batches(unique(hashes))) {
      const rows = await this.prisma.$queryRaw<{ sha256: string; size: number }[]>`
        SELECT b."sha256", b."size" FROM unnest(${batch}::text[]) AS h("sha256")
        JOIN "SnapshotBlob" b ON b."sha256" = h."sha256"
        WHERE EXISTS (SELECT 1 FROM "SnapshotFile" f JOIN "Snapshot" s ON s."id" = f."snapshotId"
                      JOIN "Project" p ON p."id" = s."projectId"
                      WHERE f."sha256" = h."sha256" AND p."ownerId" = ${userId})`;
      for (const row of rows) found.set(row.sha256, row.size);
    }
    return found;
  }

  /** Records that the user sent these blobs (each verified against its hash). */
  async grant(userId: string, hashes: readonly string[]): Promise<void> {
    for (const batch of batches(unique(hashes)))
      await this.prisma.$executeRaw`
        INSERT INTO "SyncBlobGrant" ("userId", "sha256")
        SELECT ${userId}, h FROM unnest(${batch}::text[]) AS h
        ON CONFLICT ("userId", "sha256") DO UPDATE SET "createdAt" = now()`;
  }

  /** Drops grants past their time; returns how many went. */
  async dropOldGrants(ttlHours = GRANT_TTL_HOURS): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM "SyncBlobGrant" WHERE "createdAt" < now() - make_interval(hours => ${ttlHours}::int)`;
  }
}

const unique = (hashes: readonly string[]) => [...new Set(hashes)];

function* batches(items: string[]): Generator<string[]> {
  for (let start = 0; start < items.length; start += BATCH) yield items.slice(start, start + BATCH);
}
