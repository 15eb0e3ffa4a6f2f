// berth clone <project> [dir]: a new folder holding the project (by id or exact name), with its
// .berth/ state, filled by a first sync that only downloads. A folder that already has files is
// connected instead: a first sync with no base (identical files agree, files only on one side are
// copied only the way --mode allows — down by default, so nothing is uploaded unasked — and files
// that differ are conflicts answered with --on-conflict, ask by default).
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ConflictStrategy, SyncMode, SyncRequest } from '../../contracts/sync';
import type { RemoteProject } from '../../sync/core/berth-client';
import type { CliIo } from '../cli-io';
import { folderLayout } from '../folder-layout';
import { displayPath, openFolderSession, syncFolder } from '../folder-session';
import { readBaseFile, readFolderConfig, writeFolderConfig, type FolderConfig } from '../folder-state';
import { createProgress } from '../progress';
import { formatSyncReport, skippedNotes, undoHint, unresolvedConflicts } from '../sync-report';
import { EXIT_CONFLICTS } from './sync';
import { clientFor } from './projects';

export function findProject(projects: readonly RemoteProject[], wanted: string): RemoteProject {
  const byId = projects.find((project) => project.id === wanted);
  if (byId) return byId;
  const byName = projects.filter((project) => project.name === wanted);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1)
    throw new Error(
      `${byName.length} projects are named ${wanted}; clone one by id: ${byName.map((p) => p.id).join(', ')}`,
    );
  throw new Error(`No project ${JSON.stringify(wanted)} (by id or exact name); berth projects lists them`);
}

/** A folder name from a project name: path separators and control characters out. */
export function folderNameFor(name: string): string {
  const cleaned = name.replace(/[/\\\0-\x1f]/g, '-').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'berth-project' : cleaned;
}

/**
 * Whether `root` already holds files to connect (else it is new or empty); refuses a folder that
 * is a synced copy already (of another project, or of this one after its first sync: berth sync).
 */
async function existingFolder(root: string, config: FolderConfig): Promise<boolean> {
  const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!names || names.length === 0) return false;
  const layout = folderLayout(root);
  const current = await readFolderConfig(layout);
  if (current && (current.url !== config.url || current.projectId !== config.projectId))
    throw new Error(
      `${displayPath(root)} is already a synced copy of ${current.projectName} on ${current.url}; clone into another folder`,
    );
  // The same project before any sync finished (an interrupted clone): connecting it again is that clone.
  if (current && (await readBaseFile(layout)))
    throw new Error(`${displayPath(root)} is already a synced copy of ${config.projectName}; use berth sync`);
  return true;
}

export async function clone(
  input: { project: string; dir?: string; url?: string; mode?: SyncMode; onConflict?: ConflictStrategy },
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const client = await clientFor(input.url, io);
  const project = findProject(await client.projects(), input.project);
  const dirArg = input.dir ?? folderNameFor(project.name);
  const root = path.resolve(io.cwd, dirArg);
  const config = { url: client.baseUrl, projectId: project.id, projectName: project.name };
  const connecting = await existingFolder(root, config);
  await mkdir(root, { recursive: true });
  const layout = folderLayout(root);
  await writeFolderConfig(layout, config);
  const session = await openFolderSession(layout, config, io, { command: 'clone', template: project.template });
  // A folder with files of its own: nothing uploaded unless asked (--mode), differences are conflicts.
  const request: SyncRequest = connecting
    ? { mode: input.mode ?? 'download', onConflict: input.onConflict ?? 'ask' }
    : { mode: input.mode ?? 'download', onConflict: input.onConflict ?? 'remote' };
  io.err(
    connecting
      ? `Connecting ${displayPath(root)} (it already has files) to ${project.name}…`
      : `Cloning ${project.name} into ${displayPath(root)}…`,
  );
  const progress = createProgress(io);
  let onlyHere: string[] = [];
  const outcome = await syncFolder(session, request, { onProgress: progress.onProgress, signal })
    .then(async (outcome) => {
      if (connecting && outcome.result.success) {
        // Files only in this folder that did not travel (a download-only connect): the next sync both ways uploads them.
        const agreed = new Set(outcome.base.files.map((entry) => entry.path));
        const conflicted = new Set(outcome.result.conflicts.map((conflict) => conflict.path));
        onlyHere = (await session.local.scan()).files
          .map((entry) => entry.path)
          .filter((file) => !agreed.has(file) && !conflicted.has(file));
      }
      return outcome;
    })
    .finally(() => {
      progress.finish();
      return session.close();
    });
  for (const line of formatSyncReport(outcome.result, { verbose: connecting })) io.out(line);
  if (connecting && outcome.result.beforeSnapshots?.local) io.out(undoHint(dirArg));
  if (onlyHere.length > 0)
    io.err(
      `note: ${onlyHere.length} ${onlyHere.length === 1 ? 'file is' : 'files are'} only in this folder, not on the Berth; berth sync (both ways) uploads them`,
    );
  for (const line of skippedNotes(session.local.skipped)) io.err(line);
  if (!outcome.result.success) return 1;
  return unresolvedConflicts(outcome.result).length > 0 ? EXIT_CONFLICTS : 0;
}
