'use client';
// The panel's banners: git's refusal (red, as git said it, then the next step) and what went
// through (green: a headline, then git's own output smaller). "Settings → Git" in a hint links to
// the settings page, in a new tab so the workbench stays where it was.
import { settingsLinkFor } from './git-view';

export function GitBanner({ kind, text, onDismiss }: { kind: 'error' | 'notice'; text: string; onDismiss(): void }) {
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={kind === 'error' ? 'git-error' : 'git-notice'}
      className={`flex shrink-0 items-start gap-2 border-b border-edge px-3 py-2 text-xs ${
        kind === 'error' ? 'bg-danger/10 text-danger' : 'bg-green-500/10 text-green-300'
      }`}
    >
      {kind === 'error' ? <ErrorText text={text} /> : <NoticeText text={text} />}
      <button type="button" aria-label="Dismiss" className="text-muted hover:text-gray-100" onClick={onDismiss}>
        ✕
      </button>
    </div>
  );
}

/** Git's words in mono; a "Settings → Git" in the hint is a link. */
export function ErrorText({ text }: { text: string }) {
  const link = settingsLinkFor(text);
  return (
    <span className="min-w-0 flex-1 whitespace-pre-wrap break-words font-mono">
      {link ? (
        <>
          {link.before}
          <a
            href={link.href}
            target="_blank"
            rel="noopener"
            className="whitespace-nowrap font-sans font-medium underline hover:text-gray-100"
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
  );
}

/** What went through, then git's own output, smaller and dimmer. */
function NoticeText({ text }: { text: string }) {
  const newline = text.indexOf('\n');
  const headline = newline < 0 ? text : text.slice(0, newline);
  const said = newline < 0 ? '' : text.slice(newline + 1);
  return (
    <span className="min-w-0 flex-1 break-words">
      <span className="block font-medium">{headline}</span>
      {said ? (
        <span className="mt-1 block max-h-32 overflow-auto whitespace-pre-wrap font-mono text-[11px] text-green-300/70">
          {said}
        </span>
      ) : null}
    </span>
  );
}
