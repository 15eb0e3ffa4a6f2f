'use client';
// The build plan: detected from package.json, editable (install, build, how it serves, port);
// "Reset to detected" drops the edit (PATCH plan: null).
import { useState } from 'react';
import { Button } from '../ui/Button';
import type { BuildPlanView } from './deploy-api';

const FRAMEWORK: Record<BuildPlanView['framework'], string> = {
  next: 'Next.js',
  vite: 'Vite',
  node: 'Node server',
  static: 'Static site',
};
const field =
  'w-full rounded-md border border-edge bg-surface px-2 py-1.5 font-mono text-sm text-gray-100 focus:border-accent focus:outline-none';

export function PlanView({ plan }: { plan: BuildPlanView }) {
  const rows: [string, string][] = [
    ['Framework', FRAMEWORK[plan.framework]],
    ['Install', plan.installCommand ?? '—'],
    ['Build', plan.buildCommand ?? '—'],
    ['Serve', plan.serve.kind === 'static' ? `static files in ${plan.serve.dir}/` : plan.serve.command],
    ['Port', String(plan.port)],
  ];
  return (
    <dl className="grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1 text-sm" data-testid="plan-view">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-muted">{term}</dt>
          <dd className="break-all font-mono text-xs leading-5 text-gray-200">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PlanForm({
  plan,
  pending,
  edited,
  onSave,
  onReset,
  onCancel,
}: {
  plan: BuildPlanView;
  pending: boolean;
  /** The plan is an edit (Reset to detected drops it). */
  edited: boolean;
  onSave(plan: BuildPlanView): void;
  onReset(): void;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState(plan);
  const [port, setPort] = useState(String(plan.port));
  const portNumber = Number(port);
  const portError =
    Number.isInteger(portNumber) && portNumber >= 1024 && portNumber <= 65535 ? null : 'A port from 1024 to 65535';
  const serveValue = draft.serve.kind === 'static' ? draft.serve.dir : draft.serve.command;
  const text = (label: string, value: string, change: (value: string) => void, testId: string) => (
    <label className="flex flex-col gap-1 text-xs text-muted">
      {label}
      <input value={value} onChange={(event) => change(event.target.value)} className={field} data-testid={testId} />
    </label>
  );
  return (
    <form
      className="flex flex-col gap-2"
      data-testid="plan-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!portError) onSave({ ...draft, port: portNumber });
      }}
    >
      {text(
        'Install command (empty: none)',
        draft.installCommand ?? '',
        (value) => setDraft({ ...draft, installCommand: value.trim() ? value : null }),
        'plan-install',
      )}
      {text(
        'Build command (empty: none)',
        draft.buildCommand ?? '',
        (value) => setDraft({ ...draft, buildCommand: value.trim() ? value : null }),
        'plan-build',
      )}
      {text(
        draft.serve.kind === 'static' ? 'Folder served as static files' : 'Start command',
        serveValue,
        (value) =>
          setDraft({
            ...draft,
            serve: draft.serve.kind === 'static' ? { kind: 'static', dir: value } : { kind: 'command', command: value },
          }),
        'plan-serve',
      )}
      <label className="flex flex-col gap-1 text-xs text-muted">
        Port (given to the app as PORT)
        <input
          value={port}
          inputMode="numeric"
          onChange={(event) => setPort(event.target.value)}
          className={field}
          aria-invalid={Boolean(portError)}
          data-testid="plan-port"
        />
        {portError ? <span className="text-danger">{portError}</span> : null}
      </label>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || Boolean(portError)} data-testid="plan-save">
          Save plan
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={onReset}
          disabled={pending || !edited}
          title={edited ? undefined : 'The plan is the detected one'}
          data-testid="plan-reset"
        >
          Reset to detected
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
