'use client';
// The panel's one-line banners: git's refusal (red, as git said it, then the next step) and what
// went through (green). "Settings → Git" in a hint links to the settings page, in a new tab so the
// workbench stays where it was.
import { settingsLinkFor } from './git-view';

export function GitBanner({ kind, text, onDismiss }: { kind: 'error' | 'notice'; text: string; onDismiss(): void }) {
  const link = kind === 'error' ? settingsLinkFor(text) : null;
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={kind === 'error' ? 'git-error' : 'git-notice'}
      className={`flex shrink-0 items-start gap-2 border-b border-edge px-3 py-2 text-xs ${
        kind === 'error' ? 'bg-danger/10 text-danger' : 'bg-green-500/10 text-green-300'
      }`}
    >
      <span className={`min-w-0 flex-1 whitespace-pre-wrap break-words ${kind === 'error' ? 'font-mono' : ''}`}>
        {link ? (
          <>
            {link.before}
            <a
              href={link.href}
              target="_blank"
              rel="noopener"
              className="font-sans font-medium underline hover:text-gray-100"
              data-testid="git-error-settings-link"
            >
              Settings → Git
            </a>
            {link.after}
          </>
        ) : (
          text
        )}
      </span>
      <button type="button" aria-label="Dismiss" className="text-muted hover:text-gray-100" onClick={onDismiss}>
        ✕
      </button>
    </div>
  );
}
