'use client';
// The left sidebar's tabs: Files, Git (source control), History and Assistant. All stay mounted (the tree keeps its
// expanded folders and watchers, the chat its scroll and draft); arrow keys move between tabs, as
// in a WAI-ARIA tablist.
import type { KeyboardEvent, ReactNode } from 'react';

export type SidebarTab = 'files' | 'git' | 'history' | 'assistant';
const TABS: { id: SidebarTab; label: string; title?: string }[] = [
  { id: 'files', label: 'Files' },
  { id: 'git', label: 'Git', title: 'Source control (Ctrl+Shift+G)' },
  { id: 'history', label: 'History' },
  { id: 'assistant', label: 'Assistant' },
];

export function SidebarTabs({
  active,
  onChange,
  panels,
  badges = {},
}: {
  active: SidebarTab;
  onChange(tab: SidebarTab): void;
  panels: Record<SidebarTab, ReactNode>;
  /** A count shown next to a tab's label (the number of changed files on Git); 0 shows nothing. */
  badges?: Partial<Record<SidebarTab, number>>;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
    const next = TABS[(TABS.findIndex((tab) => tab.id === active) + step) % TABS.length]!.id;
    onChange(next);
    document.getElementById(`sidebar-tab-${next}`)?.focus();
  };
  return (
    <div className="flex h-full flex-col">
      <div
        role="tablist"
        aria-label="Sidebar"
        className="flex h-7 shrink-0 border-b border-edge bg-panel text-xs"
        onKeyDown={onKeyDown}
      >
        {TABS.map((tab) => (
          <button
            key={tab.id}
            id={`sidebar-tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={active === tab.id}
            aria-controls={`sidebar-panel-${tab.id}`}
            tabIndex={active === tab.id ? 0 : -1}
            data-testid={`sidebar-tab-${tab.id}`}
            title={tab.title}
            onClick={() => onChange(tab.id)}
            className={`flex min-w-0 flex-auto items-center justify-center gap-1 border-b-2 px-1.5 ${active === tab.id ? 'border-accent text-gray-100' : 'border-transparent text-muted hover:text-gray-100'}`}
          >
            <span className="truncate">{tab.label}</span>
            {badges[tab.id] ? (
              <span
                className="rounded-full bg-accent/30 px-1 text-[10px] leading-4 text-gray-100"
                data-testid={`sidebar-badge-${tab.id}`}
              >
                {badges[tab.id]}
              </span>
            ) : null}
          </button>
        ))}
      </div>
      {TABS.map((tab) => (
        <div
          key={tab.id}
          id={`sidebar-panel-${tab.id}`}
          role="tabpanel"
          aria-labelledby={`sidebar-tab-${tab.id}`}
          className={`min-h-0 flex-1 ${active === tab.id ? '' : 'hidden'}`}
        >
          {panels[tab.id]}
        </div>
      ))}
    </div>
  );
}
