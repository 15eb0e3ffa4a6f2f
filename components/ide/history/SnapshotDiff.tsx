'use client';
// Monaco's diff editor for one file: the snapshot's version (left) against the workspace now
// (right), read-only. It owns its two models, as the conflict diff does: the wrapper would
// dispose them before the widget lets go.
import { DiffEditor, type Monaco } from '@monaco-editor/react';
import { useEffect, useId, useRef } from 'react';
import { configureMonaco, MONACO_THEMES } from '../editor/monaco-setup';

export function SnapshotDiff({ path, before, after }: { path: string; before: string; after: string }) {
  const key = useId().replace(/[^a-z0-9]/gi, '');
  // The file's real name at the end of the path lets Monaco pick the language from it.
  const paths = { original: `inmemory://berth-snapshot/${key}/before/${path}`, modified: `inmemory://berth-snapshot/${key}/now/${path}` };
  const monacoRef = useRef<Monaco | null>(null);
  useEffect(
    () => () => {
      const monaco = monacoRef.current;
      if (!monaco) return;
      setTimeout(() => {
        for (const uri of [paths.original, paths.modified]) monaco.editor.getModel(monaco.Uri.parse(uri))?.dispose();
      }, 100);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- paths derive from the stable key and path
    [key, path],
  );
  return (
    <DiffEditor
      original={before}
      modified={after}
      theme={MONACO_THEMES.dark}
      originalModelPath={paths.original}
      modifiedModelPath={paths.modified}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      beforeMount={configureMonaco}
      onMount={(_editor, monaco) => {
        monacoRef.current = monaco;
      }}
      loading={<div className="flex h-full items-center justify-center text-xs text-muted">Loading editor…</div>}
      options={{ automaticLayout: true, fontSize: 13, minimap: { enabled: false }, scrollBeyondLastLine: false, readOnly: true, originalEditable: false, renderSideBySide: true, useInlineViewWhenSpaceIsLimited: false }}
    />
  );
}
