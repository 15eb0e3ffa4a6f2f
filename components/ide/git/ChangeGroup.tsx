'use client';
// One group of the status (Staged, Changes, Untracked, Conflicts): a header with its count and
// "all" actions, then a row per file — click opens its diff, the icons stage, unstage or discard.
import { markerColour, type GitEntry, type GitGroup } from './git-view';

export interface GroupActions {
  stage?(paths: string[]): void;
  unstage?(paths: string[]): void;
  discard?(paths: string[]): void;
}

function IconButton({
  label,
  onClick,
  children,
  testId,
}: {
  label: string;
  onClick(): void;
  children: string;
  testId: string;
}) {
  return (
    <button
      type="button"
      title={label}
      aria-label={label}
      data-testid={testId}
      onClick={(event) => {
        event.stopPropagation();
        onClick();
      }}
      className="flex h-5 w-5 items-center justify-center rounded text-muted hover:bg-surface hover:text-gray-100"
    >
      {children}
    </button>
  );
}

export function ChangeGroup({
  group,
  actions,
  openKey,
  onOpen,
}: {
  group: GitGroup;
  actions: GroupActions;
  /** The path whose diff is on screen, in this group. */
  openKey: string | null;
  onOpen(entry: GitEntry): void;
}) {
  const all = group.entries.map((entry) => entry.path);
  return (
    <section data-testid={`git-group-${group.id}`} className="border-b border-edge/60 py-1">
      <div
        data-testid="git-group-header"
        className="group flex h-6 items-center gap-1 pl-3 pr-1 text-[11px] font-semibold uppercase tracking-wide text-muted"
      >
        <span className="flex-1 truncate">{group.title}</span>
        <span className="hidden items-center gap-0.5 group-hover:flex group-focus-within:flex">
          {actions.discard ? (
            <IconButton
              label={`Discard all ${group.title.toLowerCase()}`}
              testId={`git-discard-all-${group.id}`}
              onClick={() => actions.discard?.(all)}
            >
              ↺
            </IconButton>
          ) : null}
          {actions.unstage ? (
            <IconButton
              label="Unstage all"
              testId={`git-unstage-all-${group.id}`}
              onClick={() => actions.unstage?.(all)}
            >
              −
            </IconButton>
          ) : null}
          {actions.stage ? (
            <IconButton label="Stage all" testId={`git-stage-all-${group.id}`} onClick={() => actions.stage?.(all)}>
              +
            </IconButton>
          ) : null}
        </span>
        <span
          className="min-w-[1.25rem] rounded-full bg-panel-2 px-1.5 text-center normal-case tracking-normal"
          data-testid={`git-count-${group.id}`}
        >
          {group.entries.length}
        </span>
      </div>
      <ul>
        {group.entries.map((entry) => {
          const slash = entry.path.lastIndexOf('/');
          const name = entry.path.slice(slash + 1) || entry.path;
          const folder = slash > 0 ? entry.path.slice(0, slash) : '';
          return (
            <li
              key={entry.path}
              data-testid="git-file"
              data-path={entry.path}
              data-letter={entry.letter}
              aria-selected={openKey === entry.path}
              className={`group flex h-6 cursor-pointer items-center gap-1 pl-5 pr-1 text-xs ${openKey === entry.path ? 'bg-accent/20' : 'hover:bg-panel-2'}`}
              title={`${entry.origPath ? `${entry.origPath} → ` : ''}${entry.path} (${entry.label})`}
              onClick={() => onOpen(entry)}
            >
              <span className="min-w-0 flex-1 truncate">
                <span className="text-gray-100">{name}</span>
                {folder ? <span className="ml-1.5 text-muted">{folder}</span> : null}
              </span>
              <span className="hidden items-center gap-0.5 group-hover:flex group-focus-within:flex">
                {actions.discard ? (
                  <IconButton
                    label="Discard changes"
                    testId="git-discard"
                    onClick={() => actions.discard?.([entry.path])}
                  >
                    ↺
                  </IconButton>
                ) : null}
                {actions.unstage ? (
                  <IconButton label="Unstage" testId="git-unstage" onClick={() => actions.unstage?.([entry.path])}>
                    −
                  </IconButton>
                ) : null}
                {actions.stage ? (
                  <IconButton label="Stage" testId="git-stage" onClick={() => actions.stage?.([entry.path])}>
                    +
                  </IconButton>
                ) : null}
              </span>
              <span className={`w-3 text-center font-mono font-semibold ${markerColour(entry.letter)}`}>
                {entry.letter}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
