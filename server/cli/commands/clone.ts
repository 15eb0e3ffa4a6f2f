// berth clone <project> [dir]: a new folder holding the project (by id or exact name), with its
// .berth/ state, filled by a first sync that only downloads.
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { RemoteProject } from '../../sync/core/berth-client';
import type { CliIo } from '../cli-io';
import { folderLayout } from '../folder-layout';
import { displayPath, openFolderSession, syncFolder } from '../folder-session';
import { writeFolderConfig } from '../folder-state';
import { createProgress } from '../progress';
import { formatSyncReport } from '../sync-report';
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

export async function clone(
  input: { project: string; dir?: string; url?: string },
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const client = await clientFor(input.url, io);
  const project = findProject(await client.projects(), input.project);
  const root = path.resolve(io.cwd, input.dir ?? folderNameFor(project.name));
  const existing = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing && existing.length > 0) throw new Error(`${displayPath(root)} exists and is not empty`);
  await mkdir(root, { recursive: true });
  const layout = folderLayout(root);
  const config = { url: client.baseUrl, projectId: project.id, projectName: project.name };
  await writeFolderConfig(layout, config);
  const session = await openFolderSession(layout, config, io, { command: 'clone', template: project.template });
  io.err(`Cloning ${project.name} into ${displayPath(root)}…`);
  const progress = createProgress(io);
  const outcome = await syncFolder(
    session,
    { mode: 'download', onConflict: 'remote' },
    { onProgress: progress.onProgress, signal },
  ).finally(() => {
    progress.finish();
    return session.close();
  });
  for (const line of formatSyncReport(outcome.result, { verbose: false })) io.out(line);
  return outcome.result.success ? 0 : 1;
}
