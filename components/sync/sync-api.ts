// Browser-side calls for hybrid sync (issue 18): remotes, a project's link, syncs and their status,
// a remote's projects (to link to) and a conflict's two sides (to compare). Contracts in
// server/contracts/sync.ts.
import type {
  CreateRemoteInput,
  LinkDto,
  RemoteDto,
  SyncMode,
  ConflictStrategy,
  ConflictResolution,
  SyncResultDto,
  SyncStatusDto,
} from '@/server/contracts';
import { api, ApiError } from '../api-client';

/** A project on a remote, as GET /api/v1/remotes/:rid/projects lists it. */
export interface RemoteProjectDto {
  id: string;
  name: string;
}

const project = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`;

export const listRemotes = () => api<RemoteDto[]>('/remotes');
export const createRemote = (input: CreateRemoteInput) => api<RemoteDto>('/remotes', { method: 'POST', body: input });
export const deleteRemote = (remoteId: string) =>
  api<void>(`/remotes/${encodeURIComponent(remoteId)}`, { method: 'DELETE' });
/** The projects the remote's token reaches (to pick one to link to). */
export const listRemoteProjects = (remoteId: string) =>
  api<RemoteProjectDto[]>(`/remotes/${encodeURIComponent(remoteId)}/projects`);

/** The project's link, or null when it has none. */
export async function getLink(projectId: string): Promise<LinkDto | null> {
  try {
    return (await api<LinkDto | null>(`${project(projectId)}/link`)) ?? null;
  } catch (error) {
    // 404: no link (a project that is not the caller's shows no sync controls either).
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export interface LinkChoice {
  remoteId: string;
  /** An existing project there, or null to create it there. */
  remoteProjectId: string | null;
  autoSync: boolean;
  intervalMinutes: number;
}

export const putLink = (projectId: string, choice: LinkChoice) =>
  api<LinkDto>(`${project(projectId)}/link`, {
    method: 'PUT',
    body: {
      remoteId: choice.remoteId,
      ...(choice.remoteProjectId ? { remoteProjectId: choice.remoteProjectId } : { createRemoteProject: true }),
      autoSync: choice.autoSync,
      intervalMinutes: choice.intervalMinutes,
    },
  });
export const deleteLink = (projectId: string) => api<void>(`${project(projectId)}/link`, { method: 'DELETE' });

export const getSyncStatus = (projectId: string) => api<SyncStatusDto>(`${project(projectId)}/sync`);
export const runSync = (
  projectId: string,
  request: { mode: SyncMode; onConflict: ConflictStrategy; resolutions?: Record<string, ConflictResolution> },
) => api<SyncResultDto>(`${project(projectId)}/sync`, { method: 'POST', body: request });

/** Largest side shown in the conflict diff (bigger ones are described, not shown). */
export const CONFLICT_TEXT_MAX_BYTES = 2 * 1024 * 1024;

/** One side of a conflict by its content hash: this Berth's copy or the remote's, read through the link. */
export async function readConflictSide(projectId: string, side: 'local' | 'remote', sha256: string): Promise<string> {
  const query = new URLSearchParams({ side, sha256 });
  const response = await fetch(`/api/v1${project(projectId)}/sync/file?${query.toString()}`, {
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${response.status}`);
  }
  return response.text();
}

export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong';
