'use client';
// The left sidebar's tabs: Files, History and Assistant. All stay mounted (the tree keeps its
// expanded folders and watchers, the chat its scroll and draft); arrow keys move between tabs, as
// in a WAI-ARIA tablist.
import type { KeyboardEvent, ReactNode } from 'react';

export type SidebarTab = 'files' | 'history' | 'assistant';
const TABS: { id: SidebarTab; label: string }[] = [
  { id: 'files', label: 'Files' },
  { id: 'history', label: 'History' },
  { id: 'assistant', label: 'Assistant' },
];

export function SidebarTabs({
  active,
  onChange,
  panels,
}: {
  active: SidebarTab;
  onChange(tab: SidebarTab): void;
  panels: Record<SidebarTab, ReactNode>;
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
            onClick={() => onChange(tab.id)}
            className={`flex-1 border-b-2 px-3 ${active === tab.id ? 'border-accent text-gray-100' : 'border-transparent text-muted hover:text-gray-100'}`}
          >
            {tab.label}
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
