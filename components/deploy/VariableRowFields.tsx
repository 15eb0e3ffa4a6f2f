'use client';
// One variable: name, value (a password field for secrets; a stored secret stays masked and
// kept until retyped), the secret switch, remove.
import { MASKED_VALUE } from '@/server/contracts';
import type { VariableRow } from './variable-rows';

const input =
  'w-full rounded-md border bg-surface px-2 py-1.5 font-mono text-sm text-gray-100 placeholder:text-muted focus:border-accent focus:outline-none';

export function VariableRowFields({
  row,
  errors,
  onChange,
  onRemove,
}: {
  row: VariableRow;
  errors: { name?: string; value?: string } | undefined;
  onChange(patch: Partial<VariableRow>): void;
  onRemove(): void;
}) {
  const label = row.name || 'new variable';
  return (
    <div className="flex items-start gap-2" data-testid="variable-row" data-name={row.name}>
      <div className="flex w-2/5 flex-col gap-0.5">
        <input
          aria-label="Name"
          value={row.name}
          placeholder="NAME"
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => onChange({ name: event.target.value })}
          aria-invalid={Boolean(errors?.name)}
          data-testid="variable-name"
          className={`${input} ${errors?.name ? 'border-danger' : 'border-edge'}`}
        />
        {errors?.name ? <span className="text-xs text-danger">{errors.name}</span> : null}
      </div>
      <div className="flex flex-1 flex-col gap-0.5">
        <input
          aria-label={`Value of ${label}`}
          type={row.secret ? 'password' : 'text'}
          value={row.value}
          placeholder={row.secret ? 'secret value' : 'value'}
          spellCheck={false}
          autoComplete="off"
          // A stored secret is masked: the first key typed replaces it rather than editing the mask.
          onFocus={(event) => row.stored && event.currentTarget.select()}
          onChange={(event) => onChange({ value: event.target.value, stored: event.target.value === MASKED_VALUE })}
          aria-invalid={Boolean(errors?.value)}
          data-testid="variable-value"
          className={`${input} ${errors?.value ? 'border-danger' : 'border-edge'}`}
        />
        {errors?.value ? <span className="text-xs text-danger">{errors.value}</span> : null}
        {row.stored ? <span className="text-xs text-muted">Stored secret: type to replace it.</span> : null}
      </div>
      <label className="flex items-center gap-1 pt-2 text-xs text-gray-300">
        <input
          type="checkbox"
          checked={row.secret}
          // A stored secret cannot be revealed: unticking it asks for a new value.
          onChange={(event) =>
            onChange(
              row.stored && !event.target.checked
                ? { secret: false, value: '', stored: false }
                : { secret: event.target.checked },
            )
          }
          data-testid="variable-secret"
        />
        Secret
      </label>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${label}`}
        data-testid="variable-remove"
        className="mt-1 rounded px-2 py-1 text-sm text-muted hover:bg-panel-2 hover:text-danger"
      >
        ✕
      </button>
    </div>
  );
}
