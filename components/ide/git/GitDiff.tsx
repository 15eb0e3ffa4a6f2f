'use client';
// Monaco's side-by-side diff for one file of source control, read-only. It owns its two models
// (see use-diff-models.ts); the file's name ends each path so Monaco picks the language.
import { DiffEditor } from '@monaco-editor/react';
import { configureMonaco, MONACO_THEMES } from '../editor/monaco-setup';
import { useDiffModels } from '../editor/use-diff-models';

export function GitDiff({ path, original, modified }: { path: string; original: string; modified: string }) {
  const { paths, onMount } = useDiffModels('berth-git', { original: `original/${path}`, modified: `modified/${path}` });
  return (
    <DiffEditor
      original={original}
      modified={modified}
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
