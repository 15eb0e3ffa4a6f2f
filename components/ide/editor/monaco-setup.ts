'use client';
// Monaco is served from Berth's own origin (public/monaco/vs, copied by
// scripts/copy-monaco.mjs): never from a CDN. Also: themes and TypeScript options.
import { loader, type Monaco } from '@monaco-editor/react';

loader.config({ paths: { vs: '/monaco/vs' } });

export const MONACO_THEMES = { dark: 'berth-dark', light: 'berth-light' } as const;

/** Loads Monaco (once per page; the loader caches it). */
export const loadMonaco = (): Promise<Monaco> => loader.init();

/** Idempotent: safe to call from every editor's beforeMount. */
export function configureMonaco(monaco: Monaco): void {
  monaco.editor.defineTheme(MONACO_THEMES.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#0f1115',
      'editorGutter.background': '#0f1115',
      'editor.lineHighlightBackground': '#1d222b',
    },
  });
  monaco.editor.defineTheme(MONACO_THEMES.light, { base: 'vs', inherit: true, rules: [], colors: {} });

  // Monaco ≥ 0.55 moved languages.typescript to a top-level namespace; accept both.
  const legacy = (monaco.languages as unknown as { typescript?: Monaco['typescript'] }).typescript;
  const ts = monaco.typescript ?? legacy;
  if (!ts) return;
  const options = {
    allowJs: true,
    checkJs: false,
    jsx: ts.JsxEmit.ReactJSX,
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    // "bundler" (100) is newer than Monaco's enum; the worker's TypeScript knows it.
    moduleResolution: 100 as unknown as typeof ts.ModuleResolutionKind.NodeJs,
    allowNonTsExtensions: true,
    allowSyntheticDefaultImports: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    strict: true,
    baseUrl: 'file:///workspace/',
  };
  for (const defaults of [ts.typescriptDefaults, ts.javascriptDefaults]) {
    defaults.setCompilerOptions(options);
    // Every open model goes to the worker, so imports between open files resolve.
    defaults.setEagerModelSync(true);
  }
  // Packages are not installed into the editor: missing modules should not shout.
  ts.typescriptDefaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    diagnosticCodesToIgnore: [2307, 2792, 7016],
  });
}
