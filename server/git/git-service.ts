// Source control of a project (issue 13): real git in the project's workspace container, as the
// workspace user. Every call checks the project is the user's (404 otherwise) and starts the
// workspace if needed. Paths arrive validated (contracts/git.ts) and are always passed after
// `--` as literal pathspecs; branch names are checked by git itself and never start with '-'.
// When git refuses (local changes a checkout would lose, an unmerged branch, nothing to
// commit) the refusal is a 409 carrying git's own words. State-changing calls announce
// themselves through `events` so every open tab refetches.
// What every call shares (owner check, one change at a time, refusals) is GitRepository; branches
// are GitBranches; both sides of a diff are read by git-diffs.ts.
import type {
  GitBaseDto,
  GitBranchDto,
  GitCommitDetailDto,
  GitCommitDto,
  GitDiffDto,
  GitMergeResultDto,
  GitStatusDto,
} from '../contracts';
import { DomainError } from '../core/errors';
import type { TypedEmitter } from '../core/typed-emitter';
import { GitBranches } from './git-branches';
import { readBase, readCommitFiles, readDiff } from './git-diffs';
import { logArgs, parseLog, parseNameStatus, parseStatus, STATUS_ARGS } from './git-output';
import {
  GitRepository,
  SLOW_TIMEOUT_MS,
  type GitEvents,
  type GitProjects,
  type GitUsers,
  type GitWorkspaces,
} from './git-repository';
import type { GitResult, GitRunner } from './git-runner';

export type { GitEvents, GitProjects, GitUsers, GitWorkspaces } from './git-repository';

export class GitService {
  readonly events: TypedEmitter<GitEvents>;
  private readonly repo: GitRepository;
  private readonly branchOps: GitBranches;

  constructor(projects: GitProjects, workspaces: GitWorkspaces, users: GitUsers, runner: GitRunner) {
    this.repo = new GitRepository(projects, workspaces, users, runner);
    this.events = this.repo.events;
    this.branchOps = new GitBranches(this.repo);
  }

  async status(userId: string, projectId: string): Promise<GitStatusDto> {
    await this.repo.open(userId, projectId);
    return this.repo.readStatus(projectId);
  }

  async init(userId: string, projectId: string): Promise<GitStatusDto> {
    await this.repo.open(userId, projectId);
    return this.repo.exclusive(projectId, async () => {
      const found = await this.repo.runner.git(projectId, ['rev-parse', '--git-dir']);
      if (found.code === 0)
        throw new DomainError('conflict', 'git_already_initialized', 'This project already has a git repository');
      await this.repo.expectOk(projectId, ['init', '-q', '--initial-branch=main']);
      this.repo.changed(projectId);
      return this.repo.readStatus(projectId);
    });
  }

  /** Working tree vs index, or index vs HEAD (`staged`); a file in conflict carries ours and theirs (see readDiff). */
  async diff(userId: string, projectId: string, path: string, staged: boolean): Promise<GitDiffDto> {
    await this.repo.open(userId, projectId);
    await this.repo.requireRepository(projectId);
    return readDiff(this.repo.runner, projectId, path, staged);
  }

  /** The index's version of a file for the editor's gutter (see readBase). */
  async base(userId: string, projectId: string, path: string): Promise<GitBaseDto> {
    await this.repo.open(userId, projectId);
    return readBase(this.repo.runner, projectId, path);
  }

  async stage(userId: string, projectId: string, paths: string[]): Promise<GitStatusDto> {
    await this.repo.open(userId, projectId);
    return this.repo.exclusive(projectId, async () => {
      // -A: a deleted file is staged as deleted, a new one as added. The new status in the same exec.
      const result = await this.repo.runner.gitSequence(projectId, [
        { args: ['add', '-A', '--', ...paths] },
        { args: STATUS_ARGS },
      ]);
      if (result.code !== 0) throw await this.repo.refusal(projectId, result);
      this.repo.changed(projectId);
      return parseStatus(result, result.outputs[1]);
    });
  }

  async unstage(userId: string, projectId: string, paths: string[]): Promise<GitStatusDto> {
    await this.repo.open(userId, projectId);
    return this.repo.exclusive(projectId, async () => {
      // `reset -- paths` also works before the first commit (against the empty tree).
      const result = await this.repo.runner.git(projectId, ['reset', '-q', '--', ...paths]);
      if (result.code !== 0 && result.code !== 1) throw await this.repo.refusal(projectId, result);
      this.repo.changed(projectId);
      return this.repo.readStatus(projectId);
    });
  }

