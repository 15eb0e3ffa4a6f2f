'use client';
// A terminal that could not start (typically the workspace's process limit) says so in the
// panel, with a Retry button, instead of leaving the panel empty. `overlay` when other terminals
// are still shown under it.
export function TerminalStartError({
  message,
  retrying,
  onRetry,
  onDismiss,
  overlay,
}: {
  message: string;
  retrying: boolean;
  onRetry(): void;
  onDismiss?(): void;
  overlay: boolean;
}) {
  return (
    <div
      role="alert"
      data-testid="terminal-start-error"
      data-status={retrying ? 'retrying' : 'failed'}
      className={
        overlay
          ? 'absolute inset-x-0 top-0 z-10 flex items-center gap-3 border-b border-danger/40 bg-panel-2/95 px-3 py-2 text-sm'
          : 'flex h-full flex-col items-center justify-center gap-3 px-6 text-center text-sm'
      }
    >
      <span className="text-danger" data-testid="terminal-start-error-message">
        {message}
      </span>
      <div className="flex shrink-0 gap-2">
        <button
          data-testid="terminal-start-retry"
          className="rounded bg-accent px-3 py-1 text-xs font-medium text-white disabled:opacity-50"
          disabled={retrying}
          onClick={onRetry}
        >
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
        {onDismiss ? (
          <button
            aria-label="Dismiss"
            className="rounded px-2 py-1 text-xs text-muted hover:text-gray-100"
            onClick={onDismiss}
          >
            ×
          </button>
        ) : null}
      </div>
    </div>
  );
}
