'use client';
import { useEffect, useState } from 'react';
import type { ProjectDto } from '@/server/contracts';
import { AppHeader } from '../AppHeader';
import { SplitPane } from '../ui/SplitPane';
import { EmptyPane, PaneTitle } from './EmptyPane';
import { useProjectSocket, type ConnectionState } from './use-project-socket';

const connectionLabel: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  refused: 'Signed out — reload to sign in',
};

export function Workbench({ projectId }: { projectId: string }) {
  const [project, setProject] = useState<ProjectDto | null>(null);
  const [terminalOpen, setTerminalOpen] = useState(true);
  const { state, error } = useProjectSocket(projectId, setProject);

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

  const editorArea = (
    <div className="flex h-full flex-col">
      <PaneTitle>Editor</PaneTitle>
      <div className="min-h-0 flex-1">
        <EmptyPane testId="editor-pane" title="No file open" hint="Pick a file in the tree to edit it here. Ctrl+S saves." />
      </div>
    </div>
  );
  const terminalArea = (
    <div className="flex h-full flex-col">
      <PaneTitle>Terminal</PaneTitle>
      <div className="min-h-0 flex-1">
        <EmptyPane testId="terminal-pane" title="No terminal yet" hint="Terminals open a shell in this project's container. Ctrl+` hides or shows this panel." />
      </div>
    </div>
  );

  return (
    <div className="flex h-screen flex-col" data-testid="workbench" data-project-id={projectId}>
      <AppHeader>
        <span className="text-muted">/</span>
        <span className="truncate font-medium" data-testid="workbench-project-name">
          {project?.name ?? '…'}
        </span>
      </AppHeader>
      <div className="min-h-0 flex-1">
        <SplitPane direction="horizontal" initial={18} min={10} max={40} storageKey="tree">
          <div className="flex h-full flex-col">
            <PaneTitle>Files</PaneTitle>
            <div className="min-h-0 flex-1">
              <EmptyPane testId="file-tree-pane" title="No files to show" hint="The project's files appear here once its workspace is running." />
            </div>
          </div>
          <SplitPane direction="horizontal" initial={62} min={25} max={85} storageKey="preview">
            {terminalOpen ? (
              <SplitPane direction="vertical" initial={65} min={20} max={90} storageKey="terminal">
                {editorArea}
                {terminalArea}
              </SplitPane>
            ) : (
              editorArea
            )}
            <div className="flex h-full flex-col">
              <PaneTitle>Preview</PaneTitle>
              <div className="min-h-0 flex-1">
                <EmptyPane testId="preview-pane" title="Nothing to preview" hint="Run your app's dev server and its page shows here, on its own origin." />
              </div>
            </div>
          </SplitPane>
        </SplitPane>
      </div>
      <footer className="flex h-6 shrink-0 items-center gap-4 border-t border-edge bg-panel-2 px-3 text-xs text-muted">
        <span data-testid="connection-status" data-status={state}>
          <span className={`mr-1.5 inline-block h-2 w-2 rounded-full ${state === 'connected' ? 'bg-green-500' : 'bg-yellow-500'}`} />
          {connectionLabel[state]}
        </span>
        {error ? <span className="text-danger">{error}</span> : null}
      </footer>
    </div>
  );
}
