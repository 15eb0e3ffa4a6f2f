// The base of a link: the last state both sides agreed on (docs/adr-hybrid-sync.md), read for the
// three-way comparison and saved after each sync. Its files are a snapshot of the project (reason
// 'sync', labelled "synced with <remote>", so it is kept and its blobs with it); its conversations
// are { id: version } on the link row. Only one base per link: the previous one is deleted once
// the new one is recorded (by the caller, in the same transaction as the link update).
//
// The base snapshot is dated just before the project's newest other snapshot, never after it: the
// newest snapshot is what a lost volume is refilled from and what the project's own side reads
// while its workspace is stopped, and the base may lag behind it (a one-way sync, an unanswered
// conflict): it must never pass for the project's current files.
import { z } from 'zod';
import type { SnapshotStore } from '../../snapshots';
import type { PrismaClient } from '../../db';
import type { SyncBase } from '../core/run-sync';

const conversationVersionsSchema = z.record(z.string(), z.string());

export interface StoredBase {
  baseSnapshotId: string | null;
  baseConversations: unknown;
  lastSyncedAt: Date | null;
}

export class SyncBaseStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: Pick<SnapshotStore, 'create' | 'manifest' | 'missingBlobs'>,
  ) {}

  /**
   * The base to compare against; null before the first sync. A base snapshot deleted by hand
   * reads as no files: whatever either side holds then counts as added on that side and is
   * copied to the other (nothing is deleted on the strength of a lost base).
   */
  async read(link: StoredBase): Promise<SyncBase | null> {
    const conversations = conversationVersionsSchema.safeParse(link.baseConversations);
    if (!link.lastSyncedAt && !link.baseSnapshotId) return null;
    const files = link.baseSnapshotId ? await this.store.manifest(link.baseSnapshotId) : [];
    return { files, conversations: conversations.success ? conversations.data : {} };
  }

  /**
   * Saves the files of `base` as a snapshot of the project; returns its id, or null for no files
   * (an empty base compares like none, and an empty snapshot would pass for the project's files).
   * Entries whose content this Berth does not hold are left out (they read as added next time).
   */
  async saveFiles(projectId: string, previousBaseId: string | null, base: SyncBase, label: string) {
    if (base.files.length === 0) return null;
    const missing = await this.store.missingBlobs(base.files.map((file) => file.sha256));
    const files = missing.size ? base.files.filter((file) => !missing.has(file.sha256)) : base.files;
    if (files.length === 0) return null;
    const newest = await this.prisma.snapshot.findFirst({
      where: { projectId, ...(previousBaseId ? { id: { not: previousBaseId } } : {}) },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    const snapshot = await this.store.create({
      projectId,
      createdAt: newest ? new Date(newest.createdAt.getTime() - 1) : undefined,
      reason: 'sync',
      label,
      files: files.map(({ path, mode, size, sha256 }) => ({ path, mode, size, sha256 })),
      skipped: [],
      newBytes: 0,
      changedFiles: 0,
    });
    return snapshot.id;
  }
}
