'use client';
// The Settings tab: who may open the environment, its build plan, Stop and Delete (both confirmed,
// naming what is lost).
import { useState } from 'react';
import { Button } from '../ui/Button';
import {
  deleteEnvironment,
  stopEnvironment,
  updateEnvironment,
  type BuildPlanView,
  type EnvironmentView,
} from './deploy-api';
import { ConfirmDialog, type Confirmation } from '../ui/ConfirmDialog';
import { deployErrorText } from './deploy-format';
import { PlanForm, PlanView } from './PlanForm';

export function EnvironmentSettings({
  projectId,
  env,
  onChanged,
  onDeleted,
}: {
  projectId: string;
  env: EnvironmentView;
  onChanged(env?: EnvironmentView): void;
  onDeleted(): void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const running = env.current?.status === 'live';

  const run = async (action: () => Promise<void>, fallback: string) => {
    setPending(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(deployErrorText(caught, fallback));
    } finally {
      setPending(false);
    }
  };
  const patch = (body: { private?: boolean; plan?: BuildPlanView | null }) =>
    run(async () => {
      onChanged(await updateEnvironment(projectId, env.name, body));
      setEditing(false);
    }, 'Could not save the change');

  return (
    <div className="flex flex-col gap-5" data-testid="environment-settings">
      {error ? (
        <p
          role="alert"
          data-testid="settings-error"
          className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          {error}
        </p>
      ) : null}
      <section className="flex flex-col gap-1">
        <h3 className="text-sm font-semibold">Access</h3>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={env.private}
            disabled={pending}
            onChange={(event) => void patch({ private: event.target.checked })}
            data-testid="environment-private"
          />
          Private: only you, signed in to Berth, can open it (others get 404)
        </label>
      </section>
      <section className="flex flex-col gap-2">
        <div className="flex items-center gap-2">
          <h3 className="flex-1 text-sm font-semibold">
            Build plan{' '}
            <span className="text-xs font-normal text-muted" data-testid="plan-origin">
              {env.planEdited ? '(edited)' : '(detected from package.json)'}
            </span>
          </h3>
          {env.plan && !editing ? (
            <Button
              variant="secondary"
              className="px-2 py-1 text-xs"
              onClick={() => setEditing(true)}
              data-testid="plan-edit"
            >
              Edit
            </Button>
          ) : null}
        </div>
        {!env.plan ? <p className="text-sm text-muted">Detected at the first deploy, from package.json.</p> : null}
        {env.plan && editing ? (
          <PlanForm
            plan={env.plan}
            pending={pending}
            edited={env.planEdited}
            onSave={(plan) => void patch({ plan })}
            onReset={() => void patch({ plan: null })}
            onCancel={() => setEditing(false)}
          />
        ) : null}
        {env.plan && !editing ? <PlanView plan={env.plan} /> : null}
        <p className="text-xs text-muted">A changed plan is used from the next deploy on.</p>
      </section>
      <section className="flex flex-col gap-2 rounded-md border border-danger/30 p-3">
        <h3 className="text-sm font-semibold text-danger">Danger zone</h3>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            disabled={pending || !running}
            title={running ? undefined : 'Nothing is running'}
            data-testid="environment-stop"
            onClick={() =>
              setConfirmation({
                title: `Stop ${env.name}?`,
                text: `The app stops answering at its URL until the next deploy or rollback. Its history, images and variables stay.`,
                action: 'Stop',
                run: () =>
                  void run(async () => {
                    await stopEnvironment(projectId, env.name);
                    onChanged();
                  }, 'Could not stop it'),
              })
            }
          >
            Stop
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            data-testid="environment-delete"
            onClick={() =>
              setConfirmation({
                title: `Delete ${env.name}?`,
                text: `This stops the app and deletes the environment ${env.name}: its URL, its whole deployment history and kept images (no rollback after this), and its variables and secrets. This cannot be undone.`,
                action: `Delete ${env.name}`,
                run: () =>
                  void run(async () => {
                    await deleteEnvironment(projectId, env.name);
                    onDeleted();
                  }, 'Could not delete it'),
              })
            }
          >
            Delete environment
          </Button>
        </div>
      </section>
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} testId="deploy-confirm" />
    </div>
  );
}
