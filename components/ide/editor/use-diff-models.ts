'use client';
// Model paths for a Monaco diff editor that owns its two models: @monaco-editor/react's
// DiffEditor would dispose them before the widget lets go of them, so they are disposed here,
// a moment after unmount. `names` end each path (a real file name lets Monaco pick the language).
import type { Monaco } from '@monaco-editor/react';
import { useEffect, useId, useRef } from 'react';

export function useDiffModels(scheme: string, names: { original: string; modified: string }) {
  const key = useId().replace(/[^a-z0-9]/gi, '');
  const paths = {
    original: `inmemory://${scheme}/${key}/${names.original}`,
    modified: `inmemory://${scheme}/${key}/${names.modified}`,
  };
  const monacoRef = useRef<Monaco | null>(null);
  useEffect(
    () => () => {
      const monaco = monacoRef.current;
      if (!monaco) return;
      setTimeout(() => {
        for (const uri of [paths.original, paths.modified]) monaco.editor.getModel(monaco.Uri.parse(uri))?.dispose();
      }, 100);
    },
    // The paths derive from the stable key and the names.
    [paths.original, paths.modified],
  );
  /** Pass to the DiffEditor's onMount so the models can be found again at unmount. */
  const onMount = (_editor: unknown, monaco: Monaco) => {
    monacoRef.current = monaco;
  };
  return { paths, onMount };
}
