'use client';
// The Variables tab: name / value / secret rows, masked secrets (left as they are unless retyped),
// add and remove, Save. Checked before sending; the server's 400 shows too. They reach the app at
// its next deploy or rollback.
import { useEffect, useState } from 'react';
import { Button } from '../ui/Button';
import { listVariables, putVariables } from './deploy-api';
import { deployErrorText } from './deploy-format';
import { VariableRowFields } from './VariableRowFields';
import { checkRows, inputOf, newRow, rowsOf, type RowErrors, type VariableRow } from './variable-rows';

export function VariablesEditor({ projectId, env }: { projectId: string; env: string }) {
  const [rows, setRows] = useState<VariableRow[] | null>(null);
  const [errors, setErrors] = useState<RowErrors>({});
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let current = true;
    setRows(null);
    listVariables(projectId, env).then(
      (variables) => current && setRows(rowsOf(variables)),
      (error: unknown) =>
        current && setMessage({ tone: 'error', text: deployErrorText(error, 'Could not load the variables') }),
    );
    return () => {
      current = false;
    };
  }, [projectId, env]);

  const change = (key: number, patch: Partial<VariableRow>) => {
    setRows((current) => (current ?? []).map((row) => (row.key === key ? { ...row, ...patch } : row)));
    setDirty(true);
    setMessage(null);
  };
  const remove = (key: number) => {
    setRows((current) => (current ?? []).filter((row) => row.key !== key));
    setDirty(true);
  };
  const add = () => {
    setRows((current) => [...(current ?? []), newRow()]);
    setDirty(true);
  };

  const save = async () => {
    if (!rows) return;
    const checked = checkRows(rows);
    setErrors(checked.rows);
    if (checked.list || Object.keys(checked.rows).length > 0) {
      setMessage({ tone: 'error', text: checked.list ?? 'Fix the fields marked in red.' });
      return;
    }
    setSaving(true);
    try {
      setRows(rowsOf(await putVariables(projectId, env, inputOf(rows))));
      setDirty(false);
      setMessage({ tone: 'ok', text: 'Saved. They take effect at the next deploy or rollback.' });
    } catch (error) {
      setMessage({ tone: 'error', text: deployErrorText(error, 'Could not save the variables') });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="flex flex-col gap-3"
      data-testid="variables-editor"
      data-status={rows ? 'ready' : 'loading'}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <p className="text-xs text-muted">
        Given to the app as environment variables when it starts. Changes take effect at the next deploy (or rollback).
        Secrets are stored encrypted and never shown again.
      </p>
      {rows === null ? <p className="text-sm text-muted">Loading…</p> : null}
      {rows && rows.length === 0 ? <p className="text-sm text-muted">No variables.</p> : null}
      {rows && rows.length > 0 ? (
        <div className="flex flex-col gap-2">
          {rows.map((row) => (
            <VariableRowFields
              key={row.key}
              row={row}
              errors={errors[row.key]}
              onChange={(patch) => change(row.key, patch)}
              onRemove={() => remove(row.key)}
            />
          ))}
        </div>
      ) : null}
      {message ? (
        <p
          role={message.tone === 'error' ? 'alert' : 'status'}
          data-testid="variables-message"
          className={`text-sm ${message.tone === 'error' ? 'text-danger' : 'text-emerald-400'}`}
        >
          {message.text}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="button" variant="secondary" onClick={add} disabled={rows === null} data-testid="variable-add">
          Add variable
        </Button>
        <Button type="submit" disabled={rows === null || saving || !dirty} data-testid="variables-save">
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </form>
  );
}
