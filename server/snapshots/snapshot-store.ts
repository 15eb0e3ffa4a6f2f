// PostgreSQL side of snapshots: blobs (content-addressed, shared by every project), manifests
// and their metadata. A snapshot is inserted with all its files in one transaction, and every
// file's blob must exist (foreign key), so a snapshot is whole or absent. Garbage collection
// deletes only blobs nothing references that are older than a grace period: a blob uploaded
// for a snapshot still being written is never taken from under it.
import type { Prisma, PrismaClient } from '../db';
import type { SkippedFile, SnapshotDto, SnapshotReason } from '../contracts';
import { decodeBlob, type EncodedBlob } from './blob-codec';

export interface ManifestEntry {
  path: string;
  /** Full st_mode (type bits included). */
  mode: number;
  size: number;
  sha256: string;
}

export interface NewSnapshot {
  projectId: string;
  /** When it was taken; now unless imported from a bundle. */
  createdAt?: Date;
  reason: SnapshotReason;
  label?: string | null;
  files: ManifestEntry[];
  skipped: SkippedFile[];
  newBytes: number;
  changedFiles: number;
}

const BLOB_GRACE_MINUTES = 60;
/** How a sync labels the snapshot it takes before it writes (run-sync.ts): "before sync with <peer>". */
export const BEFORE_SYNC_LABEL = 'before sync with ';
/** A sync's labelled before-snapshots kept per project: automatic syncs and `berth watch` take many. */
export const BEFORE_SYNC_KEEP = 20;
/** Rows per INSERT: large manifests go in a few statements, still inside one transaction. */
const FILE_BATCH = 5_000;

type SnapshotRow = Awaited<ReturnType<PrismaClient['snapshot']['findFirstOrThrow']>>;

export function toSnapshotDto(row: SnapshotRow): SnapshotDto {
  return {
    id: row.id,
    projectId: row.projectId,
    createdAt: row.createdAt.toISOString(),
    reason: row.reason as SnapshotReason,
    label: row.label,
    fileCount: row.fileCount,
    totalBytes: Number(row.totalBytes),
    newBytes: Number(row.newBytes),
    changedFiles: row.changedFiles,
    skipped: row.skipped as unknown as SkippedFile[],
  };
}

