// Import and export, made once by the composition root on top of the snapshot store and service:
// ZIP and bundle export/import and duplication (ProjectTransfer) with its export history, and git
// import (GitImport).
import type { Logger } from '../core/logger';
import type { PrismaClient } from '../db';
import type { SnapshotService, SnapshotStore } from '../snapshots';
import type { TransferConversations } from './bundle-conversations';
import { ExportHistory } from './export-history';
import { GitImport, type ExecRunner, type GitImportWorkspaces } from './git-import';
import { ProjectTransfer, type TransferProjects, type TransferWorkspaces } from './project-transfer';

export interface TransferSettings {
  /** Largest ZIP upload; its content may inflate to 4× that. */
  importMaxBytes: number;
  /** Hosts a git import may reach although they resolve to internal addresses (GIT_ALLOW_PRIVATE_HOSTS). */
  gitAllowPrivateHosts: readonly string[];
}

export interface TransferDeps {
  /** The export history (ExportRecord rows). */
  prisma: PrismaClient;
  projects: TransferProjects;
  workspaces: TransferWorkspaces & GitImportWorkspaces;
  runtime: ExecRunner;
  snapshots: { service: SnapshotService; store: SnapshotStore };
  /** The assistant's conversations, which bundles and duplicates carry. */
  conversations: TransferConversations;
  log: Logger;
}

export function createTransfer(deps: TransferDeps, settings: TransferSettings) {
  const { service, store } = deps.snapshots;
  const transfer = new ProjectTransfer(
    deps.projects,
    deps.workspaces,
    service,
    store,
    deps.conversations,
    new ExportHistory(deps.prisma),
    { maxTotalBytes: settings.importMaxBytes * 4 },
    deps.log,
  );
  const gitImport = new GitImport(deps.projects, deps.workspaces, deps.runtime, service, store, {
    allowPrivateHosts: settings.gitAllowPrivateHosts,
  });
  return { transfer, gitImport };
}
