'use client';
// The Deploy dialog's tabs (a WAI-ARIA tablist: arrow keys move between them).
import type { KeyboardEvent } from 'react';

export type DeployTab = 'deploy' | 'history' | 'variables' | 'logs' | 'settings';
export const DEPLOY_TABS: { id: DeployTab; label: string }[] = [
  { id: 'deploy', label: 'Deploy' },
  { id: 'history', label: 'History' },
  { id: 'variables', label: 'Variables' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
];

export function DeployTabs({ active, onChange }: { active: DeployTab; onChange(tab: DeployTab): void }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const step = event.key === 'ArrowRight' ? 1 : DEPLOY_TABS.length - 1;
    const next = DEPLOY_TABS[(DEPLOY_TABS.findIndex((tab) => tab.id === active) + step) % DEPLOY_TABS.length]!.id;
    onChange(next);
    document.getElementById(`deploy-tab-${next}`)?.focus();
  };
  return (
    <div
      role="tablist"
      aria-label="Deployment"
      className="flex gap-1 border-b border-edge px-5 text-sm"
      onKeyDown={onKeyDown}
    >
      {DEPLOY_TABS.map((tab) => (
        <button
          key={tab.id}
          id={`deploy-tab-${tab.id}`}
          type="button"
          role="tab"
          aria-selected={active === tab.id}
          aria-controls={`deploy-panel-${tab.id}`}
          tabIndex={active === tab.id ? 0 : -1}
          data-testid={`deploy-tab-${tab.id}`}
          onClick={() => onChange(tab.id)}
          className={`-mb-px border-b-2 px-3 py-2 ${active === tab.id ? 'border-accent text-gray-100' : 'border-transparent text-muted hover:text-gray-100'}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