export class SnapshotStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Of these content hashes, the ones with no blob yet. */
  async missingBlobs(hashes: Iterable<string>): Promise<Set<string>> {
    const wanted = [...new Set(hashes)];
    const missing = new Set(wanted);
    for (let i = 0; i < wanted.length; i += FILE_BATCH) {
      const rows = await this.prisma.snapshotBlob.findMany({
        where: { sha256: { in: wanted.slice(i, i + FILE_BATCH) } },
        select: { sha256: true },
      });
      for (const row of rows) missing.delete(row.sha256);
    }
    return missing;
  }

  /** Stores blobs (already there: left alone). Returns the stored bytes actually added. */
  async putBlobs(blobs: EncodedBlob[]): Promise<number> {
    if (blobs.length === 0) return 0;
    const rows = await this.prisma.$queryRaw<{ storedSize: number }[]>`
      INSERT INTO "SnapshotBlob" ("sha256", "size", "storedSize", "encoding", "data")
      SELECT * FROM unnest(${blobs.map((b) => b.sha256)}::text[], ${blobs.map((b) => b.size)}::int[], ${blobs.map((b) => b.storedSize)}::int[],
                           ${blobs.map((b) => b.encoding)}::text[], ${blobs.map((b) => b.data)}::bytea[])
      ON CONFLICT ("sha256") DO NOTHING
      RETURNING "storedSize"`;
    return rows.reduce((sum, row) => sum + row.storedSize, 0);
  }

  async readBlob(sha256: string): Promise<Buffer> {
    const row = await this.prisma.snapshotBlob.findUnique({
      where: { sha256 },
      select: { encoding: true, data: true },
    });
    if (!row) throw new Error(`blob ${sha256} is missing`);
    return decodeBlob(row.encoding, row.data);
  }

  /** Several blobs at once (decoded), for restores and exports. */
  async readBlobs(hashes: string[]): Promise<Map<string, Buffer>> {
    const rows = await this.prisma.snapshotBlob.findMany({
      where: { sha256: { in: hashes } },
      select: { sha256: true, encoding: true, data: true },
    });
    return new Map(rows.map((row) => [row.sha256, decodeBlob(row.encoding, row.data)]));
  }

  /** `alsoInTransaction` runs in the insert's transaction (a sync's journal row commits with its target). */
  async create(
    input: NewSnapshot,
    alsoInTransaction?: (tx: Prisma.TransactionClient, snapshotId: string) => Promise<void>,
  ): Promise<SnapshotDto> {
    const totalBytes = input.files.reduce((sum, file) => sum + file.size, 0);
    const row = await this.prisma.$transaction(
      async (tx) => {
        const snapshot = await tx.snapshot.create({
          data: {
            projectId: input.projectId,
            ...(input.createdAt ? { createdAt: input.createdAt } : {}),
            reason: input.reason,
            label: input.label ?? null,
            fileCount: input.files.length,
            totalBytes: BigInt(totalBytes),
            newBytes: BigInt(input.newBytes),
            changedFiles: input.changedFiles,
            skipped: input.skipped as never,
          },
        });
        for (let i = 0; i < input.files.length; i += FILE_BATCH) {
          const batch = input.files.slice(i, i + FILE_BATCH);
          await tx.$executeRaw`
            INSERT INTO "SnapshotFile" ("snapshotId", "path", "mode", "size", "sha256")
            SELECT ${snapshot.id}, * FROM unnest(${batch.map((f) => f.path)}::text[], ${batch.map((f) => f.mode)}::int[],
                                                 ${batch.map((f) => f.size)}::int[], ${batch.map((f) => f.sha256)}::text[])`;
        }
        await alsoInTransaction?.(tx, snapshot.id);
        return snapshot;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    return toSnapshotDto(row);
  }

  /** A copy of a snapshot (same blobs, no new bytes) as the first snapshot of another project. */
  async copy(snapshotId: string, toProjectId: string, reason: SnapshotReason): Promise<SnapshotDto> {
    const row = await this.prisma.$transaction(async (tx) => {
      const source = await tx.snapshot.findUniqueOrThrow({ where: { id: snapshotId } });
      const copy = await tx.snapshot.create({
        data: {
          projectId: toProjectId,
          reason,
          label: null,
          fileCount: source.fileCount,
          totalBytes: source.totalBytes,
          newBytes: 0n,
          changedFiles: source.fileCount,
          skipped: source.skipped as never,
        },
      });
      await tx.$executeRaw`
        INSERT INTO "SnapshotFile" ("snapshotId", "path", "mode", "size", "sha256")
        SELECT ${copy.id}, "path", "mode", "size", "sha256" FROM "SnapshotFile" WHERE "snapshotId" = ${snapshotId}`;
      return copy;
    });
    return toSnapshotDto(row);
  }

  async list(projectId: string): Promise<SnapshotDto[]> {
    const rows = await this.prisma.snapshot.findMany({ where: { projectId }, orderBy: { createdAt: 'desc' } });
    return rows.map(toSnapshotDto);
  }

  async get(projectId: string, snapshotId: string): Promise<SnapshotDto | null> {
    const row = await this.prisma.snapshot.findFirst({ where: { id: snapshotId, projectId } });
    return row ? toSnapshotDto(row) : null;
  }

  async latest(projectId: string): Promise<SnapshotDto | null> {
    const row = await this.prisma.snapshot.findFirst({ where: { projectId }, orderBy: { createdAt: 'desc' } });
    return row ? toSnapshotDto(row) : null;
  }

  async manifest(snapshotId: string): Promise<ManifestEntry[]> {
    return this.prisma.snapshotFile.findMany({
      where: { snapshotId },
      select: { path: true, mode: true, size: true, sha256: true },
      orderBy: { path: 'asc' },
    });
  }

  /**
   * Deletes unlabelled snapshots beyond the newest `keep`, counting the user's restore points and a
   * sync's targets (reason 'sync', unlabelled) apart, so syncs never push restore points out; and a
   * sync's labelled "before sync with …" snapshots beyond the newest BEFORE_SYNC_KEEP. Never one an
   * apply still `applying` needs (its target, its before snapshot). Returns how many went.
   */
  async prune(projectId: string, keep: number): Promise<number> {
    const applying = await this.prisma.syncApply.findMany({
      where: { projectId, status: 'applying', beforeSnapshotId: { not: null } },
      select: { beforeSnapshotId: true },
    });
    const inUse = { syncApplies: { none: { status: 'applying' } } };
    const needed = new Set(applying.map((row) => row.beforeSnapshotId!));
    const beyond = (where: Prisma.SnapshotWhereInput, count: number) =>
      this.prisma.snapshot.findMany({
        where: { projectId, ...where },
        orderBy: { createdAt: 'desc' },
        skip: count,
        select: { id: true },
      });
    const old = [
      ...(await beyond({ label: null, reason: { not: 'sync' } }, keep)),
      ...(await beyond({ label: null, reason: 'sync' }, keep)),
      ...(await beyond({ reason: 'sync', label: { startsWith: BEFORE_SYNC_LABEL } }, BEFORE_SYNC_KEEP)),
    ].filter((row) => !needed.has(row.id));
    if (old.length === 0) return 0;
    const { count } = await this.prisma.snapshot.deleteMany({
      where: { id: { in: old.map((row) => row.id) }, ...inUse },
    });
    return count;
  }

  /** Deletes these snapshots of the project (others' ids are ignored); returns how many went. */
  async remove(projectId: string, snapshotIds: string[]): Promise<number> {
    if (snapshotIds.length === 0) return 0;
    const { count } = await this.prisma.snapshot.deleteMany({ where: { projectId, id: { in: snapshotIds } } });
    return count;
  }

  /** Deletes blobs no snapshot references (past the grace period); returns the stored bytes freed. */
  async collectGarbage(graceMinutes = BLOB_GRACE_MINUTES): Promise<{ blobs: number; bytes: number }> {
    const rows = await this.prisma.$queryRaw<{ storedSize: number }[]>`
      DELETE FROM "SnapshotBlob" b
      WHERE b."createdAt" < now() - make_interval(mins => ${graceMinutes}::int)
        AND NOT EXISTS (SELECT 1 FROM "SnapshotFile" f WHERE f."sha256" = b."sha256")
      RETURNING b."storedSize"`;
    return { blobs: rows.length, bytes: rows.reduce((sum, row) => sum + row.storedSize, 0) };
  }
}
