// The pieces of a provider's part of /settings/ai: the section with its title, and under a field
// what is saved for it (a key only as its last characters) with a Clear button.
import type { ReactNode } from 'react';
import type { AiKeySettingDto } from '@/server/contracts';
import { Button } from '../ui/Button';

export function ProviderSection({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-edge bg-panel p-4">
      <h2 className="font-semibold">{title}</h2>
      <p className="mb-3 mt-0.5 text-sm text-muted">{subtitle}</p>
      <div className="flex flex-col gap-3">{children}</div>
    </section>
  );
}

/** What is saved for a field, with its Clear button. */
export function SavedValue({
  testId,
  children,
  onClear,
}: {
  testId: string;
  children: ReactNode;
  onClear: () => void;
}) {
  return (
    <div className="-mt-1 flex items-center gap-2 text-xs text-muted" data-testid={testId}>
      <span className="min-w-0 flex-1 truncate">{children}</span>
      <Button type="button" variant="ghost" className="px-2 py-0.5 text-xs" onClick={onClear}>
        Clear
      </Button>
    </div>
  );
}

export function keySaved(key: AiKeySettingDto): ReactNode {
  if (key.unreadable) return 'Saved under another AUTH_SECRET: it cannot be used, enter it again.';
  return (
    <>
      Saved: <code className="rounded bg-panel-2 px-1">{key.masked ?? '••••'}</code>
    </>
  );
}
