// Where a synced folder keeps its own state: `<dir>/.berth/`, never synced itself.
//   config.json    which Berth and project the folder is a copy of
//   base.json      the last state both sides agreed on (the three-way base) and when
//   synced-at      when a later sync found nothing to do (base.json is then not rewritten)
//   objects/       the base files' contents, gzip'd, one file per sha256 (merges need the base)
//   hashes.json    the scan's hash cache: unchanged files are not read again
//   journal.json   an apply under way; incoming/ holds its new contents until renamed into place
//   backups/       one record per apply ("before sync with …"): what `berth undo` puts back
import { existsSync } from 'node:fs';
import path from 'node:path';

export const STATE_DIR_NAME = '.berth';
/** Prefix of half-written files (the workspace agent's, so its scans and watchers skip them too). */
export const TEMP_PREFIX = '.berth-tmp-';

export interface FolderLayout {
  root: string;
  state: string;
  config: string;
  base: string;
  syncedAt: string;
  objects: string;
  hashes: string;
  journal: string;
  incoming: string;
  backups: string;
}

export function folderLayout(root: string): FolderLayout {
  const state = path.join(root, STATE_DIR_NAME);
  return {
    root,
    state,
    config: path.join(state, 'config.json'),
    base: path.join(state, 'base.json'),
    syncedAt: path.join(state, 'synced-at'),
    objects: path.join(state, 'objects'),
    hashes: path.join(state, 'hashes.json'),
    journal: path.join(state, 'journal.json'),
    incoming: path.join(state, 'incoming'),
    backups: path.join(state, 'backups'),
  };
}

/** The synced folder holding `start` (it or its nearest parent with .berth/config.json), if any. */
export function findFolderRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, STATE_DIR_NAME, 'config.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
