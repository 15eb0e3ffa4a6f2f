'use client';
// The danger zone: deleting the account (projects, workspaces, tokens, sessions) once the user
// has typed their email.
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { api, ApiError } from '../api-client';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { TextField } from '../ui/TextField';

export function DeleteAccountSection({ email }: { email: string | null }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const matches = email !== null && typed.trim().toLowerCase() === email.toLowerCase();

  async function onDelete() {
    setPending(true);
    setError(null);
    try {
      await api('/me', { method: 'DELETE', body: { email: typed } });
      await signOut({ callbackUrl: '/signin' });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Could not delete the account');
      setPending(false);
    }
  }

  const close = () => {
    setOpen(false);
    setTyped('');
    setError(null);
  };
  return (
    <section className="mt-10 rounded-lg border border-danger/50 p-4" data-testid="danger-zone">
      <h2 className="font-semibold text-danger">Danger zone</h2>
      <div className="mt-2 flex items-center gap-4">
        <p className="flex-1 text-sm text-muted">
          Deleting your account removes all your projects, their workspaces and snapshots, and your access tokens. It
          cannot be undone.
        </p>
        <Button variant="danger" onClick={() => setOpen(true)} data-testid="delete-account">
          Delete my account
        </Button>
      </div>
      <Dialog open={open} onClose={close} title="Delete your account?" testId="delete-account-dialog">
        <p className="text-sm text-gray-300">
          This deletes every project of <strong>{email}</strong> and signs you out everywhere. Type your email to
          confirm.
        </p>
        <TextField
          label="Your email"
          name="confirmEmail"
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoFocus
        />
        {error ? <p className="text-sm text-danger">{error}</p> : null}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="button" variant="danger" disabled={!matches || pending} onClick={() => void onDelete()}>
            {pending ? 'Deleting…' : 'Delete my account'}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
