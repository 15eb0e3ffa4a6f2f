'use client';
// Monaco's side-by-side diff of one file, read-only: a snapshot against now, or git's sides. It
// owns its two models (use-diff-models.ts: the wrapper would dispose them before the widget lets
// go); the file's real name ends each model path so Monaco picks the language from it.
import { DiffEditor } from '@monaco-editor/react';
import { configureMonaco, MONACO_THEMES } from './monaco-setup';
import { useDiffModels } from './use-diff-models';

export interface ReadOnlyDiffProps {
  /** The models' URI scheme, one per kind of diff (its models never mix with another's). */
  scheme: string;
  /** Folders the two sides' models live under, e.g. before/ and now/. */
  sides: { original: string; modified: string };
  path: string;
  original: string;
  modified: string;
}

export function ReadOnlyDiff({ scheme, sides, path, original, modified }: ReadOnlyDiffProps) {
  const { paths, onMount } = useDiffModels(scheme, {
    original: `${sides.original}/${path}`,
    modified: `${sides.modified}/${path}`,
  });
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
