// Source control (issue 13): real git inside the project's workspace container, reached only
// through the runtime's exec (GitRunner), never dockerode. GitService is shared by the REST
// routes (server/http/git.routes.ts); 'git:changed' pushes tell open tabs to refetch.
// Imports contracts, core, socket and the runtime's interface only.
export { GitService, type GitProjects, type GitUsers, type GitWorkspaces } from './git-service';
export { DIFF_MAX_BYTES } from './git-diffs';
export { GitRunner, WORKSPACE_DIR, type ExecRunner, type GitResult } from './git-runner';
export { parsePorcelainV2 } from './porcelain-status';
export { broadcastGitChanges } from './git.socket';
export { GitRemoteService } from './git-remotes';
export { type CheckRemoteUrl, type CheckedRemoteUrl } from './git-remote-url';
export {
  GitCredentialService,
  GIT_TOKENS_PURPOSE,
  GITHUB_HOST,
  maskToken,
  type GitHubSignInTokens,
} from './git-credentials';
