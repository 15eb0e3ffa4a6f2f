'use client';
// Keeps an open tab honest with the disk: a clean tab takes the disk's text by itself, a
// modified one gets a conflict (banner: keep mine / take theirs / compare).
import { SocketCallError, call } from '../workbench-socket';
import type { EditorStore } from './editor-store';

const NOT_FOUND = new Set(['not_found', 'ENOENT', 'enoent', 'not-found', 'notfound']);

/** Reads `path` and reconciles its tab. `reason` 'save' = a write was refused as stale. */
export async function syncFromDisk(store: EditorStore, path: string, reason: 'disk' | 'save' = 'disk'): Promise<void> {
  const socket = store.socket;
  const tab = store.tab(path);
  if (!socket || !store.running || !tab || tab.kind === 'binary' || tab.status !== 'ready') return;
  if (tab.saving) {
    store.deferred.add(path);
    return;
  }
  if (tab.kind === 'image') {
    store.patchTab(path, { version: `${Date.now()}` }); // re-fetches the preview
    return;
  }
  try {
    const read = await call(socket, 'fs:read', { projectId: store.projectId, path });
    const current = store.tab(path);
    if (!current || current.saving) return;
    if (read.content === null) return;
    if (read.version === current.version && reason === 'disk') {
      if (current.conflict?.reason === 'deleted') store.patchTab(path, { conflict: null });
      return;
    }
    if (!current.dirty) store.applyDisk(path, read.content, read.version, read.size);
    else store.patchTab(path, { conflict: { reason, version: read.version, content: read.content } });
  } catch (cause) {
    const code = cause instanceof SocketCallError ? cause.code : '';
    if (!NOT_FOUND.has(code)) return;
    const current = store.tab(path);
    if (current) store.patchTab(path, { conflict: { reason: 'deleted', version: null, content: null } });
  }
}

/** "Keep mine": the disk's version becomes the base and my text overwrites it. */
export async function keepMine(store: EditorStore, path: string): Promise<void> {
  const tab = store.tab(path);
  if (!tab?.conflict) return;
  store.patchTab(path, { version: tab.conflict.version, conflict: null, dirty: true });
  store.setComparing(null);
  await store.save(path);
}

/** "Take theirs": the disk's text replaces mine (undo still has mine). */
export function takeTheirs(store: EditorStore, path: string): void {
  const tab = store.tab(path);
  const conflict = tab?.conflict;
  if (!conflict) return;
  store.setComparing(null);
  if (conflict.content === null || conflict.version === null) store.close(path);
  else store.applyDisk(path, conflict.content, conflict.version);
}
