'use client';
// Which environment the dialog shows, and "New environment…" (name checked as the server does,
// public or private).
import { useId, useState } from 'react';
import { DEFAULT_ENVIRONMENT, environmentNameSchema } from '@/server/contracts';
import { Button } from '../ui/Button';
import { createEnvironment, type EnvironmentView } from './deploy-api';
import { deployErrorText } from './deploy-format';

const NEW = '__new__';

export function EnvironmentPicker({
  projectId,
  environments,
  value,
  onChange,
  onCreated,
}: {
  projectId: string;
  environments: EnvironmentView[];
  value: string;
  onChange(name: string): void;
  onCreated(env: EnvironmentView): void;
}) {
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [isPrivate, setIsPrivate] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const names = environments.map((env) => env.name);
  if (!names.includes(value)) names.push(value || DEFAULT_ENVIRONMENT);

  const create = async () => {
    const parsed = environmentNameSchema.safeParse(name);
    if (!parsed.success) return setError(`Name: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
    if (names.includes(name)) return setError('An environment with that name already exists.');
    setPending(true);
    setError(null);
    try {
      onCreated(await createEnvironment(projectId, name, isPrivate));
      setAdding(false);
      setName('');
      setIsPrivate(false);
    } catch (caught) {
      setError(deployErrorText(caught, 'Could not create the environment'));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="flex flex-wrap items-start gap-2">
      <label htmlFor={id} className="sr-only">
        Environment
      </label>
      <select
        id={id}
        value={adding ? NEW : value}
        data-testid="environment-picker"
        onChange={(event) => {
          if (event.target.value === NEW) setAdding(true);
          else {
            setAdding(false);
            onChange(event.target.value);
          }
        }}
        className="rounded-md border border-edge bg-surface px-2 py-1.5 text-sm text-gray-100 focus:border-accent focus:outline-none"
      >
        {names.map((env) => (
          <option key={env} value={env}>
            {env}
          </option>
        ))}
        <option value={NEW}>New environment…</option>
      </select>
      {adding ? (
        <form
          className="flex flex-wrap items-start gap-2"
          data-testid="new-environment-form"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <div className="flex flex-col gap-0.5">
            <input
              autoFocus
              aria-label="New environment name"
              placeholder="staging"
              value={name}
              maxLength={31}
              onChange={(event) => {
                setName(event.target.value);
                setError(null);
              }}
              aria-invalid={Boolean(error)}
              data-testid="new-environment-name"
              className="w-40 rounded-md border border-edge bg-surface px-2 py-1.5 font-mono text-sm text-gray-100 focus:border-accent focus:outline-none"
            />
            {error ? (
              <span role="alert" className="max-w-72 text-xs text-danger" data-testid="new-environment-error">
                {error}
              </span>
            ) : null}
          </div>
          <label className="flex items-center gap-1 pt-2 text-xs text-gray-300">
            <input
              type="checkbox"
              checked={isPrivate}
              onChange={(event) => setIsPrivate(event.target.checked)}
              data-testid="new-environment-private"
            />
            Private
          </label>
          <Button type="submit" disabled={pending || !name} data-testid="new-environment-create">
            Create
          </Button>
          <Button type="button" variant="ghost" onClick={() => setAdding(false)}>
            Cancel
          </Button>
        </form>
      ) : null}
    </div>
  );
}
