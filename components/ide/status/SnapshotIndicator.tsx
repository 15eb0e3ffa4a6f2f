'use client';
// The status bar's snapshot state: Saving…, "Last snapshot 2 min ago", or a warning when an
// automatic snapshot failed (the error and how many failed in a row in the tooltip, the retry
// time in the text; the server re-sends the state while failures go on, so a tab opened
// meanwhile shows it too). A click opens the History panel.
import { useEffect, useState } from 'react';
import type { SnapshotStatusDto } from '@/server/contracts';
import { relativeTime } from '../../dashboard/relative-time';

function describe(
  status: SnapshotStatusDto | null,
  now: number,
): { text: string; tone: 'normal' | 'warning'; tip: string } {
  const last = status?.lastSnapshotAt;
  const lastText = last ? `Last snapshot ${relativeTime(last, now)}` : 'No snapshot yet';
  const lastTip = last
    ? `Last snapshot: ${new Date(last).toLocaleString()}`
    : 'Snapshots are taken 30 s after changes and before the workspace stops';
  if (!status) return { text: lastText, tone: 'normal', tip: lastTip };
  switch (status.state) {
    case 'saving':
      return { text: 'Saving snapshot…', tone: 'normal', tip: lastTip };
    case 'failed': {
      const retry = status.retryAt ? ` — retrying at ${new Date(status.retryAt).toLocaleTimeString()}` : '';
      const inARow =
        (status.failures ?? 1) > 1 ? `Automatic snapshots failed ${status.failures} times in a row.\n` : '';
      return {
        text: `Snapshot failed${retry}`,
        tone: 'warning',
        tip: `${inARow}${status.error ?? 'Unknown error'}\n${lastTip}`,
      };
    }
    case 'idle':
      return { text: lastText, tone: 'normal', tip: lastTip };
    default: {
      const exhaustive: never = status.state;
      return exhaustive;
    }
  }
}

export function SnapshotIndicator({
  status,
  onOpenHistory,
}: {
  status: SnapshotStatusDto | null;
  onOpenHistory(): void;
}) {
  // "2 min ago" must move on without a push.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => setNow(Date.now()), [status]);

  const { text, tone, tip } = describe(status, now);
  return (
    <button
      type="button"
      onClick={onOpenHistory}
      title={tip}
      data-testid="snapshot-status"
      data-status={status?.state ?? 'unknown'}
      data-failures={status?.failures ?? 0}
      className={`truncate rounded px-1 hover:bg-edge ${tone === 'warning' ? 'text-yellow-400' : ''}`}
    >
      {status?.state === 'saving' ? (
        <span className="mr-1.5 inline-block h-2 w-2 animate-pulse rounded-full bg-accent" />
      ) : null}
      {tone === 'warning' ? '⚠ ' : ''}
      {text}
    </button>
  );
}
