'use client';
// Tabs for terminals: click to switch, double-click or F2 to rename, × to close, + for new.
import { useState, type KeyboardEvent } from 'react';
import type { TerminalDto } from '@/server/contracts';

export function TerminalTabs({
  terminals,
  activeId,
  onSelect,
  onRename,
  onClose,
  onCreate,
  creating,
}: {
  terminals: TerminalDto[];
  activeId: string | null;
  onSelect(id: string): void;
  onRename(id: string, title: string): void;
  onClose(id: string): void;
  onCreate(): void;
  creating: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);

  const finishRename = (id: string, value: string) => {
    setEditing(null);
    if (value.trim()) onRename(id, value.trim());
  };
  const onTabKey = (event: KeyboardEvent, id: string) => {
    if (event.key === 'F2') {
      event.preventDefault();
      setEditing(id);
    }
  };

  return (
    <div
      className="flex min-w-0 flex-1 items-center gap-0.5 overflow-x-auto"
      role="tablist"
      data-testid="terminal-tabs"
    >
      {terminals.map((terminal) => (
        <div
          key={terminal.id}
          role="tab"
          tabIndex={0}
          aria-selected={terminal.id === activeId}
          data-testid="terminal-tab"
          data-terminal-id={terminal.id}
          data-status={terminal.state}
          onClick={() => onSelect(terminal.id)}
          onDoubleClick={() => setEditing(terminal.id)}
          onKeyDown={(event) => onTabKey(event, terminal.id)}
          className={`group flex h-7 shrink-0 cursor-pointer items-center gap-1.5 rounded-t px-2 text-xs ${terminal.id === activeId ? 'bg-surface text-gray-100' : 'text-muted hover:text-gray-200'}`}
        >
          <span
            className={`h-1.5 w-1.5 rounded-full ${terminal.state === 'running' ? 'bg-green-500' : 'bg-gray-500'}`}
          />
          {editing === terminal.id ? (
            <input
              autoFocus
              defaultValue={terminal.title}
              maxLength={64}
              aria-label="Terminal name"
              data-testid="terminal-rename-input"
              className="w-28 rounded border border-accent bg-surface px-1 text-xs text-gray-100 outline-none"
              onClick={(event) => event.stopPropagation()}
              onBlur={(event) => finishRename(terminal.id, event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') finishRename(terminal.id, event.currentTarget.value);
                if (event.key === 'Escape') setEditing(null);
              }}
            />
          ) : (
            <span data-testid="terminal-tab-title">{terminal.title}</span>
          )}
          <button
            aria-label={`Close ${terminal.title}`}
            data-testid="terminal-tab-close"
            className="rounded px-1 text-muted opacity-60 hover:bg-panel-2 hover:text-gray-100 group-hover:opacity-100"
            onClick={(event) => {
              event.stopPropagation();
              onClose(terminal.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
      <button
        aria-label="New terminal"
        title="New terminal (Ctrl+Shift+`)"
        data-testid="new-terminal"
        disabled={creating}
        onClick={onCreate}
        className="ml-1 h-6 w-6 shrink-0 rounded text-sm text-muted hover:bg-panel-2 hover:text-gray-100 disabled:opacity-40"
      >
        +
      </button>
    </div>
  );
}
