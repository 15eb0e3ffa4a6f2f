'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MessageAttachment } from '@/server/contracts';
import { AppHeader } from '../AppHeader';
import { DeployButton } from '../deploy/DeployButton';
import { SplitPane } from '../ui/SplitPane';
import { AssistantPanel } from './assistant/AssistantPanel';
import { EditorStore } from './editor/editor-store';
import { EditorPane } from './editor/EditorPane';
import { EmptyPane } from './EmptyPane';
import { FileTreeStore } from './files/file-tree-store';
import { FileTree } from './files/FileTree';
import { GitDiffView } from './git/GitDiffView';
import { GitPanel } from './git/GitPanel';
import { changedCount, fileMarkers } from './git/git-view';
import { useGitStatus, useGitView } from './git/use-git';
import { HistoryPanel } from './history/HistoryPanel';
import { useHistoryView } from './history/history-view';
import { RestoredNotice } from './history/RestoredNotice';
import { SnapshotDiffView } from './history/SnapshotDiffView';
import { useSnapshots } from './history/use-snapshots';
import { PreviewPane } from './preview/PreviewPane';
import { SidebarTabs, type SidebarTab } from './SidebarTabs';
import { WorkspaceStatusBar } from './status/WorkspaceStatusBar';
import { TerminalPanel } from './terminal/TerminalPanel';
import { useWorkbench } from './use-workbench';

