// REST calls for a project's source control (same origin, cookie auth): /api/v1/projects/:id/git/*.
import type {
  GitBranchDto,
  GitCommitDetailDto,
  GitCommitDto,
  GitDiffDto,
  GitMergeResultDto,
  GitRemoteDto,
  GitStatusDto,
  GitSyncResultDto,
} from '@/server/contracts';
import { api } from '../../api-client';

const base = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/git`;

export const gitStatus = (projectId: string) => api<GitStatusDto>(`${base(projectId)}/status`);

export const gitInit = (projectId: string) => api<GitStatusDto>(`${base(projectId)}/init`, { method: 'POST' });

export const gitDiff = (projectId: string, path: string, staged: boolean) =>
  api<GitDiffDto>(`${base(projectId)}/diff?${new URLSearchParams({ path, staged: String(staged) }).toString()}`);

export type PathsAction = 'stage' | 'unstage' | 'discard';

export const gitPaths = (projectId: string, action: PathsAction, paths: string[]) =>
  api<GitStatusDto>(`${base(projectId)}/${action}`, { method: 'POST', body: { paths } });

export const gitCommit = (projectId: string, message: string, amend: boolean) =>
  api<GitCommitDto>(`${base(projectId)}/commit`, { method: 'POST', body: amend ? { message, amend } : { message } });

export const gitLog = (projectId: string, limit = 100) => api<GitCommitDto[]>(`${base(projectId)}/log?limit=${limit}`);

export const gitShowCommit = (projectId: string, hash: string) =>
  api<GitCommitDetailDto>(`${base(projectId)}/commits/${encodeURIComponent(hash)}`);

export const gitBranches = (projectId: string) => api<GitBranchDto[]>(`${base(projectId)}/branches`);

export const gitCreateBranch = (projectId: string, name: string) =>
  api<GitBranchDto>(`${base(projectId)}/branches`, { method: 'POST', body: { name } });

export const gitDeleteBranch = (projectId: string, name: string, force = false) =>
  api<void>(`${base(projectId)}/branches?${new URLSearchParams({ name, force: String(force) }).toString()}`, {
    method: 'DELETE',
  });

export const gitCheckout = (projectId: string, branch: string) =>
  api<GitStatusDto>(`${base(projectId)}/checkout`, { method: 'POST', body: { branch } });

/** Fetch, pull or push the current branch with its remote (origin unless it tracks another). */
export const gitSync = (projectId: string, action: 'fetch' | 'pull' | 'push') =>
  api<GitSyncResultDto>(`${base(projectId)}/${action}`, { method: 'POST', body: {} });

export const gitMerge = (projectId: string, branch: string) =>
  api<GitMergeResultDto>(`${base(projectId)}/merge`, { method: 'POST', body: { branch } });

export const gitRemotes = (projectId: string) => api<GitRemoteDto[]>(`${base(projectId)}/remotes`);

/** 400: a URL the import rules refuse (or a bad name); 409: git refused (the name exists). */
export const gitAddRemote = (projectId: string, name: string, url: string) =>
  api<GitRemoteDto>(`${base(projectId)}/remotes`, { method: 'POST', body: { name, url } });

export const gitRemoveRemote = (projectId: string, name: string) =>
  api<void>(`${base(projectId)}/remotes?${new URLSearchParams({ name }).toString()}`, { method: 'DELETE' });
