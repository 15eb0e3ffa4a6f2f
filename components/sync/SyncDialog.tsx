'use client';
// The Sync dialog: a mode (Upload / Download / Both ways) and what to do on a conflict (Local
// wins / Remote wins / Merge / Ask), Sync, then the result with the list behind it; with Ask, the
// conflicts side by side and a choice per file. The run's state lives here, not in the body, so
// closing the dialog (Escape) mid-sync keeps the answer for when it opens again.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type {
  ConflictResolution,
  ConflictStrategy,
  LinkDto,
  SyncConflictDto,
  SyncMode,
  SyncResultDto,
} from '@/server/contracts';
import { Button } from '../ui/Button';
import { ConflictResolver } from './ConflictResolver';
import { errorText, runSync } from './sync-api';
import { submitOnEnter } from './submit-on-enter';
import { MODE_OPTIONS, STRATEGY_OPTIONS } from './sync-options';
import { unresolved } from './sync-format';
import { SyncResultView } from './SyncResultView';

type Run =
  | { state: 'idle' }
  | { state: 'running'; startedAt: number; resolving: boolean }
  | { state: 'done'; result: SyncResultDto }
  | { state: 'failed'; message: string };

export function SyncDialog({
  projectId,
  projectName,
  link,
  waiting,
  open,
  onClose,
  onStarted,
  onSynced,
  onOpenHistory,
}: {
  projectId: string;
  projectName: string;
  link: LinkDto;
  /** Conflicts an earlier `ask` left (from the status): shown for a choice when the dialog opens. */
  waiting: SyncConflictDto[];
  open: boolean;
  onClose(): void;
  /** A sync started here (the light shows it). */
  onStarted?: () => void;
  /** It ended: its result, or null when it failed. */
  onSynced(result: SyncResultDto | null): void;
  onOpenHistory?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<SyncMode>('both');
  const [strategy, setStrategy] = useState<ConflictStrategy>('ask');
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // A finished run is news once: opening again starts from the form (a run under way stays).
  useEffect(() => {
    if (open) setRun((current) => (current.state === 'running' ? current : { state: 'idle' }));
  }, [open]);

  useEffect(() => {
    if (run.state !== 'running') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [run.state]);

  async function start(request: {
    mode: SyncMode;
    onConflict: ConflictStrategy;
    resolutions?: Record<string, ConflictResolution>;
  }) {
    setNow(Date.now());
    setRun({ state: 'running', startedAt: Date.now(), resolving: request.resolutions !== undefined });
    onStarted?.();
    try {
      const result = await runSync(projectId, request);
      setRun({ state: 'done', result });
      onSynced(result);
    } catch (caught) {
      setRun({ state: 'failed', message: errorText(caught) });
      onSynced(null);
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (run.state !== 'running') void start({ mode, onConflict: strategy });
  };

  // What still needs an answer: the last run's, or (before any run here) the status's.
  const pending =
    run.state === 'done' ? unresolved(run.result.conflicts) : run.state === 'idle' ? unresolved(waiting) : [];
  const running = run.state === 'running';
  const wide = pending.length > 0;

  return (
    <dialog
      ref={ref}
      data-testid="sync-dialog"
      data-status={run.state}
      aria-label={`Sync ${projectName}`}
      onClose={(event) => event.target === event.currentTarget && onClose()}
      onCancel={(event) => event.target === event.currentTarget && onClose()}
      className={`m-auto rounded-lg border border-edge bg-panel p-0 text-gray-100 shadow-2xl backdrop:bg-black/60 ${wide ? 'h-[min(44rem,92vh)] w-[min(72rem,96vw)]' : 'w-[min(36rem,94vw)]'}`}
    >
      {open ? (
        <div className="flex h-full flex-col gap-4 p-5">
          <header className="flex items-center gap-3">
            <h2 className="text-base font-semibold">
              Sync <span className="text-muted">{projectName}</span>
            </h2>
            <span className="truncate text-xs text-muted" title={link.remoteUrl}>
              with {link.remoteProjectName ?? 'its project'} on {link.remoteName}
            </span>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              data-testid="sync-close"
              className="ml-auto rounded px-2 py-1 text-muted hover:bg-panel-2 hover:text-gray-100"
            >
              ✕
            </button>
          </header>

          <form
            onSubmit={onSubmit}
            onKeyDown={submitOnEnter}
            className="flex flex-col gap-3 text-sm"
            data-testid="sync-form"
          >
            <ChoiceRow<SyncMode>
              label="Mode"
              name="sync-mode"
              options={MODE_OPTIONS}
              value={mode}
              onChange={setMode}
              disabled={running}
            />
            <ChoiceRow<ConflictStrategy>
              label="On conflict"
              name="sync-conflict"
              options={STRATEGY_OPTIONS}
              value={strategy}
              onChange={setStrategy}
              disabled={running}
            />
            <div className="flex items-center gap-3">
              <Button type="submit" disabled={running} data-testid="sync-run" autoFocus>
                {running ? 'Syncing…' : 'Sync'}
              </Button>
              {running ? (
                <span className="flex flex-1 items-center gap-3 text-xs text-muted" data-testid="sync-progress">
                  <span className="relative h-1.5 flex-1 overflow-hidden rounded bg-panel-2">
                    <span className="absolute inset-y-0 w-1/3 animate-pulse rounded bg-accent" />
                  </span>
                  {run.resolving ? 'Applying your choices' : 'Comparing and moving changes'} ·{' '}
                  {Math.max(0, Math.round((now - run.startedAt) / 1000))} s
                </span>
              ) : null}
            </div>
          </form>

          {run.state === 'failed' ? (
            <p
              role="alert"
              className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
              data-testid="sync-failed"
            >
              {run.message}
            </p>
          ) : null}
          {run.state === 'done' ? (
            <SyncResultView result={run.result} remoteName={link.remoteName} onOpenHistory={onOpenHistory} />
          ) : null}
          {pending.length > 0 ? (
            <ConflictResolver
              key={pending.map((conflict) => conflict.path).join('\n')}
              projectId={projectId}
              conflicts={pending}
              remoteName={link.remoteName}
              busy={running}
              onApply={(resolutions) => void start({ mode, onConflict: 'ask', resolutions })}
            />
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

function ChoiceRow<T extends string>({
  label,
  name,
  options,
  value,
  onChange,
  disabled,
}: {
  label: string;
  name: string;
  options: { id: T; label: string; hint: string }[];
  value: T;
  onChange(value: T): void;
  disabled: boolean;
}) {
  return (
    <fieldset className="flex flex-wrap items-center gap-2" disabled={disabled}>
      <legend className="float-left mr-2 w-24 text-gray-300">{label}</legend>
      {options.map((option) => (
        <label
          key={option.id}
          title={option.hint}
          className={`cursor-pointer rounded-md border px-2.5 py-1 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent ${value === option.id ? 'border-accent bg-accent/20 text-gray-100' : 'border-edge text-gray-300 hover:bg-panel-2'}`}
        >
          <input
            type="radio"
            className="sr-only"
            name={name}
            value={option.id}
            checked={value === option.id}
            onChange={() => onChange(option.id)}
            data-testid={`${name}-${option.id}`}
          />
          {option.label}
        </label>
      ))}
      <span className="basis-full pl-26 text-xs text-muted">{options.find((option) => option.id === value)?.hint}</span>
    </fieldset>
  );
}