export function Workbench({ projectId }: { projectId: string }) {
  const [terminalOpen, setTerminalOpen] = useState(true);
  // The preview's Run opens a "dev" terminal; the panel shows it.
  const [focusTerminal, setFocusTerminal] = useState<string | null>(null);
  const { socket, connection, epoch, project, workspace, error } = useWorkbench(projectId);
  // One tree and one editor store per mounted workbench (never module singletons).
  const [tree] = useState(() => new FileTreeStore(projectId));
  const [editor] = useState(() => new EditorStore(projectId));
  useEffect(() => () => editor.dispose(), [editor]);
  const running = workspace?.state === 'running';
  const [sidebar, setSidebar] = useState<SidebarTab>('files');
  const snapshots = useSnapshots(socket, projectId, epoch);
  const history = useHistoryView();
  const openHistory = () => setSidebar('history');
  const git = useGitStatus(socket, projectId, epoch, running);
  const gitView = useGitView(git.status);
  const gitMarkers = useMemo(() => fileMarkers(git.status), [git.status]);
  const gitMessage = useRef<HTMLTextAreaElement | null>(null);
  // One comparison at a time in the editor area: opening a git diff closes a snapshot's, and back.
  const { setComparing } = history;
  const { setDiff } = gitView;
  useEffect(() => {
    if (gitView.diff) setComparing(null);
  }, [gitView.diff, setComparing]);
  useEffect(() => {
    if (history.comparing) setDiff(null);
  }, [history.comparing, setDiff]);
  const assistantInput = useRef<HTMLTextAreaElement | null>(null);
  // The port the assistant's dev server listens on; the preview pane switches to it.
  const [devServer, setDevServer] = useState<{ port: number; seq: number } | null>(null);
  // "Ask the Assistant" from the editor: the selection goes to the panel, which opens.
  const [ask, setAsk] = useState<{ attachment: MessageAttachment; seq: number } | null>(null);
  const askAssistant = useCallback((attachment: MessageAttachment) => {
    setAsk((current) => ({ attachment, seq: (current?.seq ?? 0) + 1 }));
    setSidebar('assistant');
    requestAnimationFrame(() => assistantInput.current?.focus());
  }, []);
  const showDevServer = useCallback(
    (port: number) => setDevServer((current) => ({ port, seq: (current?.seq ?? 0) + 1 })),
    [],
  );

  // Ctrl+I shows the Assistant and puts the cursor in its input; again goes back to the files.
  // Captured before Monaco, which would take Ctrl+I for its suggestions.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.ctrlKey || event.altKey || event.shiftKey || event.metaKey || event.key.toLowerCase() !== 'i') return;
      event.preventDefault();
      event.stopPropagation();
      setSidebar((current) => {
        const next = current === 'assistant' ? 'files' : 'assistant';
        if (next === 'assistant') requestAnimationFrame(() => assistantInput.current?.focus());
        return next;
      });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  // Ctrl+Shift+G shows Source Control with the cursor in the commit message, as in VS Code.
  // Captured before Monaco and the terminal, like Ctrl+I.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey || event.key.toLowerCase() !== 'g') return;
      event.preventDefault();
      event.stopPropagation();
      setSidebar('git');
      requestAnimationFrame(() => gitMessage.current?.focus());
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  // Ctrl+` toggles the terminal panel, as in VS Code.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.key === '`') {
        event.preventDefault();
        setTerminalOpen((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A snapshot comparison takes the editor's place; the editor stays mounted underneath.
  const editorArea = (
    <div className="relative h-full">
      <EditorPane
        store={editor}
        tree={tree}
        socket={socket}
        epoch={epoch}
        running={running}
        onAskAssistant={askAssistant}
        gitMarkers={gitMarkers}
      />
      {history.comparing ? (
        <div className="absolute inset-0 z-10">
          <SnapshotDiffView
            socket={socket}
            projectId={projectId}
            comparing={history.comparing}
            onClose={() => history.setComparing(null)}
            onRestored={(outcome) => {
              history.didRestore(outcome);
              void snapshots.refresh();
            }}
          />
        </div>
      ) : null}
      {gitView.diff ? (
        <div className="absolute inset-0 z-10">
          <GitDiffView
            projectId={projectId}
            target={gitView.diff}
            tick={git.version}
            onClose={() => gitView.setDiff(null)}
          />
        </div>
      ) : null}
    </div>
  );
  const terminalArea = socket ? (
    <TerminalPanel socket={socket} epoch={epoch} projectId={projectId} workspace={workspace} focusId={focusTerminal} />
  ) : (
    <EmptyPane testId="terminal-pane" title="Connecting…" hint="Terminals open a shell in this project's container." />
  );

  return (
    <div className="flex h-screen flex-col" data-testid="workbench" data-project-id={projectId}>
      <AppHeader>
        <span className="text-muted">/</span>
        <span className="truncate font-medium" data-testid="workbench-project-name">
          {project?.name ?? '…'}
        </span>
        {project ? (
          <DeployButton projectId={projectId} projectName={project.name} className="ml-2 px-2.5 py-1" />
        ) : null}
      </AppHeader>
      <RestoredNotice workspace={workspace} snapshots={snapshots.list} onOpenHistory={openHistory} />
      <div className="min-h-0 flex-1">
        {/* The chat needs room to read: the Assistant tab keeps a wider sidebar of its own. */}
        <SplitPane
          direction="horizontal"
          initial={sidebar === 'assistant' ? 28 : 18}
          min={10}
          max={50}
          storageKey={sidebar === 'assistant' ? 'tree-assistant' : 'tree'}
        >
          <SidebarTabs
            active={sidebar}
            onChange={setSidebar}
            badges={{ git: changedCount(git.status) }}
            panels={{
              files: (
                <FileTree
                  tree={tree}
                  editor={editor}
                  socket={socket}
                  epoch={epoch}
                  running={running}
                  gitMarkers={gitMarkers}
                />
              ),
              git: (
                <GitPanel projectId={projectId} running={running} git={git} view={gitView} messageRef={gitMessage} />
              ),
              history: (
                <HistoryPanel
                  socket={socket}
                  projectId={projectId}
                  running={running}
                  visible={sidebar === 'history'}
                  snapshots={snapshots}
                  view={history}
                />
              ),
              assistant: (
                <AssistantPanel
                  socket={socket}
                  projectId={projectId}
                  epoch={epoch}
                  inputRef={assistantInput}
                  onDevServer={showDevServer}
                  ask={ask}
                  activeFile={() => editor.getState().active}
                />
              ),
            }}
          />
          <SplitPane direction="horizontal" initial={62} min={25} max={85} storageKey="preview">
            {terminalOpen ? (
              <SplitPane direction="vertical" initial={65} min={20} max={90} storageKey="terminal">
                {editorArea}
                {terminalArea}
              </SplitPane>
            ) : (
              editorArea
            )}
            <PreviewPane
              socket={socket}
              projectId={projectId}
              workspace={workspace}
              showPort={devServer}
              onTerminalCreated={(terminalId) => {
                setTerminalOpen(true);
                setFocusTerminal(terminalId);
              }}
            />
          </SplitPane>
        </SplitPane>
      </div>
      <WorkspaceStatusBar
        socket={socket}
        projectId={projectId}
        connection={connection}
        workspace={workspace}
        error={error}
        snapshot={snapshots.status}
        onOpenHistory={openHistory}
        projectName={project?.name}
      />
    </div>
  );
}
