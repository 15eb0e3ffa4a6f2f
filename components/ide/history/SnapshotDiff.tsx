'use client';
// Monaco's diff editor for one file: the snapshot's version (left) against the workspace now
// (right), read-only. It owns its two models, as the conflict diff does: the wrapper would
// dispose them before the widget lets go.
import { DiffEditor } from '@monaco-editor/react';
import { configureMonaco, MONACO_THEMES } from '../editor/monaco-setup';
import { useDiffModels } from '../editor/use-diff-models';

export function SnapshotDiff({ path, before, after }: { path: string; before: string; after: string }) {
  // The file's real name at the end of each path lets Monaco pick the language from it.
  const { paths, onMount } = useDiffModels('berth-snapshot', { original: `before/${path}`, modified: `now/${path}` });
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
      onMount={onMount}
      loading={<div className="flex h-full items-center justify-center text-xs text-muted">Loading editor…</div>}
      options={{
        automaticLayout: true,
        fontSize: 13,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        readOnly: true,
        originalEditable: false,
        renderSideBySide: true,
        useInlineViewWhenSpaceIsLimited: false,
      }}
    />
  );
}
