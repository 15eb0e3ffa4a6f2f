// Builds the /api/v1 router from its resources.
import type { AccountService } from '../accounts';
import type { AdminService } from '../admin';
import type {
  ConversationService,
  ModelProtocols,
  ModelRegistry,
  TurnEngine,
  TurnUndo,
  UserAiSettingsService,
} from '../assistant';
import type {
  CliLoginService,
  RequestAuthenticator,
  SessionService,
  SignInThrottle,
  TokenService,
  UserService,
} from '../auth';
import type { DeployService } from '../deploy';
import type { FileService } from '../files';
import type { GitCredentialService, GitRemoteService, GitService } from '../git';
import type { PreviewService } from '../preview';
import type { ProjectService } from '../projects';
import type { RuntimeDriver } from '../runtime';
import type { ProjectSnapshots } from '../snapshots';
import type { BerthSync } from '../sync';
import type { GitImport, ProjectTransfer } from '../transfer';
import type { WorkspaceService } from '../workspaces';
import { addAccountRoutes } from './account.routes';
import { addAdminRoutes } from './admin.routes';
import { addAiRoutes } from './ai.routes';
import { addAiSettingsRoutes } from './ai-settings.routes';
import { addAuthRoutes } from './auth.routes';
import { addCliLoginRoutes } from './cli-login.routes';
import { addAssistantTurnRoutes } from './assistant-turns.routes';
import { addConversationRoutes } from './conversations.routes';
import { addDeploymentRoutes } from './deployments.routes';
import { addFileRoutes } from './files.routes';
import { addGitRoutes } from './git.routes';
import { addGitCredentialRoutes } from './git-credentials.routes';
import { addGitRemoteRoutes } from './git-remotes.routes';
import { addPreviewRoutes } from './previews.routes';
import { addRemoteRoutes } from './remotes.routes';
import { addRemoteProjectRoutes } from './remote-projects.routes';
import { addProjectRoutes } from './projects.routes';
import { Router } from './router';
import { addSnapshotRoutes } from './snapshots.routes';
import { addSyncPeerRoutes, type SyncPeerRoutes } from './sync-peer.routes';
import { addSyncRemoteFileRoutes } from './sync-remote-file.routes';
import { addSyncRoutes } from './sync.routes';
import { addTransferRoutes } from './transfer.routes';
import { addTokenRoutes } from './tokens.routes';
import { addWorkspaceRoutes } from './workspaces.routes';

export interface ApiServices {
  authenticator: RequestAuthenticator;
  users: UserService;
  sessions: SessionService;
  accounts: AccountService;
  tokens: TokenService;
  /** `berth login` through the browser (/api/v1/cli/login*), with its per-address throttle. */
  cliLogins: CliLoginService;
  cliLoginThrottle: SignInThrottle;
  projects: ProjectService;
  workspaces: WorkspaceService;
  files: FileService;
  previews: PreviewService;
  snapshots: ProjectSnapshots;
  transfer: ProjectTransfer;
  gitImport: GitImport;
  importMaxBytes: number;
  runtime: RuntimeDriver;
  signupThrottle: SignInThrottle;
  /** "Forgot password?" requests per client address. */
  resetRequestThrottle: SignInThrottle;
  allowSignup: boolean;
  allowedOrigins: readonly string[];
  /** BERTH_URL, told to browsers by GET /api/v1/auth/options. */
  berthUrl: string;
  admin: AdminService;
  conversations: ConversationService;
  /** The assistant's model providers (GET /api/v1/ai/models). */
  models: ModelRegistry;
  /** Which models get the text protocol instead of tool calls (listed with tools: false). */
  modelProtocols: Pick<ModelProtocols, 'takesTools'>;
  /** Each user's own model providers (GET/PUT /api/v1/me/ai-settings). */
  aiSettings: UserAiSettingsService;
  /** Assistant turns (POST …/conversations/:cid/messages and …/stop). */
  turns: TurnEngine;
  /** Undo and rewind of turns (POST …/turns/:tid/undo and …/rewind). */
  turnUndo: TurnUndo;
  /** Source control of a project's workspace (…/git/*). */
  git: GitService;
  /** Remotes, fetch, pull, push (…/git/remotes, …/git/fetch|pull|push). */
  gitRemotes: GitRemoteService;
  /** Each user's git tokens per host (/api/v1/me/git-credentials). */
  gitCredentials: GitCredentialService;
  /** Deployment environments, variables and deployments (…/environments/*). */
  deploys: DeployService;
  /** This Berth's side of the sync peer protocol (…/sync/peer/*). */
  syncPeers: SyncPeerRoutes;
  /** Remotes, links, syncs and their status (/api/v1/remotes, …/link, …/sync). */
  sync: BerthSync;
  /** Counts unhandled API errors (berth_errors_total{area="api"}). */
  onUnhandledError?: () => void;
}

export function createApiRouter(services: ApiServices): Router {
  const router = new Router(services.authenticator, services.allowedOrigins, services.onUnhandledError);
  addAuthRoutes(router, services.users, {
    allowSignup: services.allowSignup,
    signupThrottle: services.signupThrottle,
    isAdminEmail: (email) => services.admin.isAdminEmail(email),
    afterSignup: (user) => services.accounts.afterSignup(user),
  });
  addAccountRoutes(router, services.accounts, services.sessions, {
    allowSignup: services.allowSignup,
    throttle: services.resetRequestThrottle,
    berthUrl: services.berthUrl,
  });
  addTokenRoutes(router, services.tokens);
  addCliLoginRoutes(router, services.cliLogins, services.cliLoginThrottle);
  addProjectRoutes(router, services.projects);
  addWorkspaceRoutes(router, services.projects, services.workspaces, services.runtime);
  addFileRoutes(router, services.files);
  addPreviewRoutes(router, services.previews);
  addSnapshotRoutes(router, services.snapshots);
  addAdminRoutes(router, services.admin, services.accounts);
  addTransferRoutes(router, services.transfer, services.gitImport, { importMaxBytes: services.importMaxBytes });
  addConversationRoutes(router, services.conversations, {
    importMaxBytes: services.importMaxBytes,
    recordExport: (userId, projectId, bytes) => services.transfer.recordConversationExport(userId, projectId, bytes),
  });
  addAssistantTurnRoutes(router, services.turns, services.turnUndo);
  addAiRoutes(router, services.models, services.modelProtocols);
  addAiSettingsRoutes(router, services.aiSettings);
  addGitRoutes(router, services.git);
  addGitRemoteRoutes(router, services.gitRemotes);
  addGitCredentialRoutes(router, services.gitCredentials);
  addDeploymentRoutes(router, services.deploys);
  addSyncPeerRoutes(router, services.syncPeers);
  addRemoteRoutes(router, services.sync.remotes);
  addRemoteProjectRoutes(router, services.sync.remotes);
  addSyncRoutes(router, { ...services.sync, projects: services.projects });
  addSyncRemoteFileRoutes(router, { ...services.sync, projects: services.projects });
  return router;
}
