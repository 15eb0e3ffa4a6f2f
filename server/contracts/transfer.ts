// Exports on the wire (issue 18): the export history of a project, incremental bundles (a bundle
// of what changed since a snapshot, applied onto a project that has it) and the duplication of a
// conversation into the same or another project.
import { z } from 'zod';
import { projectIdSchema } from './ids';

/** zip: the files · full: a bundle with the whole history · incremental: a bundle since a snapshot · conversations: one conversation's JSON. */
export const EXPORT_KINDS = ['zip', 'full', 'incremental', 'conversations'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** One download of a project, as GET /api/v1/projects/:id/exports lists it (newest first). */
export interface ExportRecordDto {
  id: string;
  kind: ExportKind;
  createdAt: string;
  /** Bytes sent; null when not known. */
  bytes: number | null;
  /** Who downloaded it. */
  user: { id: string; name: string; email: string };
}

export interface ExportHistoryDto {
  exports: ExportRecordDto[];
}

/** GET /api/v1/projects/:id/bundle?since=<snapshotId>: without `since`, the full bundle. */
export const bundleQuerySchema = z.object({
  since: z.string().trim().min(1, 'since must name a snapshot').max(64).optional(),
});

/** POST /api/v1/projects/:id/bundle (an incremental bundle as multipart field "file"): what it did. */
export interface IncrementalImportResultDto {
  projectId: string;
  /** Snapshots added to the project's history, the bundle's newest last. */
  snapshotsAdded: number;
  /** Conversations the bundle brought (those begun after its base snapshot). */
  conversationsAdded: number;
  /** The project as it was just before: restore it to undo the import. Null when nothing had to be replaced. */
  safetySnapshotId: string | null;
  /** The snapshot the project now holds (its files are the bundle's newest snapshot). */
  currentSnapshotId: string;
}

/** POST /api/v1/projects/:id/conversations/:cid/duplicate: into `targetProjectId`, or the same project. */
export const duplicateConversationSchema = z.object({
  targetProjectId: projectIdSchema.optional(),
});
export type DuplicateConversationInput = z.infer<typeof duplicateConversationSchema>;

/** The copy: a new conversation of `projectId`. */
export interface DuplicatedConversationDto {
  id: string;
  projectId: string;
  title: string;
}
