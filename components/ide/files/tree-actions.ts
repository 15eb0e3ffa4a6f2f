'use client';
// What the tree's menus and drags do: create, rename/move, delete, copy a path. Each keeps the
// tree's listings and the editor's tabs in step; failures come back as messages.
import { call, type WorkbenchSocket } from '../workbench-socket';
import type { EditorStore } from '../editor/editor-store';
import type { FileTreeStore } from './file-tree-store';
import { basename, dirname, isWithin, joinPath } from './paths';

export class TreeActions {
  constructor(
    private readonly socket: WorkbenchSocket,
    private readonly tree: FileTreeStore,
    private readonly editor: EditorStore,
  ) {}

  private get projectId() {
    return this.tree.projectId;
  }

  async create(dir: string, name: string, kind: 'file' | 'dir'): Promise<string> {
    const path = joinPath(dir, name.trim());
    await call(this.socket, 'fs:create', { projectId: this.projectId, path, kind });
    await this.tree.load(dir);
    if (kind === 'dir') await this.tree.expand(path);
    else void this.editor.open(path);
    return path;
  }

  /** Moves `from` to `to` (rename or drag into a folder). Returns the new path, or null if nothing to do. */
  async move(from: string, to: string): Promise<string | null> {
    if (from === to || from === '' || isWithin(to, from)) return null;
    await call(this.socket, 'fs:move', { projectId: this.projectId, from, to });
    this.editor.didMove(from, to);
    this.tree.forget(from);
    await Promise.all([...new Set([dirname(from), dirname(to)])].map((dir) => this.tree.load(dir)));
    return to;
  }

  moveInto(from: string, folder: string): Promise<string | null> {
    if (dirname(from) === folder) return Promise.resolve(null);
    return this.move(from, joinPath(folder, basename(from)));
  }

  rename(path: string, name: string): Promise<string | null> {
    return this.move(path, joinPath(dirname(path), name.trim()));
  }

  async remove(path: string): Promise<void> {
    await call(this.socket, 'fs:delete', { projectId: this.projectId, path });
    this.editor.didDelete(path);
    this.tree.forget(path);
    await this.tree.load(dirname(path));
  }
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain-HTTP deployments have no async clipboard: fall back to a selection copy.
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
