// A synced folder opened for a command: its config, the token for its Berth, the two peers
// (this folder, the project there), and one sync between them with the base kept up to date.
import os from 'node:os';
import path from 'node:path';
import type { TemplateId } from '../contracts/projects';
import type { SyncRequest } from '../contracts/sync';
import { BerthClient } from '../sync/core/berth-client';
import type { HttpPeer } from '../sync/core/http-peer';
import { runSync, type RunSyncOutcome } from '../sync/core/run-sync';
import type { SyncProgress } from '../sync/core/sync-peer';
import type { CliIo } from './cli-io';
import { contentsInUse } from './folder-backups';
import { tokenFor } from './credentials';
import { findFolderRoot, folderLayout, type FolderLayout } from './folder-layout';
import { lockFolder } from './folder-lock';
import { FolderPeer } from './folder-peer';
import { noteSyncedAt, readBaseFile, readFolderConfig, writeBaseFile, type FolderConfig } from './folder-state';

export interface FolderSession {
  layout: FolderLayout;
  config: FolderConfig;
  client: BerthClient;
  local: FolderPeer;
  remote: HttpPeer;
  /** Releases the folder's lock (nothing for a look-only session). */
  close(): Promise<void>;
}

/** "~/code/app" rather than "/home/ann/code/app". */
export function displayPath(absolute: string, home = os.homedir()): string {
  return absolute === home || absolute.startsWith(home + path.sep) ? `~${absolute.slice(home.length)}` : absolute;
}

export interface OpenOptions {
  /** The command, for the lock's message; absent = only looking (no lock, no journal finished). */
  command?: string;
  template?: TemplateId;
}

export async function openFolderSession(
  layout: FolderLayout,
  config: FolderConfig,
  io: CliIo,
  options: OpenOptions = {},
): Promise<FolderSession> {
  const token = await tokenFor(config.url, io.env);
  const client = new BerthClient({ baseUrl: config.url, token });
  const close = options.command ? await lockFolder(layout, options.command) : async () => undefined;
  const local = folderPeerOf(layout, config, io, options);
  const remote = client.peer(config.projectId, `${new URL(config.url).host}/${config.projectName}`);
  return { layout, config, client, local, remote, close };
}

/** This folder as a sync peer, named as the other side's labels show it ("laptop:~/code/app"). */
function folderPeerOf(layout: FolderLayout, config: FolderConfig, io: CliIo, options: OpenOptions): FolderPeer {
  return new FolderPeer({
    layout,
    name: `${os.hostname()}:${displayPath(layout.root, io.env.HOME ?? os.homedir())}`,
    project: { id: config.projectId, name: config.projectName, template: options.template ?? 'blank-node' },
    readOnly: !options.command,
    onNote: (note) => io.err(`note: ${note}`),
  });
}

/** The synced folder holding `dir` (or the current one): its layout and config, or an error that says what to do. */
async function findExistingFolder(
  dir: string | undefined,
  io: CliIo,
): Promise<{ layout: FolderLayout; config: FolderConfig }> {
  const start = path.resolve(io.cwd, dir ?? '.');
  const root = findFolderRoot(start);
  if (!root)
    throw new Error(`${displayPath(start)} is not a synced folder (no .berth/ here or above); use berth clone`);
  const layout = folderLayout(root);
  const config = await readFolderConfig(layout);
  if (!config) throw new Error(`${layout.config} is missing`);
  return { layout, config };
}

/** The folder holding `dir` (or the current one), opened; an error that says what to do when there is none. */
export async function openExistingFolder(
  dir: string | undefined,
  io: CliIo,
  options: OpenOptions = {},
): Promise<FolderSession> {
  const { layout, config } = await findExistingFolder(dir, io);
  return openFolderSession(layout, config, io, options);
}

/** The folder alone (no Berth, no token: berth undo works offline), locked for `command` (none: only looking). */
export async function openLocalFolder(
  dir: string | undefined,
  io: CliIo,
  command?: string,
): Promise<Omit<FolderSession, 'client' | 'remote'>> {
  const { layout, config } = await findExistingFolder(dir, io);
  const close = command ? await lockFolder(layout, command) : async () => undefined;
  return { layout, config, local: folderPeerOf(layout, config, io, { command }), close };
}

/**
 * One sync: runSync between the folder and its project, then (when it worked) the new base
 * saved with the contents it names kept in .berth/objects/, and the objects no base needs removed.
 */
export async function syncFolder(
  session: FolderSession,
  request: SyncRequest,
  options: { onProgress?: (progress: SyncProgress) => void; signal?: AbortSignal } = {},
): Promise<RunSyncOutcome> {
  const previous = await readBaseFile(session.layout);
  const outcome = await runSync({
    local: session.local,
    remote: session.remote,
    base: previous?.base ?? null,
    request,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  if (!outcome.result.success) return outcome;
  // Nothing to do (both sides as the clean base left them): the base and its contents stand as they are.
  if (outcome.nothingToDo) {
    await noteSyncedAt(session.layout);
    return outcome;
  }
  await session.local.keepContents(outcome.base.files);
  await writeBaseFile(session.layout, outcome.base, {
    localStateId: outcome.localStateId,
    remoteStateId: outcome.remoteStateId,
  });
  // The base's contents and those the backups (berth undo) need stay; the rest goes.
  await session.local.objects.prune(await contentsInUse(session.layout, outcome.base.files));
  return outcome;
}
