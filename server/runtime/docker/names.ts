// Names and labels of everything the Docker driver creates: per project a container and a
// volume, per installation scope one shared bridge network. Fixed names are what make
// ensureRunning safe across processes: a second create of the same name gets 409.
export const MANAGED_LABEL = 'berth.managed';
export const PROJECT_LABEL = 'berth.project';
/** Optional: which Berth installation owns it, so one's orphan reaping spares another's. */
export const SCOPE_LABEL = 'berth.scope';
/** berth.network=shared marks the scope's shared workspace network. */
export const NETWORK_LABEL = 'berth.network';
export const MANAGED_FILTER = `${MANAGED_LABEL}=true`;

// Docker object names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; keep ids well inside that.
const PROJECT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/;

export function assertProjectId(projectId: string): void {
  if (!PROJECT_ID.test(projectId)) throw new Error(`Invalid project id for a workspace: ${JSON.stringify(projectId)}`);
}

export const containerName = (projectId: string) => `berth-ws-${projectId}`;
export const volumeName = (projectId: string) => `berth-vol-${projectId}`;
/** Each workspace's own network before the shared one (label berth.project=<id>); bench baseline. */
export const legacyNetworkName = (projectId: string) => `berth-net-${projectId}`;
/** One bridge network per installation scope, shared by its workspaces (ICC disabled). */
export const sharedNetworkName = (scope?: string) => `berth-ws-net-${scope || 'default'}`;

export const sharedNetworkLabels = (scope?: string): Record<string, string> => ({
  [MANAGED_LABEL]: 'true',
  ...(scope ? { [SCOPE_LABEL]: scope } : {}),
  [NETWORK_LABEL]: 'shared',
});
export const SHARED_NETWORK_FILTER = `${NETWORK_LABEL}=shared`;

export const labelsFor = (projectId: string, scope?: string): Record<string, string> => ({
  [MANAGED_LABEL]: 'true',
  [PROJECT_LABEL]: projectId,
  ...(scope ? { [SCOPE_LABEL]: scope } : {}),
});

/** Label filters (ANDed by the engine) selecting the workspaces of one installation. */
export const managedFilters = (scope?: string): string[] =>
  scope ? [MANAGED_FILTER, `${SCOPE_LABEL}=${scope}`] : [MANAGED_FILTER];

export const projectFilter = (projectId: string) => `${PROJECT_LABEL}=${projectId}`;
