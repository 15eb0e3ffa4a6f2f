// Projects in and out: export as a ZIP (streamed from the current snapshot, so ignore rules
// apply; refused before the first byte when a name cannot go into a ZIP unchanged; a stream cut
// short is logged), duplicate (a copy of the current snapshot: same blobs, no new bytes; and of
// the assistant's conversations, with new ids) and
// import from a ZIP (checked whole before anything is created; the files become the new
// project's first snapshot, which its first start puts into the volume). A failed import
// creates nothing. Bundles: full or incremental (since a snapshot) out, full in as a new project,
// incremental onto the project that has its base. Every finished download is in the export history.
import type { Writable } from 'node:stream';
import type {
  ExportKind,
  ExportRecordDto,
  IncrementalImportResultDto,
  ProjectDto,
  SnapshotDto,
  TemplateId,
} from '../contracts';
import { DomainError, notFound } from '../core/errors';
import { KeyedLock } from '../core/keyed-lock';
import type { Logger } from '../core/logger';
import {
  BlobWriter,
  isSymlinkMode,
  S_IFLNK,
  S_IFREG,
  type ManifestEntry,
  type SnapshotService,
  type SnapshotStore,
} from '../snapshots';
import type { TransferConversations } from './bundle-conversations';
import { isBundle } from './bundle-format';
import { applyIncrementalBundle } from './incremental-import';
import { importBundle, writeBundle, type SinceSnapshot } from './project-bundle';
import { firstUnexportable, readZip, writeZip, ZipImportError, type ZipLimits } from './zip';

export interface TransferProjects {
  get(userId: string, projectId: string): Promise<ProjectDto>;
  create(userId: string, input: { name: string; template: TemplateId }): Promise<ProjectDto>;
  delete(userId: string, projectId: string): Promise<void>;
}

/** Where finished downloads are recorded and listed (ExportHistory). */
export interface ExportRecorder {
  record(userId: string, projectId: string, kind: ExportKind, bytes: number | null): Promise<void>;
  list(projectId: string): Promise<ExportRecordDto[]>;
}

export interface TransferWorkspaces {
  ensureRunning(projectId: string): Promise<unknown>;
  agent(projectId: string): unknown;
}

/** Imported projects start from no template: their files come from the archive. */
const IMPORT_TEMPLATE: TemplateId = 'blank-node';

export class ProjectTransfer {
  /** One incremental import per project at a time: two would interleave their restores. */
  private readonly applying = new KeyedLock();

  constructor(
    private readonly projects: TransferProjects,
    private readonly workspaces: TransferWorkspaces,
    private readonly service: SnapshotService,
    private readonly store: SnapshotStore,
    private readonly conversations: TransferConversations,
    private readonly history: ExportRecorder,
    private readonly zipLimits: Partial<ZipLimits>,
    private readonly log?: Logger,
  ) {}

  /** The project's files as a ZIP: `start` gets the file name before the first byte is written. */
  async exportZip(userId: string, projectId: string, out: Writable, start: (fileName: string) => void): Promise<void> {
    const project = await this.projects.get(userId, projectId);
    const manifest = await this.zippableManifest(projectId);
    start(`${fileNameOf(project.name)}.zip`);
    const store = this.store;
    async function* entries() {
      for (const entry of manifest) {
        yield {
          path: entry.path,
          type: isSymlinkMode(entry.mode) ? ('symlink' as const) : ('file' as const),
          mode: entry.mode & 0o7777,
          open: () => store.readBlob(entry.sha256),
        };
      }
    }
    const { bytes } = await this.logAborted(projectId, 'zip', writeZip(entries(), out));
    await this.recordExport(userId, projectId, 'zip', bytes);
  }

  /** Whether exportZip would start (GET export.zip?check=1): throws its 422 unexportable_name, writes nothing. */
  async checkZip(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
    await this.zippableManifest(projectId);
  }

  /** The current snapshot's manifest, refused before the first byte when a name cannot go into a ZIP unchanged. */
  private async zippableManifest(projectId: string): Promise<ManifestEntry[]> {
    const manifest = await this.store.manifest((await this.current(projectId)).id);
    // A name ZIP cannot carry would otherwise be changed or cut the download.
    const unexportable = firstUnexportable(manifest.map((entry) => entry.path));
    if (unexportable)
      throw new DomainError('unprocessable', 'unexportable_name', unexportable.message, {
        path: unexportable.path,
        count: unexportable.count,
      });
    return manifest;
  }

  async duplicate(userId: string, projectId: string): Promise<ProjectDto> {
    const project = await this.projects.get(userId, projectId);
    const snapshot = await this.current(projectId);
    const copy = await this.projects.create(userId, { name: copyName(project.name), template: project.template });
    try {
      await this.store.copy(snapshot.id, copy.id, 'duplicate');
      await this.conversations.importAll(userId, copy.id, await this.conversations.exportAll(userId, projectId));
    } catch (error) {
      await this.projects.delete(userId, copy.id).catch(() => undefined);
      throw error;
    }
    return copy;
  }

