'use client';
// Monaco for one tab: the model is the store's (file:///workspace/<path>), so switching tabs
// keeps undo history and view state, and the TypeScript worker sees every open file.
import Editor, { DiffEditor, type OnMount } from '@monaco-editor/react';
import { useRef, useState } from 'react';
import type { MessageAttachment } from '@/server/contracts';
import type { WorkbenchSocket } from '../workbench-socket';
import { configureMonaco, MONACO_THEMES } from './monaco-setup';
import type { EditorTheme } from './editor-types';
import { useDiffModels } from './use-diff-models';
import { useGitGutter } from './use-git-gutter';

const OPTIONS = {
  automaticLayout: true,
  fontSize: 13,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  tabSize: 2,
  fixedOverflowWidgets: true,
} as const;

function Loading() {
  return <div className="flex h-full items-center justify-center text-xs text-muted">Loading editor…</div>;
}

/** The workspace path of a tab's model URI (file:///workspace/<path>). */
const pathOf = (uri: string) => decodeURIComponent(uri.replace(/^file:\/\/\/workspace\//, ''));

export function CodeEditor({
  uri,
  theme,
  readOnly,
  onAsk,
  projectId,
  socket,
}: {
  uri: string;
  theme: EditorTheme;
  readOnly: boolean;
  /** "Ask the Assistant" from the context menu (or Ctrl+Shift+I): the selection, or the whole file. */
  onAsk?: (attachment: MessageAttachment) => void;
  /** With these, the gutter marks lines changed against git's index (use-git-gutter.ts). */
  projectId?: string;
  socket?: WorkbenchSocket | null;
}) {
  const ask = useRef(onAsk);
  ask.current = onAsk;
  const [mounted, setMounted] = useState<{ editor: Parameters<OnMount>[0]; monaco: Parameters<OnMount>[1] } | null>(
    null,
  );
  useGitGutter(mounted, projectId, socket);
  const onMount: OnMount = (editor, monaco) => {
    setMounted({ editor, monaco });
    editor.addAction({
      id: 'berth.askAssistant',
      label: 'Ask the Assistant about the Selection',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 0,
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyI],
      run: (current) => {
        const model = current.getModel();
        const selection = current.getSelection();
        if (!model || !ask.current) return;
        const path = pathOf(model.uri.toString(true));
        if (!selection || selection.isEmpty()) return ask.current({ path });
        ask.current({
          path,
          selection: {
            startLine: selection.startLineNumber,
            endLine: selection.endLineNumber,
            text: model.getValueInRange(selection),
          },
        });
      },
    });
  };
  return (
    <div className="h-full" data-testid="monaco-host" data-readonly={String(readOnly)}>
      <Editor
        path={uri}
        keepCurrentModel
        saveViewState
        theme={MONACO_THEMES[theme]}
        beforeMount={configureMonaco}
        onMount={onMount}
        loading={<Loading />}
        options={{
          ...OPTIONS,
          readOnly,
          domReadOnly: readOnly,
          readOnlyMessage: { value: 'This file is read-only right now.' },
        }}
      />
    </div>
  );
}

export function ConflictDiff({
  disk,
  mine,
  language,
  theme,
}: {
  disk: string;
  mine: string;
  language: string;
  theme: EditorTheme;
}) {
  const { paths, onMount } = useDiffModels('berth-compare', { original: 'disk', modified: 'mine' });
  return (
    <div className="flex h-full flex-col" data-testid="conflict-diff">
      <div className="flex shrink-0 text-[11px] uppercase tracking-wide text-muted">
        <span className="flex-1 px-3 py-1">On disk (theirs)</span>
        <span className="flex-1 px-3 py-1">Yours (unsaved)</span>
      </div>
      <div className="min-h-0 flex-1">
        <DiffEditor
          original={disk}
          modified={mine}
          language={language}
          theme={MONACO_THEMES[theme]}
          originalModelPath={paths.original}
          modifiedModelPath={paths.modified}
          keepCurrentOriginalModel
          keepCurrentModifiedModel
          beforeMount={configureMonaco}
          onMount={onMount}
          loading={<Loading />}
          options={{
            ...OPTIONS,
            readOnly: true,
            originalEditable: false,
            renderSideBySide: true,
            useInlineViewWhenSpaceIsLimited: false,
          }}
        />
      </div>
    </div>
  );
}
