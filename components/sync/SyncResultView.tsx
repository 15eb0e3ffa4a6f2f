'use client';
// A sync's result the way people expect: "↑ 3 files · ↓ 1 file · ⚠ 0 conflicts", with the list
// behind it (paths sent and received, conflicts and how each ended) and how to undo it.
import type { SyncResultDto } from '@/server/contracts';
import { outcomeText, resultSummary } from './sync-format';

const LIST_OPEN_UP_TO = 30;

export function SyncResultView({
  result,
  remoteName,
  onOpenHistory,
}: {
  result: SyncResultDto;
  remoteName: string;
  onOpenHistory?: () => void;
}) {
  const uploaded = result.uploaded ?? [];
  const downloaded = result.downloaded ?? [];
  const decided = result.conflicts.filter((conflict) => conflict.outcome !== 'unresolved');
  const held = result.held ?? [];
  const items = uploaded.length + downloaded.length + decided.length + held.length;
  const changedSomething =
    result.filesUploaded + result.filesDownloaded + result.conversationsUploaded + result.conversationsDownloaded > 0;
  const review = result.conflicts.filter((conflict) => conflict.outcome === 'markers').length;

  return (
    <section className="flex flex-col gap-2 text-sm" data-testid="sync-result" data-success={String(result.success)}>
      <details open={items <= LIST_OPEN_UP_TO}>
        <summary className="cursor-pointer select-none">
          <span className={`font-mono ${result.success ? 'text-gray-100' : 'text-danger'}`} data-testid="sync-summary">
            {resultSummary(result)}
          </span>
          {!result.success ? <span className="ml-2 text-danger">(did not finish)</span> : null}
        </summary>
        {items > 0 ? (
          <ul
            className="mt-2 max-h-48 overflow-auto rounded-md border border-edge bg-surface p-2 font-mono text-xs"
            data-testid="sync-result-list"
          >
            {uploaded.map((path) => (
              <li key={`up:${path}`} data-testid="sync-uploaded" className="truncate" title={path}>
                <span className="text-green-400">↑</span> {path}
              </li>
            ))}
            {downloaded.map((path) => (
              <li key={`down:${path}`} data-testid="sync-downloaded" className="truncate" title={path}>
                <span className="text-accent">↓</span> {path}
              </li>
            ))}
            {decided.map((conflict) => (
              <li
                key={`conflict:${conflict.path}`}
                data-testid="sync-conflict"
                data-outcome={conflict.outcome}
                className="truncate"
                title={conflict.path}
              >
                <span className="text-yellow-400">⚠</span> {conflict.title ?? conflict.path}{' '}
                <span className={conflict.outcome === 'markers' ? 'text-yellow-400' : 'text-muted'}>
                  — {outcomeText(conflict)}
                </span>
              </li>
            ))}
            {held.map((item) => (
              <li key={`held:${item.path}`} data-testid="sync-held" className="truncate" title={item.reason}>
                <span className="text-muted">⏸</span> {item.path} <span className="text-muted">— {item.reason}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-muted">
            {result.conflicts.length > 0
              ? 'Nothing else to move: the conflicts wait for your choice.'
              : 'Nothing to move: both sides already match.'}
          </p>
        )}
      </details>
      {review > 0 ? (
        <p className="text-yellow-400" data-testid="sync-review">
          {review === 1 ? 'One file has' : `${review} files have`} conflict markers (&lt;&lt;&lt;&lt;&lt;&lt;&lt; local
          … &gt;&gt;&gt;&gt;&gt;&gt;&gt; remote): look them over and save.
        </p>
      ) : null}
      {result.errors.length > 0 ? (
        <ul role="alert" className="list-inside list-disc text-danger" data-testid="sync-errors">
          {result.errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
      {changedSomething ? (
        <p className="text-xs text-muted" data-testid="sync-undo-hint">
          Each side that changed got a snapshot “before sync with …” first: restoring it from History (here, or on{' '}
          {remoteName}) undoes this sync.
          {onOpenHistory ? (
            <>
              {' '}
              <button type="button" className="text-accent underline" onClick={onOpenHistory}>
                Open History
              </button>
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