  /** The working tree back to the index for tracked files; untracked ones are deleted. */
  async discard(userId: string, projectId: string, paths: string[]): Promise<GitStatusDto> {
    await this.repo.open(userId, projectId);
    return this.repo.exclusive(projectId, async () => {
      // Untracked files (and untracked folders) among the paths; ignored files are left alone.
      await this.repo.expectOk(projectId, ['clean', '-f', '-d', '-q', '--', ...paths]);
      const tracked = await this.repo.expectOk(projectId, ['ls-files', '-z', '--', ...paths]);
      const files = tracked.stdout.toString('utf8').split('\0').filter(Boolean);
      if (files.length > 0) await this.repo.expectOk(projectId, ['checkout', '-q', '--', ...files]);
      this.repo.changed(projectId);
      return this.repo.readStatus(projectId);
    });
  }

  async commit(userId: string, projectId: string, input: { message: string; amend?: boolean }): Promise<GitCommitDto> {
    await this.repo.open(userId, projectId);
    const identity = await this.repo.identity(userId);
    const args = ['commit', '-q', '--no-verify', '--cleanup=strip', '-m', input.message];
    if (input.amend) args.push('--amend');
    // The new commit, read in the same exec.
    return this.repo.exclusive(projectId, async () => {
      const result = await this.repo.runner.gitSequence(
        projectId,
        [{ args, config: identity }, { args: logArgs(1, 'HEAD') }],
        { timeoutMs: SLOW_TIMEOUT_MS },
      );
      if (result.code !== 0) throw await this.repo.refusal(projectId, result, 'git_commit_refused');
      this.repo.changed(projectId);
      return parseLog(result.outputs[1] ?? Buffer.alloc(0))[0]!;
    });
  }

  async log(userId: string, projectId: string, limit: number): Promise<GitCommitDto[]> {
    await this.repo.open(userId, projectId);
    return this.repo.readLog(projectId, limit);
  }

  async showCommit(userId: string, projectId: string, hash: string): Promise<GitCommitDetailDto> {
    await this.repo.open(userId, projectId);
    const [commit] = await this.repo.readLog(projectId, 1, hash);
    if (!commit) throw new DomainError('not_found', 'git_no_such_commit', `No commit ${hash}`);
    const parentsOut = await this.repo.expectOk(projectId, ['rev-list', '--parents', '-n', '1', commit.hash, '--']);
    const parents = parentsOut.stdout.toString('utf8').trim().split(' ').slice(1);
    // Against the first parent (a merge shows what it brought in); a root commit against nothing.
    const range = parents[0] ? [parents[0], commit.hash] : ['--root', commit.hash];
    const changes = await this.repo.expectOk(projectId, [
      'diff-tree',
      '--no-commit-id',
      '-r',
      '-z',
      '-M',
      '--name-status',
      ...range,
      '--',
    ]);
    const listed = parseNameStatus(changes.stdout.toString('utf8'));
    const { files, truncated } = await readCommitFiles(this.repo.runner, projectId, commit.hash, parents[0], listed);
    return { ...commit, parents, files, truncated };
  }

  branches(userId: string, projectId: string): Promise<GitBranchDto[]> {
    return this.branchOps.branches(userId, projectId);
  }

  createBranch(userId: string, projectId: string, name: string, from?: string): Promise<GitBranchDto> {
    return this.branchOps.createBranch(userId, projectId, name, from);
  }

  deleteBranch(userId: string, projectId: string, name: string, force = false): Promise<void> {
    return this.branchOps.deleteBranch(userId, projectId, name, force);
  }

  /** Switches branch; git refuses (409, its message) when local changes would be lost. */
  checkout(userId: string, projectId: string, branch: string): Promise<GitStatusDto> {
    return this.branchOps.checkout(userId, projectId, branch);
  }

  /** Merges a branch into the current one; conflicts are an outcome (they show in status), not an error. */
  merge(userId: string, projectId: string, branch: string): Promise<GitMergeResultDto> {
    return this.branchOps.merge(userId, projectId, branch);
  }

  /** Runs a change of the project's repository after the changes before it (see GitRepository.exclusive). */
  exclusive<T>(projectId: string, task: () => Promise<T>): Promise<T> {
    return this.repo.exclusive(projectId, task);
  }

  /** git's refusal as a 409: a lock file left behind or held elsewhere gets its own message and hint. */
  refusal(projectId: string, result: GitResult, code = 'git_refused'): Promise<DomainError> {
    return this.repo.refusal(projectId, result, code);
  }

  /** The account's name and email, for this command only (never written into the repository's config). */
  identity(userId: string): Promise<string[]> {
    return this.repo.identity(userId);
  }
}
