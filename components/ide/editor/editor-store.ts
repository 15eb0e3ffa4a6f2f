'use client';
// Open tabs of one workbench (never a module singleton): Monaco models keyed by path, each
// tab's base version and dirty state, saving with conflict detection, autosave, and live
// updates from 'fs:changed' and 'fs:locks'. Disk sync and conflicts live in tab-sync.ts.
import type { Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor, IDisposable } from 'monaco-editor';
import type { FileChange, FileLockDto } from '@/server/contracts';
import { ExternalStore } from '../files/external-store';
import { isImagePath } from '../files/file-icons';
import { isWithin, movedPath } from '../files/paths';
import { call, SocketCallError, type WorkbenchSocket } from '../workbench-socket';
import { newTab, type EditorState, type EditorTab, type EditorTheme } from './editor-types';
import { syncFromDisk } from './tab-sync';

interface ModelSlot {
  model: MonacoEditor.ITextModel;
  savedAlt: number;
  listener: IDisposable;
}

const AUTOSAVE_MS = 1000;
export const modelUri = (monaco: Monaco, path: string) => monaco.Uri.file(`/workspace/${path}`);

export class EditorStore extends ExternalStore<EditorState> {
  socket: WorkbenchSocket | null = null;
  /** File calls start a stopped workspace on the server: make none unless it runs. */
  running = false;
  private monaco: Monaco | null = null;
  private monacoWaiters: ((monaco: Monaco) => void)[] = [];
  private slots = new Map<string, ModelSlot>();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Set while the store itself replaces a model's text (not a user edit). */
  private applying = false;
  /** Changes that arrived during a save, handled once it is answered. */
  readonly deferred = new Set<string>();

  constructor(readonly projectId: string) {
    super({ tabs: [], active: null, locks: [], autosave: true, theme: 'dark', comparing: null, quickOpen: false });
  }

  // ----- wiring ------------------------------------------------------------------------

  attach(socket: WorkbenchSocket): () => void {
    this.socket = socket;
    const onChanged = ({ projectId, changes }: { projectId: string; changes: FileChange[] }) => {
      if (projectId !== this.projectId) return;
      for (const path of new Set(changes.map((change) => change.path)))
        if (this.changedOnDisk(path, changes)) void syncFromDisk(this, path);
    };
    const onLocks = ({ projectId, locks }: { projectId: string; locks: FileLockDto[] }) =>
      projectId === this.projectId && this.setState({ locks });
    socket.on('fs:changed', onChanged);
    socket.on('fs:locks', onLocks);
    return () => {
      socket.off('fs:changed', onChanged);
      socket.off('fs:locks', onLocks);
      if (this.socket === socket) this.socket = null;
    };
  }

  private changedOnDisk(path: string, changes: FileChange[]): boolean {
    const tab = this.tab(path);
    if (!tab || tab.kind === 'binary') return false;
    const last = [...changes].reverse().find((change) => change.path === path);
    return !(last && last.type !== 'deleted' && last.version !== undefined && last.version === tab.version);
  }

  refreshLocks(): void {
    if (!this.socket) return;
    call(this.socket, 'fs:locks', { projectId: this.projectId }).then(
      (locks) => this.setState({ locks }),
      () => undefined,
    );
  }

  setMonaco(monaco: Monaco): void {
    if (this.monaco === monaco) return;
    this.monaco = monaco;
    for (const resolve of this.monacoWaiters.splice(0)) resolve(monaco);
  }

  private whenMonaco(): Promise<Monaco> {
    return this.monaco ? Promise.resolve(this.monaco) : new Promise((resolve) => this.monacoWaiters.push(resolve));
  }

  loadPreferences(): void {
    const autosave = window.localStorage.getItem('berth.editor.autosave') !== 'off';
    const theme: EditorTheme = window.localStorage.getItem('berth.editor.theme') === 'light' ? 'light' : 'dark';
    this.setState({ autosave, theme });
  }

  setAutosave(autosave: boolean): void {
    window.localStorage.setItem('berth.editor.autosave', autosave ? 'on' : 'off');
    this.setState({ autosave });
    if (autosave) for (const tab of this.state.tabs) if (tab.dirty) this.scheduleAutosave(tab.path);
  }

