'use client';
// The editor area: tabs, toolbar (autosave, theme), banners, and Monaco / image / diff views.
import { useEffect, type ReactNode } from 'react';
import type { MessageAttachment } from '@/server/contracts';
import { useStore } from '../files/external-store';
import type { FileTreeStore } from '../files/file-tree-store';
import { contentUrl } from '../files/files-rest';
import type { WorkbenchSocket } from '../workbench-socket';
import { CodeEditor, ConflictDiff } from './CodeEditor';
import { ConflictBanner, LockBanner, ReadOnlyBanner, SaveErrorBanner } from './EditorBanners';
import type { EditorStore } from './editor-store';
import type { EditorTab, EditorTheme } from './editor-types';
import { EditorTabs } from './EditorTabs';
import { configureMonaco, loadMonaco } from './monaco-setup';
import { QuickOpen } from './QuickOpen';
import { keepMine, takeTheirs } from './tab-sync';
import { useEditorKeys } from './use-editor-keys';

export function EditorPane({
  store,
  tree,
  socket,
  epoch,
  running,
  onAskAssistant,
  gitMarkers,
}: {
  store: EditorStore;
  tree: FileTreeStore;
  socket: WorkbenchSocket | null;
  epoch: number;
  running: boolean;
  onAskAssistant?: (attachment: MessageAttachment) => void;
  /** Source control's letter per changed path (from the git status), shown on the tabs. */
  gitMarkers?: ReadonlyMap<string, string>;
}) {
  const state = useStore(store);
  const active = state.tabs.find((tab) => tab.path === state.active) ?? null;
  useEditorKeys(store);

  useEffect(() => {
    store.loadPreferences();
    let alive = true;
    loadMonaco().then(
      (monaco) => {
        if (!alive) return;
        configureMonaco(monaco);
        store.setMonaco(monaco);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [store]);
  useEffect(() => (socket ? store.attach(socket) : undefined), [store, socket]);
  useEffect(() => {
    store.running = Boolean(socket) && running;
    if (store.running) store.resync();
  }, [store, socket, epoch, running]);

  // Leaving with unsaved changes asks first.
  const anyDirty = state.tabs.some((tab) => tab.dirty);
  useEffect(() => {
    if (!anyDirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [anyDirty]);

  const lock = active ? store.lockFor(active.path) : null;
  return (
    <div
      className="flex h-full flex-col bg-surface"
      data-testid="editor-pane"
      data-status={active ? 'open' : 'empty'}
      data-active-path={active?.path ?? ''}
    >
      <div className="flex h-8 shrink-0 items-center border-b border-edge bg-panel-2 pr-2">
        {state.tabs.length ? (
          <EditorTabs
            tabs={state.tabs}
            active={state.active}
            lockFor={(path) => store.lockFor(path)}
            gitMarker={(path) => gitMarkers?.get(path)}
            onSelect={(path) => store.activate(path)}
            onClose={(path) => closeTab(store, path)}
          />
        ) : (
          <span className="flex-1 px-3 text-xs font-semibold uppercase tracking-wide text-muted">Editor</span>
        )}
        <Toolbar
          autosave={state.autosave}
          theme={state.theme}
          onAutosave={(value) => store.setAutosave(value)}
          onTheme={(value) => store.setTheme(value)}
          onQuickOpen={() => store.setQuickOpen(true)}
        />
      </div>
      {active?.conflict ? (
        <ConflictBanner
          tab={active}
          comparing={state.comparing === active.path}
          onKeepMine={() => void keepMine(store, active.path)}
          onTakeTheirs={() => takeTheirs(store, active.path)}
          onCompare={() => store.setComparing(state.comparing === active.path ? null : active.path)}
        />
      ) : null}
      {lock ? <LockBanner lock={lock} /> : null}
      {active?.readOnly ? <ReadOnlyBanner size={active.size} /> : null}
      {active?.saveError ? (
        <SaveErrorBanner message={active.saveError} onRetry={() => void store.save(active.path)} />
      ) : null}
      <div className="relative min-h-0 flex-1">
        {active ? (
          <TabBody
            store={store}
            tab={active}
            theme={state.theme}
            comparing={state.comparing === active.path}
            locked={Boolean(lock)}
            onAsk={onAskAssistant}
            socket={socket}
          />
        ) : (
          <Empty />
        )}
      </div>
      {state.quickOpen ? (
        <QuickOpen tree={tree} onOpen={(path) => void store.open(path)} onClose={() => store.setQuickOpen(false)} />
      ) : null}
    </div>
  );
}

function closeTab(store: EditorStore, path: string) {
  const tab = store.tab(path);
  if (tab?.dirty && !window.confirm(`${path} has unsaved changes. Close it anyway?`)) return;
  store.close(path);
}

function TabBody({
  store,
  tab,
  theme,
  comparing,
  locked,
  onAsk,
  socket,
}: {
  store: EditorStore;
  tab: EditorTab;
  theme: EditorTheme;
  comparing: boolean;
  locked: boolean;
  onAsk?: (attachment: MessageAttachment) => void;
  socket: WorkbenchSocket | null;
}) {
  if (tab.status === 'loading') return <Message testId="editor-loading">Opening {tab.path}…</Message>;
  if (tab.status === 'error')
    return (
      <Message testId="editor-error">
        Could not open {tab.path}: {tab.error}
      </Message>
    );
  switch (tab.kind) {
    case 'image':
      return (
        <div className="flex h-full items-center justify-center overflow-auto bg-[repeating-conic-gradient(#1d222b_0_25%,#161a21_0_50%)] bg-[length:16px_16px] p-4">
          {/* A plain img: workspace bytes, not a static asset for next/image. */}
          <img
            data-testid="image-preview"
            alt={tab.path}
            src={`${contentUrl(store.projectId, tab.path)}&v=${encodeURIComponent(tab.version ?? '')}`}
            className="max-h-full max-w-full object-contain"
          />
        </div>
      );
    case 'binary':
      return (
        <Message testId="editor-binary">
          {tab.path} is a binary file and cannot be edited here.{' '}
          <a className="text-accent underline" href={contentUrl(store.projectId, tab.path, true)}>
            Download it
          </a>
        </Message>
      );
    case 'text': {
      const model = store.model(tab.path);
      if (comparing && tab.conflict?.content != null && model)
        return (
          <ConflictDiff
            disk={tab.conflict.content}
            mine={model.getValue()}
            language={model.getLanguageId()}
            theme={theme}
          />
        );
      if (!tab.uri) return <Message testId="editor-loading">Loading editor…</Message>;
      return (
        <CodeEditor
          uri={tab.uri}
          theme={theme}
          readOnly={tab.readOnly || locked}
          onAsk={onAsk}
          projectId={store.projectId}
          socket={socket}
        />
      );
    }
  }
}

function Toolbar({
  autosave,
  theme,
  onAutosave,
  onTheme,
  onQuickOpen,
}: {
  autosave: boolean;
  theme: EditorTheme;
  onAutosave(value: boolean): void;
  onTheme(value: EditorTheme): void;
  onQuickOpen(): void;
}) {
  const button = 'flex h-6 items-center rounded px-2 text-xs text-muted hover:bg-surface hover:text-gray-100';
  return (
    <div className="flex shrink-0 items-center gap-1 pl-2">
      <button
        className={button}
        title="Go to file (Ctrl+P)"
        aria-label="Go to file"
        data-testid="quick-open-button"
        onClick={onQuickOpen}
      >
        <svg
          viewBox="0 0 16 16"
          className="h-3.5 w-3.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.4"
          aria-hidden
        >
          <circle cx="7" cy="7" r="4.5" />
          <path d="m10.5 10.5 3.5 3.5" />
        </svg>
      </button>
      <label className={`${button} flex cursor-pointer items-center gap-1`} title="Save a second after you stop typing">
        <input
          type="checkbox"
          data-testid="autosave-toggle"
          checked={autosave}
          onChange={(event) => onAutosave(event.target.checked)}
          className="accent-[var(--color-accent)]"
        />
        Autosave
      </label>
      <button
        className={button}
        data-testid="theme-toggle"
        data-theme={theme}
        title="Toggle the editor theme"
        onClick={() => onTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? '☾ Dark' : '☀ Light'}
      </button>
    </div>
  );
}

function Message({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <div data-testid={testId} className="flex h-full items-center justify-center p-4 text-center text-sm text-muted">
      <p className="max-w-md">{children}</p>
    </div>
  );
}

function Empty() {
  return (
    <div data-testid="editor-empty" className="flex h-full flex-col items-center justify-center gap-1 p-4 text-center">
      <p className="text-sm font-medium text-gray-300">No file open</p>
      <p className="max-w-xs text-xs text-muted">Pick a file in the tree, or press Ctrl+P to find one. Ctrl+S saves.</p>
    </div>
  );
}
