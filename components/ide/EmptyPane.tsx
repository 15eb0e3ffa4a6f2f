import type { ReactNode } from 'react';

export function EmptyPane({
  title,
  hint,
  testId,
  children,
}: {
  title: string;
  hint: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div
      data-testid={testId}
      data-status="empty"
      className="flex h-full flex-col items-center justify-center gap-1 bg-panel p-4 text-center"
    >
      <p className="text-sm font-medium text-gray-300">{title}</p>
      <p className="max-w-xs text-xs text-muted">{hint}</p>
      {children}
    </div>
  );
}

export function PaneTitle({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-8 shrink-0 items-center border-b border-edge bg-panel-2 px-3 text-xs font-semibold uppercase tracking-wide text-muted">
      {children}
    </div>
  );
}