  setTheme(theme: EditorTheme): void {
    window.localStorage.setItem('berth.editor.theme', theme);
    this.setState({ theme });
  }

  setQuickOpen(quickOpen: boolean): void {
    this.setState({ quickOpen });
  }

  setComparing(comparing: string | null): void {
    this.setState({ comparing });
  }

  // ----- tabs ----------------------------------------------------------------------------

  tab(path: string): EditorTab | undefined {
    return this.state.tabs.find((tab) => tab.path === path);
  }

  model(path: string): MonacoEditor.ITextModel | null {
    return this.slots.get(path)?.model ?? null;
  }

  patchTab(path: string, patch: Partial<EditorTab>): void {
    this.setState((s) => ({ tabs: s.tabs.map((tab) => (tab.path === path ? { ...tab, ...patch } : tab)) }));
  }

  lockFor(path: string): FileLockDto | null {
    const now = Date.now();
    return this.state.locks.find((lock) => isWithin(path, lock.path) && Date.parse(lock.expiresAt) > now) ?? null;
  }

  activate(path: string): void {
    this.setState({ active: path });
  }

  async open(path: string): Promise<void> {
    if (this.tab(path)) return this.activate(path);
    const image = isImagePath(path);
    this.setState((s) => ({
      tabs: [...s.tabs, { ...newTab(path, image ? 'image' : 'text'), status: image ? 'ready' : 'loading' }],
      active: path,
    }));
    if (image) return;
    if (!this.socket || !this.running)
      return this.patchTab(path, {
        status: 'error',
        error: this.socket ? 'The workspace is not running' : 'Not connected to the server',
      });
    try {
      const read = await call(this.socket, 'fs:read', { projectId: this.projectId, path });
      if (!this.tab(path)) return;
      if (read.binary || read.content === null) {
        this.patchTab(path, { kind: 'binary', status: 'ready', version: read.version, size: read.size });
        return;
      }
      const monaco = await this.whenMonaco();
      if (!this.tab(path)) return;
      const uri = this.createModel(monaco, path, read.content);
      this.patchTab(path, {
        uri: uri.toString(),
        status: 'ready',
        version: read.version,
        size: read.size,
        readOnly: read.readOnly,
      });
    } catch (cause) {
      this.patchTab(path, { status: 'error', error: (cause as Error).message });
    }
  }

  private createModel(monaco: Monaco, path: string, content: string, dirty = false) {
    const uri = modelUri(monaco, path);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(content, undefined, uri);
    const listener = model.onDidChangeContent(() => this.onDidEdit(path));
    this.slots.set(path, { model, savedAlt: dirty ? -1 : model.getAlternativeVersionId(), listener });
    return uri;
  }

  private disposeModel(path: string): void {
    const slot = this.slots.get(path);
    if (!slot) return;
    this.slots.delete(path);
    slot.listener.dispose();
    // Let the editor switch to another model first.
    setTimeout(() => slot.model.dispose(), 50);
  }

  close(path: string): void {
    const index = this.state.tabs.findIndex((tab) => tab.path === path);
    if (index < 0) return;
    const tabs = this.state.tabs.filter((tab) => tab.path !== path);
    const active =
      this.state.active === path ? (tabs[Math.min(index, tabs.length - 1)]?.path ?? null) : this.state.active;
    this.clearTimer(path);
    this.setState((s) => ({ tabs, active, comparing: s.comparing === path ? null : s.comparing }));
    this.disposeModel(path);
  }

  /** A file or folder moved in the tree: open tabs below it follow, keeping their edits. */
  didMove(from: string, to: string): void {
    const monaco = this.monaco;
    for (const tab of this.state.tabs.filter((item) => isWithin(item.path, from))) {
      const next = movedPath(tab.path, from, to);
      const slot = this.slots.get(tab.path);
      let uri = tab.uri;
      if (slot && monaco) {
        const text = slot.model.getValue();
        this.disposeModel(tab.path);
        uri = this.createModel(monaco, next, text, tab.dirty).toString();
      }
      this.setState((s) => ({
        tabs: s.tabs.map((item) => (item.path === tab.path ? { ...item, path: next, uri } : item)),
        active: s.active === tab.path ? next : s.active,
      }));
    }
  }

