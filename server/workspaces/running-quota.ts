// WORKSPACE_MAX_RUNNING_PER_USER: how many workspaces one owner may have starting or running.
// Checked and claimed in one synchronous step after the owner is known, so two starts racing
// in this process cannot both slip under the limit (the later one sees the earlier's claim).
import type { WorkspaceState } from '../contracts';
import { DomainError } from '../core/errors';

export interface QuotaEntry {
  state: WorkspaceState;
  ownerId?: string;
  projectName?: string;
}

const COUNTED: ReadonlySet<WorkspaceState> = new Set(['starting', 'running']);

/** The 429 to refuse this start with, or undefined when the owner is under the limit (0 = no limit). */
export function quotaRefusal(
  entries: ReadonlyMap<string, QuotaEntry>,
  projectId: string,
  ownerId: string,
  limit: number,
): DomainError | undefined {
  if (limit <= 0) return undefined;
  const others = [...entries].filter(
    ([id, entry]) => id !== projectId && entry.ownerId === ownerId && COUNTED.has(entry.state),
  );
  if (others.length < limit) return undefined;
  const names = others.map(([id, entry]) => entry.projectName ?? id).join(', ');
  const count = others.length === 1 ? 'a workspace' : `${others.length} workspaces`;
  return new DomainError(
    'rate_limited',
    'quota_exceeded',
    `You already have ${count} running (${names}). Stop one to start this one.`,
    { limit, running: others.map(([id]) => id) },
  );
}
