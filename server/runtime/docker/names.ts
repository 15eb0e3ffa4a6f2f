// Names and labels of everything the Docker driver creates for a project. Fixed names are
// what make ensureRunning safe across processes: a second create of the same name gets 409.
export const MANAGED_LABEL = 'berth.managed';
export const PROJECT_LABEL = 'berth.project';
/** Optional: which Berth installation owns it, so one's orphan reaping spares another's. */
export const SCOPE_LABEL = 'berth.scope';
export const MANAGED_FILTER = `${MANAGED_LABEL}=true`;

// Docker object names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; keep ids well inside that.
const PROJECT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/;

export function assertProjectId(projectId: string): void {
  if (!PROJECT_ID.test(projectId)) throw new Error(`Invalid project id for a workspace: ${JSON.stringify(projectId)}`);
}

export const containerName = (projectId: string) => `berth-ws-${projectId}`;
export const volumeName = (projectId: string) => `berth-vol-${projectId}`;
export const networkName = (projectId: string) => `berth-net-${projectId}`;

export const labelsFor = (projectId: string, scope?: string): Record<string, string> => ({
  [MANAGED_LABEL]: 'true',
  [PROJECT_LABEL]: projectId,
  ...(scope ? { [SCOPE_LABEL]: scope } : {}),
});

/** Label filters (ANDed by the engine) selecting the workspaces of one installation. */
export const managedFilters = (scope?: string): string[] => (scope ? [MANAGED_FILTER, `${SCOPE_LABEL}=${scope}`] : [MANAGED_FILTER]);

export const projectFilter = (projectId: string) => `${PROJECT_LABEL}=${projectId}`;