  /** Deleted from the tree: tabs below it close. */
  didDelete(path: string): void {
    for (const tab of this.state.tabs.filter((item) => isWithin(item.path, path))) this.close(tab.path);
  }

  dispose(): void {
    for (const path of [...this.slots.keys()]) this.disposeModel(path);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  // ----- edits and saving ------------------------------------------------------------------

  private onDidEdit(path: string): void {
    const slot = this.slots.get(path);
    if (!slot || this.applying) return;
    const dirty = slot.model.getAlternativeVersionId() !== slot.savedAlt;
    if (this.tab(path)?.dirty !== dirty) this.patchTab(path, { dirty });
    if (dirty) this.scheduleAutosave(path);
  }

  /** Replaces a model's text with the disk's (keeps undo), and marks it clean at `version`. */
  applyDisk(path: string, content: string, version: string, size = content.length): void {
    const slot = this.slots.get(path);
    if (!slot) return;
    this.applying = true;
    try {
      if (slot.model.getValue() !== content)
        slot.model.pushEditOperations([], [{ range: slot.model.getFullModelRange(), text: content }], () => null);
    } finally {
      this.applying = false;
    }
    slot.savedAlt = slot.model.getAlternativeVersionId();
    this.patchTab(path, { version, size, dirty: false, conflict: null, saveError: null });
  }

  private clearTimer(path: string): void {
    const timer = this.timers.get(path);
    if (timer) clearTimeout(timer);
    this.timers.delete(path);
  }

  private scheduleAutosave(path: string): void {
    this.clearTimer(path);
    if (!this.state.autosave) return;
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        const tab = this.tab(path);
        if (tab?.dirty && !tab.conflict && !tab.saving && this.running) void this.save(path);
      }, AUTOSAVE_MS),
    );
  }

  canEdit(tab: EditorTab): boolean {
    return tab.kind === 'text' && tab.status === 'ready' && !tab.readOnly && !this.lockFor(tab.path);
  }

  /** Writes the tab's text based on its version. Resolves the outcome for callers/tests. */
  async save(path: string): Promise<'saved' | 'conflict' | 'failed' | 'skipped'> {
    const tab = this.tab(path);
    const slot = this.slots.get(path);
    if (!tab || !slot || !this.socket || tab.saving || !this.canEdit(tab)) return 'skipped';
    if (!this.running) {
      this.patchTab(path, { saveError: 'The workspace is not running; start it to save.' });
      return 'failed';
    }
    this.clearTimer(path);
    const content = slot.model.getValue();
    const alt = slot.model.getAlternativeVersionId();
    this.patchTab(path, { saving: true, saveError: null });
    try {
      const result = await call(this.socket, 'fs:write', {
        projectId: this.projectId,
        path,
        content,
        baseVersion: tab.version,
      });
      slot.savedAlt = alt;
      this.patchTab(path, {
        saving: false,
        version: result.version,
        size: result.size,
        dirty: slot.model.getAlternativeVersionId() !== alt,
        conflict: null,
      });
      this.afterSave(path);
      return 'saved';
    } catch (cause) {
      const code = cause instanceof SocketCallError ? cause.code : 'error';
      this.patchTab(path, { saving: false, saveError: code === 'conflict' ? null : (cause as Error).message });
      this.afterSave(path);
      if (code === 'conflict') {
        await syncFromDisk(this, path, 'save');
        return 'conflict';
      }
      return 'failed';
    }
  }

  /** A change that arrived while saving is checked once the save is answered. */
  private afterSave(path: string): void {
    if (this.deferred.delete(path)) void syncFromDisk(this, path);
  }

  /** After a reconnect: locks again, and every open tab against the disk. */
  resync(): void {
    this.refreshLocks();
    for (const tab of this.state.tabs)
      if (tab.kind === 'text' && tab.status === 'ready') void syncFromDisk(this, tab.path);
  }
}
