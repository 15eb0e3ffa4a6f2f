'use client';
// One row of the tree and, for an open folder, its children (listed lazily).
import type { DragEvent, KeyboardEvent, MouseEvent } from 'react';
import type { FileEntry, FileLockDto } from '@/server/contracts';
import { markerColour } from '../git/git-view';
import { FileIcon, LockIcon } from './file-icons';
import type { FileTreeState } from './file-tree-store';
import { dirname } from './paths';
import { TreeInput } from './TreeInput';

export type Editing = { mode: 'new-file' | 'new-folder'; dir: string } | { mode: 'rename'; path: string } | null;

/** Everything a row needs from the tree, in one object. */
export interface TreeUi {
  state: FileTreeState;
  selected: string | null;
  activePath: string | null;
  editing: Editing;
  dropTarget: string | null;
  lockFor(path: string): FileLockDto | null;
  /** Source control's marker for the path, if it changed. */
  gitMarker(path: string): string | undefined;
  onActivate(entry: FileEntry): void;
  onContextMenu(event: MouseEvent, entry: FileEntry | null): void;
  onKey(event: KeyboardEvent, entry: FileEntry): void;
  onCreate(dir: string, name: string, kind: 'file' | 'dir'): void;
  onRename(path: string, name: string): void;
  onCancelEdit(): void;
  onDragOver(event: DragEvent, dir: string): void;
  onDrop(event: DragEvent, dir: string): void;
}

const ROW = 'flex h-6 cursor-pointer select-none items-center gap-1.5 pr-2 text-[13px]';

export function NewEntryInput({ ui, dir, depth }: { ui: TreeUi; dir: string; depth: number }) {
  const editing = ui.editing;
  if (!editing || editing.mode === 'rename' || editing.dir !== dir) return null;
  const kind = editing.mode === 'new-folder' ? 'dir' : 'file';
  return (
    <TreeInput
      depth={depth}
      icon={<FileIcon entry={{ name: '', kind }} />}
      onCommit={(name) => ui.onCreate(dir, name, kind)}
      onCancel={ui.onCancelEdit}
    />
  );
}

export function FileChildren({ ui, dir, depth }: { ui: TreeUi; dir: string; depth: number }) {
  const entries = ui.state.listings[dir];
  const error = ui.state.errors[dir];
  return (
    <div role="group">
      <NewEntryInput ui={ui} dir={dir} depth={depth} />
      {error ? (
        <p className="py-0.5 text-xs text-danger" style={{ paddingLeft: 20 + depth * 12 }}>
          {error}
        </p>
      ) : null}
      {!entries && ui.state.loading[dir] ? (
        <p className="py-0.5 text-xs text-muted" style={{ paddingLeft: 20 + depth * 12 }}>
          Loading…
        </p>
      ) : null}
      {entries?.map((entry) => (
        <FileNode key={entry.path} ui={ui} entry={entry} depth={depth} />
      ))}
    </div>
  );
}

export function FileNode({ ui, entry, depth }: { ui: TreeUi; entry: FileEntry; depth: number }) {
  const isDir = entry.kind === 'dir';
  const open = isDir && Boolean(ui.state.expanded[entry.path]);
  const lock = ui.lockFor(entry.path);
  const dropDir = isDir ? entry.path : dirname(entry.path);
  const renaming = ui.editing?.mode === 'rename' && ui.editing.path === entry.path;
  const selected = ui.selected === entry.path;
  const highlighted = isDir && ui.dropTarget === entry.path;
  const marker = ui.gitMarker(entry.path);

  return (
    <div role="treeitem" aria-expanded={isDir ? open : undefined} aria-selected={selected}>
      {renaming ? (
        <TreeInput
          depth={depth}
          initial={entry.name}
          icon={<FileIcon entry={entry} open={open} />}
          onCommit={(name) => ui.onRename(entry.path, name)}
          onCancel={ui.onCancelEdit}
        />
      ) : (
        <div
          data-testid="file-node"
          data-path={entry.path}
          data-kind={entry.kind}
          data-heavy={entry.heavy ? 'true' : undefined}
          data-locked={lock ? 'true' : undefined}
          data-git={marker}
          tabIndex={selected ? 0 : -1}
          draggable
          title={lock ? `${entry.path} — locked by ${lock.holder}` : entry.path}
          style={{ paddingLeft: 8 + depth * 12 }}
          className={`${ROW} ${selected ? 'bg-accent/20 text-gray-100' : ui.activePath === entry.path ? 'bg-panel-2 text-gray-100' : 'text-gray-300 hover:bg-panel-2'} ${highlighted ? 'outline outline-1 outline-accent' : ''} ${entry.heavy ? 'opacity-60' : ''}`}
          onClick={() => ui.onActivate(entry)}
          onContextMenu={(event) => ui.onContextMenu(event, entry)}
          onKeyDown={(event) => ui.onKey(event, entry)}
          onDragStart={(event) => {
            event.dataTransfer.setData('application/x-berth-path', entry.path);
            event.dataTransfer.setData('text/plain', entry.path);
            event.dataTransfer.effectAllowed = 'move';
          }}
          onDragOver={(event) => ui.onDragOver(event, dropDir)}
          onDrop={(event) => ui.onDrop(event, dropDir)}
        >
          <span aria-hidden className="w-3 shrink-0 text-[10px] text-muted">
            {isDir ? (open ? '▾' : '▸') : ''}
          </span>
          <FileIcon entry={entry} open={open} />
          <span data-testid="file-node-name" className="truncate">
            {entry.name}
          </span>
          {marker ? (
            <span data-testid="git-marker" className={`ml-auto shrink-0 font-mono text-[11px] ${markerColour(marker)}`}>
              {marker}
            </span>
          ) : null}
          {lock ? (
            <span data-testid="lock-marker" className={marker ? '' : 'ml-auto'} aria-label={`Locked by ${lock.holder}`}>
              <LockIcon />
            </span>
          ) : null}
        </div>
      )}
      {open ? <FileChildren ui={ui} dir={entry.path} depth={depth + 1} /> : null}
    </div>
  );
}
