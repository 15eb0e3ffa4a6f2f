'use client';
// One remote in Settings → Remotes: its name and URL, the masked token, what the last check found.
import type { RemoteDto } from '@/server/contracts';
import { relativeTime } from '../dashboard/relative-time';
import { Button } from '../ui/Button';
import { accountText } from './remote-account';

export function RemoteRow({ remote, onRemove }: { remote: RemoteDto; onRemove(): void }) {
  const check = accountText(remote);
  return (
    <li
      className="flex items-center gap-4 px-4 py-3 text-sm"
      data-testid="remote-row"
      data-remote-id={remote.id}
      data-status={check.ok ? 'ok' : 'error'}
    >
      <div className="min-w-0 flex-1">
        <p className="truncate">
          <span className="font-medium" data-testid="remote-row-name">
            {remote.name}
          </span>{' '}
          <span className="text-muted">{remote.url}</span>
        </p>
        <p className="text-xs text-muted">
          <code data-testid="remote-token-masked">{remote.tokenMasked}</code> · added {relativeTime(remote.createdAt)}
          {remote.lastCheckedAt ? ` · checked ${relativeTime(remote.lastCheckedAt)}` : ''}
        </p>
        <p className={`text-xs ${check.ok ? 'text-green-400' : 'text-danger'}`} data-testid="remote-account">
          {check.text}
        </p>
      </div>
      <Button
        variant="ghost-danger"
        onClick={onRemove}
        aria-label={`Remove ${remote.name}`}
        data-testid="remote-remove"
      >
        Remove
      </Button>
    </li>
  );
}
