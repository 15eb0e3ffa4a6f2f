'use client';
// `berth login` in the browser: the signed-in user types the code their terminal shows (never
// taken from a link: one sent by someone else would sign in their terminal), sees which machine
// asked, and approves; the CLI then receives a personal access token named "berth CLI (<device>)"
// (revocable under Settings → Tokens).
import { useState, type FormEvent, type ReactNode } from 'react';
import type { CliLoginRequestDto } from '@/server/contracts';
import { api, ApiError } from '../api-client';
import { AppHeader } from '../AppHeader';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';

type View =
  | { state: 'enter' }
  | { state: 'loading' }
  | { state: 'found'; login: CliLoginRequestDto }
  | { state: 'approving'; login: CliLoginRequestDto }
  | { state: 'done'; login: CliLoginRequestDto }
  | { state: 'error'; message: string };

const messageOf = (error: unknown) => (error instanceof ApiError ? error.body.message : 'Something went wrong');

export function CliApprovePanel() {
  const [code, setCode] = useState('');
  const [view, setView] = useState<View>({ state: 'enter' });

  async function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setView({ state: 'loading' });
    try {
      setView({ state: 'found', login: await api<CliLoginRequestDto>(`/cli/login/${encodeURIComponent(code)}`) });
    } catch (error) {
      setView({ state: 'error', message: messageOf(error) });
    }
  }

  async function approve(login: CliLoginRequestDto) {
    setView({ state: 'approving', login });
    try {
      const approved = await api<CliLoginRequestDto>('/cli/login/approve', {
        method: 'POST',
        body: { code: login.code },
      });
      setView({ state: 'done', login: approved });
    } catch (error) {
      setView({ state: 'error', message: messageOf(error) });
    }
  }

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-lg px-4 py-10" data-testid="cli-approve" data-status={view.state}>
        <h1 className="text-xl font-semibold">Sign in the berth command line</h1>
        {view.state === 'enter' || view.state === 'error' ? (
          <form onSubmit={lookUp} className="mt-6 flex items-end gap-2">
            <div className="flex-1">
              <TextField
                label="Code shown in your terminal"
                name="code"
                required
                maxLength={20}
                placeholder="ABCD-1234"
                autoComplete="off"
                autoFocus
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            </div>
            <Button type="submit" className="h-[38px]">
              Continue
            </Button>
          </form>
        ) : null}
        {view.state === 'error' ? (
          <p className="mt-3 text-sm text-danger" role="alert" data-testid="cli-approve-error">
            {view.message}
          </p>
        ) : null}
        {view.state === 'loading' ? <p className="mt-6 text-sm text-muted">Looking up the code…</p> : null}
        {view.state === 'found' || view.state === 'approving' ? (
          <LoginCard login={view.login}>
            {view.login.status === 'pending' ? (
              <>
                <p className="mt-4 text-sm text-muted">
                  Approve only if you just ran <code>berth login</code> and your terminal shows this same code. The
                  command line will act as you on every project.
                </p>
                <Button
                  className="mt-4"
                  disabled={view.state === 'approving'}
                  onClick={() => void approve(view.login)}
                  data-testid="cli-approve-button"
                >
                  {view.state === 'approving' ? 'Approving…' : 'Approve'}
                </Button>
              </>
            ) : (
              <p className="mt-4 text-sm text-muted">
                {view.login.status === 'approved'
                  ? 'This code was approved already.'
                  : 'This code has expired. Run berth login again.'}
              </p>
            )}
          </LoginCard>
        ) : null}
        {view.state === 'done' ? (
          <LoginCard login={view.login}>
            <p className="mt-4 text-sm text-green-500" data-testid="cli-approve-done">
              Approved. Your terminal is signed in; you can close this tab.
            </p>
          </LoginCard>
        ) : null}
      </main>
    </div>
  );
}

function LoginCard({ login, children }: { login: CliLoginRequestDto; children: ReactNode }) {
  return (
    <div className="mt-6 rounded-lg border border-edge bg-panel p-5">
      <p className="text-sm text-muted">Code</p>
      <p className="font-mono text-2xl tracking-widest" data-testid="cli-approve-code">
        {login.code}
      </p>
      <p className="mt-3 text-sm text-muted">Device</p>
      <p className="text-sm" data-testid="cli-approve-device">
        {login.device ?? 'not named'}
      </p>
      {children}
    </div>
  );
}
