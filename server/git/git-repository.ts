// One project's repository as every git call reaches it: the owner check and a running
// workspace first, changes one at a time (ProjectQueue), git's refusals as 409s (a lock file gets
// its own hint), 'onDidChange' after a change, and the reads the calls share (status, log).
import type { GitCommitDto, GitProgressDto, GitStatusDto, UserDto } from '../contracts';
import { DomainError } from '../core/errors';
import { TypedEmitter } from '../core/typed-emitter';
import { lockRefusal } from './git-lock';
import { EMPTY_STATUS, logArgs, parseLog, parseStatus, STATUS_ARGS } from './git-output';
import { noCommitsYet, notARepository, refused } from './git-refusals';
import type { GitResult, GitRunner } from './git-runner';
import { ProjectQueue } from './project-queue';

/** Commands that may rewrite much of the working tree (commit, checkout, merge). */
export const SLOW_TIMEOUT_MS = 120_000;

export interface GitProjects {
  /** Throws 404 when the project does not exist or is not the user's. */
  get(userId: string, projectId: string): Promise<unknown>;
}

export interface GitWorkspaces {
  ensureRunning(projectId: string): Promise<unknown>;
  recordActivity(projectId: string): void;
}

export interface GitUsers {
  findById(id: string): Promise<UserDto | null>;
}

export interface GitEvents {
  /** Status, branches or history may have changed. */
  onDidChange: { projectId: string };
  /** A fetch, pull or push is under way: git's latest progress (throttled, see git-remotes.ts). */
  onProgress: GitProgressDto;
}

export class GitRepository {
  readonly events = new TypedEmitter<GitEvents>();
  private readonly queue = new ProjectQueue();

  constructor(
    private readonly projects: GitProjects,
    private readonly workspaces: GitWorkspaces,
    private readonly users: GitUsers,
    readonly runner: GitRunner,
  ) {}

  /**
   * Runs a change of the project's repository after the changes before it (one at a time per
   * project, see ProjectQueue): git refuses a second writer of the index instead of waiting.
   */
  exclusive<T>(projectId: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(projectId, task);
  }

  /** git's refusal as a 409: a lock file left behind or held elsewhere gets its own message and hint. */
  async refusal(projectId: string, result: GitResult, code = 'git_refused'): Promise<DomainError> {
    return (await lockRefusal(this.runner, projectId, result)) ?? refused(result, code);
  }

  async open(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
    await this.workspaces.ensureRunning(projectId);
    this.workspaces.recordActivity(projectId);
  }

  changed(projectId: string): void {
    this.events.emit('onDidChange', { projectId });
  }

  async readStatus(projectId: string): Promise<GitStatusDto> {
    // Without optional locks: status would otherwise take index.lock to write back what it
    // refreshed, and a stage from another tab at that moment would be refused.
    const result = await this.runner.git(projectId, ['--no-optional-locks', ...STATUS_ARGS]);
    if (result.code !== 0) {
      if (notARepository(result)) return EMPTY_STATUS;
      throw refused(result);
    }
    return parseStatus(result, result.stdout);
  }

  async requireRepository(projectId: string): Promise<void> {
    const found = await this.runner.git(projectId, ['rev-parse', '--git-dir']);
    if (found.code !== 0)
      throw notARepository(found)
        ? new DomainError('conflict', 'git_not_initialized', 'This project has no git repository yet')
        : refused(found);
  }

  async readLog(projectId: string, limit: number, revision = 'HEAD'): Promise<GitCommitDto[]> {
    const result = await this.runner.git(projectId, logArgs(limit, revision));
    if (result.code !== 0) {
      if (!notARepository(result) && noCommitsYet(result)) return [];
      throw refused(result);
    }
    return parseLog(result.stdout);
  }

  async checkBranchName(projectId: string, name: string): Promise<void> {
    const result = await this.runner.git(projectId, ['check-ref-format', '--branch', name]);
    if (name.startsWith('-') || result.code !== 0)
      throw new DomainError('bad_request', 'git_bad_branch_name', `"${name}" is not a valid branch name`);
  }

  /** The account's name and email, for this command only (never written into the repository's config). */
  async identity(userId: string): Promise<string[]> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('unauthorized', 'unauthorized', 'Sign in again');
    const name = user.name.replace(/[<>\n\r]/g, '').trim() || user.email.split('@')[0]!;
    const email = user.email.replace(/[<>\n\r]/g, '');
    return [`user.name=${name}`, `user.email=${email}`];
  }

  async expectOk(projectId: string, args: string[]): Promise<GitResult> {
    const result = await this.runner.git(projectId, args);
    if (result.code !== 0) throw await this.refusal(projectId, result);
    return result;
  }
}
