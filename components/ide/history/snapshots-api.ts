// REST calls for a project's snapshots (same origin, cookie auth), plus the current file text
// the diff view compares against.
import type { SnapshotDiffEntry, SnapshotDto } from '@/server/contracts';
import { api, ApiError } from '../../api-client';
import { contentUrl } from '../files/files-rest';

export interface RestoreResult {
  safetySnapshotId: string;
  written: number;
  deleted: number;
}

const base = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/snapshots`;

export const listSnapshots = (projectId: string) => api<SnapshotDto[]>(base(projectId));

export const takeSnapshot = (projectId: string, label?: string) =>
  api<SnapshotDto>(base(projectId), { method: 'POST', body: label ? { label } : {} });

export const snapshotDiff = (projectId: string, snapshotId: string) =>
  api<SnapshotDiffEntry[]>(`${base(projectId)}/${encodeURIComponent(snapshotId)}/diff`);

export const restoreSnapshot = (projectId: string, snapshotId: string, path?: string) =>
  api<RestoreResult>(`${base(projectId)}/${encodeURIComponent(snapshotId)}/restore`, {
    method: 'POST',
    body: path ? { path } : {},
  });

/** A file's text as it was in the snapshot; null when the snapshot does not hold it. */
export function snapshotFileText(projectId: string, snapshotId: string, path: string): Promise<string | null> {
  const url = `/api/v1${base(projectId)}/${encodeURIComponent(snapshotId)}/file?${new URLSearchParams({ path }).toString()}`;
  return textOrNull(url);
}

/** The file's text in the workspace now; null when it does not exist. */
export const currentFileText = (projectId: string, path: string): Promise<string | null> =>
  textOrNull(contentUrl(projectId, path));

async function textOrNull(url: string): Promise<string | null> {
  // no-store: the current file changes under the same URL (a restore rewrites it).
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) {
    const body = (await response
      .json()
      .catch(() => ({ error: 'bad_response', message: `HTTP ${response.status}` }))) as {
      error: string;
      message: string;
    };
    throw new ApiError(response.status, body);
  }
  return response.text();
}

export const errorText = (error: unknown, fallback: string): string =>
  error instanceof Error && error.message ? error.message : fallback;
