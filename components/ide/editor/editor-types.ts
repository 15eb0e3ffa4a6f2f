// The editor's state on one workbench: open tabs, their base versions, dirty state, conflicts.
import type { FileLockDto } from '@/server/contracts';

export type TabKind = 'text' | 'image' | 'binary';
export type TabStatus = 'loading' | 'ready' | 'error';

/** Why the tab disagrees with the disk: it changed there, a save was refused, or it is gone. */
export interface Conflict {
  reason: 'disk' | 'save' | 'deleted';
  /** The disk's version and text (null when deleted). */
  version: string | null;
  content: string | null;
}

export interface EditorTab {
  path: string;
  /** Monaco model URI (file:///workspace/<path>) once the model exists. */
  uri: string | null;
  kind: TabKind;
  status: TabStatus;
  error: string | null;
  /** The disk version this tab's text is based on; null = not on disk (yet). */
  version: string | null;
  size: number;
  /** Too large to edit: opened read-only. */
  readOnly: boolean;
  dirty: boolean;
  saving: boolean;
  saveError: string | null;
  conflict: Conflict | null;
}

export type EditorTheme = 'dark' | 'light';

export interface EditorState {
  tabs: EditorTab[];
  active: string | null;
  locks: FileLockDto[];
  autosave: boolean;
  theme: EditorTheme;
  /** The tab whose conflict is shown as a diff, if any. */
  comparing: string | null;
  quickOpen: boolean;
}

export const newTab = (path: string, kind: TabKind): EditorTab => ({
  path,
  uri: null,
  kind,
  status: 'loading',
  error: null,
  version: null,
  size: 0,
  readOnly: false,
  dirty: false,
  saving: false,
  saveError: null,
  conflict: null,
});
