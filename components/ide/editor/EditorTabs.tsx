'use client';
// The open files as tabs: dirty dot, lock marker, source control's letter, middle-click or × to close.
import type { FileLockDto } from '@/server/contracts';
import { FileIcon, LockIcon } from '../files/file-icons';
import { basename } from '../files/paths';
import { markerColour } from '../git/git-view';
import type { EditorTab } from './editor-types';

export function EditorTabs({
  tabs,
  active,
  lockFor,
  gitMarker,
  onSelect,
  onClose,
}: {
  tabs: EditorTab[];
  active: string | null;
  lockFor(path: string): FileLockDto | null;
  /** Source control's marker for a changed file (M, A, U…). */
  gitMarker?(path: string): string | undefined;
  onSelect(path: string): void;
  onClose(path: string): void;
}) {
  return (
    <div
      className="flex min-w-0 flex-1 items-end gap-px self-stretch overflow-x-auto"
      role="tablist"
      data-testid="editor-tabs"
    >
      {tabs.map((tab) => {
        const selected = tab.path === active;
        const lock = lockFor(tab.path);
        const marker = gitMarker?.(tab.path);
        return (
          <div
            key={tab.path}
            role="tab"
            tabIndex={0}
            title={tab.path}
            aria-selected={selected}
            data-testid="editor-tab"
            data-path={tab.path}
            data-dirty={String(tab.dirty)}
            data-git={marker}
            data-status={tab.conflict ? 'conflict' : tab.saving ? 'saving' : tab.status}
            onClick={() => onSelect(tab.path)}
            onAuxClick={(event) => event.button === 1 && onClose(tab.path)}
            onKeyDown={(event) => event.key === 'Enter' && onSelect(tab.path)}
            className={`group flex h-8 shrink-0 cursor-pointer items-center gap-1.5 border-t-2 px-2.5 text-xs ${
              selected ? 'border-accent bg-surface text-gray-100' : 'border-transparent text-muted hover:text-gray-200'
            }`}
          >
            <FileIcon entry={{ name: basename(tab.path), kind: 'file' }} />
            <span className={tab.conflict ? 'text-amber-400' : ''}>{basename(tab.path)}</span>
            {marker ? (
              <span data-testid="tab-git-marker" className={`font-mono text-[11px] ${markerColour(marker)}`}>
                {marker}
              </span>
            ) : null}
            {lock ? (
              <span
                data-testid="lock-marker"
                title={`Locked by ${lock.holder}`}
                aria-label={`Locked by ${lock.holder}`}
              >
                <LockIcon />
              </span>
            ) : null}
            <button
              aria-label={`Close ${basename(tab.path)}`}
              data-testid="editor-tab-close"
              onClick={(event) => {
                event.stopPropagation();
                onClose(tab.path);
              }}
              className="relative flex h-4 w-4 items-center justify-center rounded text-muted hover:bg-panel-2 hover:text-gray-100"
            >
              {tab.dirty ? (
                <span className="h-2 w-2 rounded-full bg-gray-300 group-hover:hidden" data-testid="dirty-marker" />
              ) : null}
              <span className={tab.dirty ? 'hidden group-hover:inline' : 'opacity-60 group-hover:opacity-100'}>×</span>
            </button>
          </div>
        );
      })}
    </div>
  );
}