  /**
   * The project with its whole snapshot history, to import on another Berth server; with `sinceId`
   * (one of its snapshots) only what changed after it: the later snapshots, the blobs that
   * snapshot lacks and the conversations begun after it, to apply onto a project that has it.
   */
  async exportBundle(
    userId: string,
    projectId: string,
    out: Writable,
    start: (fileName: string) => void,
    sinceId?: string,
  ): Promise<void> {
    const project = await this.projects.get(userId, projectId);
    let base: SinceSnapshot | undefined;
    if (sinceId !== undefined) {
      const snapshot = await this.store.get(projectId, sinceId);
      if (!snapshot) throw notFound('Snapshot not found');
      base = { snapshot, files: await this.store.manifest(snapshot.id) };
    }
    if (this.workspaces.agent(projectId)) await this.service.take(projectId, 'auto');
    // Read before the first byte, so a failure is still an error answer rather than a cut download.
    let conversations = await this.conversations.exportAll(userId, projectId);
    if (base) {
      const after = Date.parse(base.snapshot.createdAt);
      conversations = conversations.filter((conversation) => Date.parse(conversation.createdAt) > after);
    }
    start(`${fileNameOf(project.name)}${base ? '.changes' : ''}.berth.zip`);
    const bytes = await this.logAborted(
      projectId,
      'bundle',
      writeBundle(this.store, project, conversations, out, base),
    );
    await this.recordExport(userId, projectId, base ? 'incremental' : 'full', bytes);
  }

  /** Applies an incremental bundle (the upload at `file`) onto the project: 409 base_missing when it lacks the base. */
  async applyBundle(userId: string, projectId: string, file: string): Promise<IncrementalImportResultDto> {
    await this.projects.get(userId, projectId);
    const zip = await readZip(file, this.zipLimits).catch((error: unknown) => {
      throw asDomainError(error);
    });
    try {
      if (!isBundle(zip))
        throw new DomainError(
          'bad_request',
          'bad_bundle',
          'The ZIP is not a Berth bundle (it has no berth-bundle.json)',
        );
      const deps = {
        store: this.store,
        service: this.service,
        workspaces: this.workspaces,
        conversations: this.conversations,
      };
      return await this.applying.run(projectId, () => applyIncrementalBundle(deps, userId, projectId, zip));
    } catch (error) {
      throw asDomainError(error);
    } finally {
      zip.close();
    }
  }

  /** Throws 404 unless the project is the user's (before an upload is read). */
  async assertProject(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
  }

  /** The project's export history, newest first (owner only). */
  async exports(userId: string, projectId: string): Promise<ExportRecordDto[]> {
    await this.projects.get(userId, projectId);
    return this.history.list(projectId);
  }

  /** A download of the project's conversation on its own, told by the assistant's conversation export. */
  async recordConversationExport(userId: string, projectId: string, bytes: number): Promise<void> {
    await this.recordExport(userId, projectId, 'conversations', bytes);
  }

  /** The download went out whole: a history row. Failing to write it does not fail the download, only logs. */
  private async recordExport(userId: string, projectId: string, kind: ExportKind, bytes: number): Promise<void> {
    await this.history.record(userId, projectId, kind, bytes).catch((error: unknown) => {
      this.log?.warn({ projectId, kind, err: error }, 'export history not recorded');
    });
  }

  /** A download that fails after its headers can only be cut off: say so in the log, then let it fail. */
  private async logAborted<T>(projectId: string, kind: 'zip' | 'bundle', streaming: Promise<T>): Promise<T> {
    try {
      return await streaming;
    } catch (error) {
      this.log?.warn({ projectId, kind, err: error }, 'export stream aborted');
      throw error;
    }
  }

  /** A new project from the ZIP at `file` (a temp file the upload was streamed to): a Berth bundle, or plain files. */
  async importZip(userId: string, file: string, names: { given?: string; fallback: string }): Promise<ProjectDto> {
    const zip = await readZip(file, this.zipLimits).catch((error: unknown) => {
      throw asDomainError(error);
    });
    try {
      if (isBundle(zip))
        return await importBundle(this.store, this.projects, this.conversations, userId, zip, names.given);
      const name = names.given ?? names.fallback;
      const manifest: ManifestEntry[] = [];
      const writer = new BlobWriter(this.store);
      for (const entry of zip.files) {
        const chunks: Buffer[] = [];
        for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
        await writer.add(Buffer.concat(chunks), (blob) =>
          manifest.push({ path: entry.path, mode: S_IFREG | entry.mode, size: blob.size, sha256: blob.sha256 }),
        );
      }
      for (const link of zip.symlinks) {
        await writer.add(Buffer.from(link.target), (blob) =>
          manifest.push({ path: link.path, mode: S_IFLNK | 0o777, size: blob.size, sha256: blob.sha256 }),
        );
      }
      const newBytes = await writer.finish();
      manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const project = await this.projects.create(userId, { name, template: IMPORT_TEMPLATE });
      try {
        await this.store.create({
          projectId: project.id,
          reason: 'import',
          files: manifest,
          skipped: [],
          newBytes,
          changedFiles: manifest.length,
        });
      } catch (error) {
        await this.projects.delete(userId, project.id).catch(() => undefined);
        throw error;
      }
      return project;
    } catch (error) {
      throw asDomainError(error);
    } finally {
      zip.close();
    }
  }

  /** The snapshot that is the project now: a fresh one if the workspace runs (or never ran). */
  private async current(projectId: string): Promise<SnapshotDto> {
    if (!this.workspaces.agent(projectId)) {
      const latest = await this.store.latest(projectId);
      if (latest) return latest;
      await this.workspaces.ensureRunning(projectId);
    }
    return (await this.service.take(projectId, 'auto')).snapshot;
  }
}

const fileNameOf = (name: string) => name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'project';

function copyName(name: string): string {
  const copy = `${name} copy`;
  return copy.length <= 64 ? copy : `${name.slice(0, 59)} copy`;
}

function asDomainError(error: unknown): unknown {
  if (error instanceof ZipImportError)
    return new DomainError(error.kind, error.code, error.message, error.entry ? { entry: error.entry } : undefined);
  return error;
}
