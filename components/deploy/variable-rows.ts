// The Variables editor's rows: from the API's list, back to a PUT body, and checked with the
// same schema the server applies so each error shows next to its own field.
import {
  MASKED_VALUE,
  putVariablesSchema,
  type DeploymentVariableDto,
  type PutVariablesInput,
} from '@/server/contracts';

export interface VariableRow {
  key: number;
  name: string;
  value: string;
  secret: boolean;
  /** A stored secret whose value is masked (MASKED_VALUE sent back keeps it). */
  stored: boolean;
}

export type RowErrors = Record<number, { name?: string; value?: string }>;

let nextKey = 1;
export const newRow = (): VariableRow => ({ key: nextKey++, name: '', value: '', secret: false, stored: false });

export const rowsOf = (variables: readonly DeploymentVariableDto[]): VariableRow[] =>
  variables.map((variable) => ({
    key: nextKey++,
    name: variable.name,
    value: variable.value,
    secret: variable.secret,
    stored: variable.secret && variable.value === MASKED_VALUE,
  }));

/** Blank rows (no name, no value) are left out rather than refused. */
export const inputOf = (rows: readonly VariableRow[]): PutVariablesInput => ({
  variables: rows
    .filter((row) => row.name.trim() !== '' || row.value !== '')
    .map((row) => ({ name: row.name.trim(), value: row.value, secret: row.secret })),
});

/** Errors per row (by key), plus one for the whole list (duplicates, too many). */
export function checkRows(rows: readonly VariableRow[]): { rows: RowErrors; list: string | null } {
  const kept = rows.filter((row) => row.name.trim() !== '' || row.value !== '');
  const parsed = putVariablesSchema.safeParse(inputOf(rows));
  const errors: RowErrors = {};
  let list: string | null = null;
  if (parsed.success) return { rows: errors, list };
  for (const issue of parsed.error.issues) {
    const [, index, field] = issue.path;
    const row = typeof index === 'number' ? kept[index] : undefined;
    if (row && (field === 'name' || field === 'value'))
      errors[row.key] = { ...errors[row.key], [field]: issue.message };
    else list = issue.message;
  }
  // Name the duplicates on their rows too.
  const seen = new Map<string, number>();
  for (const row of kept) {
    const name = row.name.trim();
    if (seen.has(name)) errors[row.key] = { ...errors[row.key], name: 'This name is used twice' };
    seen.set(name, row.key);
  }
  return { rows: errors, list };
}
