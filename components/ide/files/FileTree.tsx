'use client';
// The Files pane: lazy tree, inline create/rename, delete with confirmation, drag to move,
// drop desktop files to upload, context menu, and it follows the active editor tab.
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { FileEntry } from '@/server/contracts';
import type { EditorStore } from '../editor/editor-store';
import type { WorkbenchSocket } from '../workbench-socket';
import { useStore } from './external-store';
import { FileContextMenu, type MenuAction } from './FileContextMenu';
import { FileChildren, type Editing, type TreeUi } from './FileNode';
import type { FileTreeStore } from './file-tree-store';
import { contentUrl } from './files-rest';
import { dirname } from './paths';
import { DeleteDialog, TreeToolbar, UploadList } from './TreeChrome';
import { copyText, TreeActions } from './tree-actions';
import { useUploads } from './use-uploads';

const MOVE_TYPE = 'application/x-berth-path';

export function FileTree({
  tree,
  editor,
  socket,
  epoch,
  running,
  gitMarkers,
}: {
  tree: FileTreeStore;
  editor: EditorStore;
  socket: WorkbenchSocket | null;
  epoch: number;
  running: boolean;
  /** Source control's letter per changed path (M, A, U, D, !…; '•' on folders), from the git status. */
  gitMarkers?: ReadonlyMap<string, string>;
}) {
  const state = useStore(tree);
  const editorState = useStore(editor);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; entry: FileEntry | null } | null>(null);
  const [deleting, setDeleting] = useState<FileEntry | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const uploadInput = useRef<HTMLInputElement>(null);
  const uploadDir = useRef('');
  const actions = useMemo(() => (socket ? new TreeActions(socket, tree, editor) : null), [socket, tree, editor]);
  const onUploaded = useCallback((dir: string) => void tree.load(dir), [tree]);
  const { uploads, upload, dismiss } = useUploads(tree.projectId, onUploaded);

  useEffect(() => (socket ? tree.attach(socket) : undefined), [tree, socket]);
  useEffect(() => {
    tree.setRunning(Boolean(socket) && running);
    if (socket && running) void tree.reloadAll();
  }, [tree, socket, running, epoch]);

  // Reveal the active file: open its folders and scroll its row into view.
  const activePath = editorState.active;
  useEffect(() => {
    if (!activePath || state.status !== 'ready') return;
    let alive = true;
    void tree.reveal(activePath).then(() => {
      if (!alive) return;
      setSelected(activePath);
      requestAnimationFrame(() =>
        container.current
          ?.querySelector(`[data-testid="file-node"][data-path="${CSS.escape(activePath)}"]`)
          ?.scrollIntoView({ block: 'nearest' }),
      );
    });
    return () => {
      alive = false;
    };
  }, [tree, activePath, state.status]);

  /** Moves the keyboard focus `step` rows from `path` (0 = to `path` itself). */
  const focusRow = (path: string, step: number) => {
    const rows = [...(container.current?.querySelectorAll<HTMLElement>('[data-testid="file-node"]') ?? [])];
    const row = rows[rows.findIndex((item) => item.dataset.path === path) + step];
    if (!row?.dataset.path) return;
    setSelected(row.dataset.path);
    row.focus();
  };
  const run = (promise: Promise<unknown> | undefined) => void promise?.catch((cause: Error) => setError(cause.message));
  /** The folder new things go into: the selected folder, or the selected file's folder. */
  const targetDir = (entry: FileEntry | null = selected ? (tree.entry(selected) ?? null) : null) =>
    entry ? (entry.kind === 'dir' ? entry.path : dirname(entry.path)) : '';
  const startNew = (mode: 'new-file' | 'new-folder', entry?: FileEntry | null) => {
    const dir = targetDir(entry);
    setError(null);
    if (dir) void tree.expand(dir);
    setEditing({ mode, dir });
  };
  const pickUpload = (dir: string) => {
    uploadDir.current = dir;
    uploadInput.current?.click();
  };

  const onMenuAction = (action: MenuAction, entry: FileEntry | null) => {
    switch (action) {
      case 'new-file':
      case 'new-folder':
        return startNew(action, entry);
      case 'upload':
        return pickUpload(targetDir(entry));
      case 'rename':
        return entry && setEditing({ mode: 'rename', path: entry.path });
      case 'delete':
        return entry && setDeleting(entry);
      case 'download':
        if (entry) window.location.assign(contentUrl(tree.projectId, entry.path, true));
        return;
      case 'copy-path':
        return entry && run(copyText(entry.path));
    }
  };

  const ui: TreeUi = {
    state,
    selected,
    activePath,
    editing,
    dropTarget,
    lockFor: (path) => editor.lockFor(path),
    gitMarker: (path) => gitMarkers?.get(path),
    onActivate: (entry) => {
      setSelected(entry.path);
      if (entry.kind === 'dir') tree.toggle(entry.path);
      else void editor.open(entry.path);
    },
    onContextMenu: (event: MouseEvent, entry) => {
      event.preventDefault();
      event.stopPropagation();
      if (entry) setSelected(entry.path);
      setMenu({ x: event.clientX, y: event.clientY, entry });
    },
    onKey: (event: KeyboardEvent, entry) => {
      const open = entry.kind === 'dir' && state.expanded[entry.path];
      if (event.key === 'F2') setEditing({ mode: 'rename', path: entry.path });
      else if (event.key === 'Delete') setDeleting(entry);
      else if (event.key === 'Enter') ui.onActivate(entry);
      else if (event.key === 'ArrowDown' || event.key === 'ArrowUp')
        focusRow(entry.path, event.key === 'ArrowDown' ? 1 : -1);
      else if (event.key === 'ArrowRight' && entry.kind === 'dir' && !open) void tree.expand(entry.path);
      else if (event.key === 'ArrowLeft' && open) tree.collapse(entry.path);
      else if (event.key === 'ArrowLeft' && dirname(entry.path) !== entry.path && entry.path.includes('/'))
        focusRow(dirname(entry.path), 0);
      else return;
      event.preventDefault();
    },
    onCreate: (dir, name, kind) => {
      setEditing(null);
      run(actions?.create(dir, name, kind).then(setSelected));
    },
    onRename: (path, name) => {
      setEditing(null);
      run(actions?.rename(path, name).then((to) => to && setSelected(to)));
    },
    onCancelEdit: () => setEditing(null),
    onDragOver: (event: DragEvent, dir) => {
      const types = event.dataTransfer.types;
      if (!types.includes(MOVE_TYPE) && !types.includes('Files')) return;
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = types.includes('Files') ? 'copy' : 'move';
      if (dropTarget !== dir) setDropTarget(dir);
    },
    onDrop: (event: DragEvent, dir) => {
      event.preventDefault();
      event.stopPropagation();
      setDropTarget(null);
      if (event.dataTransfer.files.length > 0) return upload(dir, event.dataTransfer.files);
      const from = event.dataTransfer.getData(MOVE_TYPE);
      if (from) run(actions?.moveInto(from, dir));
    },
  };

  return (
    <div className="flex h-full flex-col bg-panel" data-testid="file-tree-pane" data-status={state.status}>
      <TreeToolbar
        disabled={!running || state.status !== 'ready'}
        onNewFile={() => startNew('new-file')}
        onNewFolder={() => startNew('new-folder')}
        onUpload={() => pickUpload(targetDir())}
        onRefresh={() => void tree.reloadAll()}
      />
      <input
        ref={uploadInput}
        type="file"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(event) => {
          if (event.target.files?.length) upload(uploadDir.current, event.target.files);
          event.target.value = '';
        }}
      />
      {error ? (
        <div
          role="alert"
          className="flex items-start gap-2 bg-danger/15 px-3 py-1 text-xs text-danger"
          data-testid="file-tree-error"
        >
          <span className="flex-1">{error}</span>
          <button aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      ) : null}
      <div
        ref={container}
        role="tree"
        data-testid="file-tree"
        data-status={state.status}
        className={`min-h-0 flex-1 overflow-auto py-1 ${dropTarget === '' ? 'bg-accent/10 outline outline-1 -outline-offset-1 outline-accent' : ''}`}
        onContextMenu={(event) => ui.onContextMenu(event, null)}
        onDragOver={(event) => ui.onDragOver(event, '')}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropTarget(null);
        }}
        onDrop={(event) => ui.onDrop(event, '')}
      >
        <TreeBody ui={ui} running={running} onRetry={() => void tree.reloadAll()} />
      </div>
      <UploadList uploads={uploads} onDismiss={dismiss} />
      {menu ? (
        <FileContextMenu
          x={menu.x}
          y={menu.y}
          entry={menu.entry}
          onClose={() => setMenu(null)}
          onAction={(action) => onMenuAction(action, menu.entry)}
        />
      ) : null}
      <DeleteDialog
        entry={deleting}
        onCancel={() => setDeleting(null)}
        onConfirm={(entry) => {
          setDeleting(null);
          run(actions?.remove(entry.path));
        }}
      />
    </div>
  );
}

function TreeBody({ ui, running, onRetry }: { ui: TreeUi; running: boolean; onRetry(): void }) {
  switch (ui.state.status) {
    case 'waiting':
      return (
        <p className="px-3 py-2 text-xs text-muted">
          {running ? 'Connecting…' : 'The project’s files appear here once its workspace is running.'}
        </p>
      );
    case 'loading':
      return <p className="px-3 py-2 text-xs text-muted">Loading files…</p>;
    case 'error':
      return (
        <div className="px-3 py-2 text-xs text-danger">
          <p>{ui.state.errors[''] ?? 'Could not list the files.'}</p>
          <button className="mt-1 text-accent underline" onClick={onRetry}>
            Try again
          </button>
        </div>
      );
    case 'ready':
      return (
        <>
          <FileChildren ui={ui} dir="" depth={0} />
          {ui.state.listings['']?.length === 0 && !ui.editing ? (
            <p className="px-3 py-2 text-xs text-muted">No files yet. Create one, or drop files here.</p>
          ) : null}
        </>
      );
  }
}
