// REST calls for a project's deployments (same origin, cookie auth): /api/v1/projects/:id/environments/*.
import type {
  BuildPlanDto,
  DeploymentDto,
  DeploymentSummaryDto,
  DeploymentVariableDto,
  EnvironmentDto,
  PutVariablesInput,
} from '@/server/contracts';
import { api } from '../api-client';

/** An environment as the API answers it: its URL, effective plan and the serving deployment's health. */
export type EnvironmentView = EnvironmentDto;
export type BuildPlanView = BuildPlanDto;

const base = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/environments`;
const envBase = (projectId: string, env: string) => `${base(projectId)}/${encodeURIComponent(env)}`;

export const listEnvironments = (projectId: string) => api<EnvironmentView[]>(base(projectId));

export const createEnvironment = (projectId: string, name: string, isPrivate: boolean) =>
  api<EnvironmentView>(base(projectId), { method: 'POST', body: { name, private: isPrivate } });

export const updateEnvironment = (
  projectId: string,
  env: string,
  patch: { private?: boolean; plan?: BuildPlanView | null },
) => api<EnvironmentView>(envBase(projectId, env), { method: 'PATCH', body: patch });

export const deleteEnvironment = (projectId: string, env: string) =>
  api<void>(envBase(projectId, env), { method: 'DELETE' });

export const stopEnvironment = (projectId: string, env: string) =>
  api<void>(`${envBase(projectId, env)}/stop`, { method: 'POST', body: {} });

export const listVariables = (projectId: string, env: string) =>
  api<{ variables: DeploymentVariableDto[] }>(`${envBase(projectId, env)}/variables`).then((body) => body.variables);

export const putVariables = (projectId: string, env: string, input: PutVariablesInput) =>
  api<{ variables: DeploymentVariableDto[] }>(`${envBase(projectId, env)}/variables`, {
    method: 'PUT',
    body: input,
  }).then((body) => body.variables);

export const listDeployments = (projectId: string, env: string) =>
  api<DeploymentSummaryDto[]>(`${envBase(projectId, env)}/deployments`);

export const getDeployment = (projectId: string, env: string, id: string) =>
  api<DeploymentDto>(`${envBase(projectId, env)}/deployments/${encodeURIComponent(id)}`);

export const startDeployment = (projectId: string, env: string, snapshotId?: string) =>
  api<{ id: string }>(`${envBase(projectId, env)}/deployments`, {
    method: 'POST',
    body: snapshotId ? { snapshotId } : {},
  });

export const rollbackTo = (projectId: string, env: string, id: string) =>
  api<{ id: string }>(`${envBase(projectId, env)}/deployments/${encodeURIComponent(id)}/rollback`, {
    method: 'POST',
    body: {},
  });

/** Server-Sent Events: the build log (existing text, then live) of one deployment. */
export const buildLogStreamUrl = (projectId: string, env: string, id: string) =>
  `/api/v1${envBase(projectId, env)}/deployments/${encodeURIComponent(id)}/logs`;

/** Server-Sent Events: the running container's output, its last lines first. */
export const runtimeLogStreamUrl = (projectId: string, env: string, tail = 200) =>
  `/api/v1${envBase(projectId, env)}/logs?tail=${tail}`;

/** Opens the deployment (a private one gets the owner's cookie on the deploy host on the way). */
export const openUrl = (projectId: string, env: string) => `/api/v1${envBase(projectId, env)}/open`;
