'use client';
// "Reset link" in the admin users table: a one-time password-reset link for that user, to hand
// over by other means when the server sends no mail.
import { useState } from 'react';
import type { ResetLinkDto } from '@/server/contracts';
import { api } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

export function ResetLinkAction({ userId, email }: { userId: string; email: string }) {
  const [link, setLink] = useState<ResetLinkDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [copied, setCopied] = useState(false);

  async function issue() {
    setPending(true);
    setError(null);
    setCopied(false);
    try {
      setLink(await api<ResetLinkDto>(`/admin/users/${encodeURIComponent(userId)}/reset-link`, { method: 'POST' }));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not make a link');
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button
        variant="ghost"
        className="px-2 py-0.5 text-xs"
        disabled={pending}
        onClick={() => void issue()}
        data-testid="reset-link"
      >
        {pending ? 'Making…' : 'Reset link'}
      </Button>
      {error ? <span className="ml-2 text-xs text-danger">{error}</span> : null}
      {/* Mounted only with a link: one dialog on the page, not one per row. */}
      {link ? (
        <Dialog
          open
          onClose={() => setLink(null)}
          title={`Password-reset link for ${email}`}
          testId="reset-link-dialog"
        >
          <p className="text-sm text-gray-300">
            Give this link to its owner privately. It works once, and ends every session of the account when used.
          </p>
          <div className="flex items-center gap-2">
            <code
              className="flex-1 overflow-x-auto whitespace-nowrap rounded bg-surface px-2 py-1.5 font-mono text-xs"
              data-testid="reset-link-url"
            >
              {link.url}
            </code>
            <Button
              variant="secondary"
              onClick={() =>
                void navigator.clipboard?.writeText(link.url).then(
                  () => setCopied(true),
                  () => undefined,
                )
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
          <p className="text-xs text-muted" data-testid="reset-link-expiry">
            Expires {new Date(link.expiresAt).toLocaleString()}
          </p>
          <div className="flex justify-end">
            <Button variant="secondary" onClick={() => setLink(null)}>
              Done
            </Button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
