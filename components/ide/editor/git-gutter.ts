// The editor gutter's source control markers (issue 13), as VS Code's quick diff draws them: a
// green bar on added lines, a blue bar on modified ones, a red wedge where lines were deleted,
// against the index's version of the file (GET …/git/base). Follows the editor's model (tab
// switches), recomputes on typing (debounced) and fetches the base again when git changes it.
import type { Monaco } from '@monaco-editor/react';
import type { editor as MonacoEditor, IDisposable } from 'monaco-editor';
import type { GitBaseDto } from '@/server/contracts';
import { api } from '../../api-client';
import { lineChanges, type LineChange } from './line-diff';

type CodeEditor = MonacoEditor.IStandaloneCodeEditor;

const TYPING_DEBOUNCE_MS = 200;
/** Files longer than this are not marked (the diff runs on every pause in typing). */
const MAX_LINES = 50_000;
const STYLE_ID = 'berth-git-gutter-style';
const COLOURS = { added: '#2ea043', modified: '#1b81a8', deleted: '#f14c4c' } as const;

/** The workspace path of a file model (file:///workspace/<path>); null for other models (diffs, compares). */
export const workspacePath = (uri: string): string | null =>
  uri.startsWith('file:///workspace/') ? decodeURIComponent(uri.slice('file:///workspace/'.length)) : null;

export const fetchGitBase = (projectId: string, path: string) =>
  api<GitBaseDto>(`/projects/${encodeURIComponent(projectId)}/git/base?${new URLSearchParams({ path }).toString()}`);

/** One decoration per change: whole lines for added/modified, a wedge on the line above a deletion. */
export function gutterDecorations(
  changes: LineChange[],
  lineCount: number,
  monaco: Monaco,
): MonacoEditor.IModelDeltaDecoration[] {
  return changes.map((change) => {
    const atTop = change.kind === 'deleted' && change.startLine === 0;
    const line = Math.min(Math.max(change.startLine, 1), Math.max(lineCount, 1));
    const endLine = change.kind === 'deleted' ? line : Math.min(change.endLine, Math.max(lineCount, 1));
    const className = `berth-git-${change.kind}${atTop ? ' berth-git-deleted-top' : ''}`;
    return {
      range: { startLineNumber: line, startColumn: 1, endLineNumber: endLine, endColumn: 1 },
      options: {
        description: className,
        isWholeLine: true,
        linesDecorationsClassName: className,
        overviewRuler: { color: COLOURS[change.kind], position: monaco.editor.OverviewRulerLane.Left },
      },
    };
  });
}

/** The markers' CSS, once per page (Monaco's line decorations are styled by global class names). */
function ensureStyle(): void {
  if (typeof document === 'undefined' || document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = `
.monaco-editor .berth-git-added, .monaco-editor .berth-git-modified { margin-left: 3px; width: 3px !important; }
.monaco-editor .berth-git-added { background: ${COLOURS.added}; }
.monaco-editor .berth-git-modified { background: ${COLOURS.modified}; }
.monaco-editor .berth-git-deleted::after {
  content: ''; position: absolute; left: 3px; bottom: -4px; z-index: 1;
  border-top: 4px solid transparent; border-bottom: 4px solid transparent; border-left: 5px solid ${COLOURS.deleted};
}
.monaco-editor .berth-git-deleted-top::after { top: -4px; bottom: auto; }
`;
  document.head.appendChild(style);
}

export class GitGutter {
  private readonly decorations: MonacoEditor.IEditorDecorationsCollection;
  private base: { path: string; dto: GitBaseDto } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loads = 0;
  private readonly disposables: IDisposable[] = [];

  constructor(
    private readonly editor: CodeEditor,
    private readonly monaco: Monaco,
    private readonly projectId: string,
  ) {
    ensureStyle();
    this.decorations = editor.createDecorationsCollection();
    this.disposables.push(
      editor.onDidChangeModel(() => {
        this.base = null;
        this.decorations.clear();
        void this.reload();
      }),
      editor.onDidChangeModelContent(() => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.render(), TYPING_DEBOUNCE_MS);
      }),
    );
    void this.reload();
  }

  /** The path of the file on screen, if it is a workspace file. */
  get path(): string | null {
    const model = this.editor.getModel();
    return model ? workspacePath(model.uri.toString(true)) : null;
  }

  /** Fetches the index's version of the file on screen again (git changed it, or the file on disk changed). */
  async reload(): Promise<void> {
    const path = this.path;
    if (!path) return;
    const mine = ++this.loads;
    let dto: GitBaseDto;
    try {
      dto = await fetchGitBase(this.projectId, path);
    } catch {
      // Workspace stopped, offline: keep what is shown; the next git or file change tries again.
      return;
    }
    if (mine !== this.loads || this.path !== path) return;
    this.base = { path, dto };
    this.render();
  }

  private render(): void {
    const model = this.editor.getModel();
    const base = this.base;
    if (!model || !base || base.path !== this.path || !base.dto.tracked || base.dto.binary || base.dto.tooLarge) {
      this.decorations.clear();
      return;
    }
    if (model.getLineCount() > MAX_LINES) {
      this.decorations.clear();
      return;
    }
    const changes = lineChanges(base.dto.text, model.getValue());
    this.decorations.set(gutterDecorations(changes, model.getLineCount(), this.monaco));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.loads++;
    for (const disposable of this.disposables) disposable.dispose();
    this.decorations.clear();
  }
}
