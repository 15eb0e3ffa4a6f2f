// Branches of a project's repository (issue 13): list, create, delete, switch and merge. Branch
// names are checked by git itself and never start with '-'; a switch that would lose local
// changes is git's refusal (409), a merge's conflicts are an outcome that shows in status.
import type { GitBranchDto, GitMergeResultDto, GitStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import { SLOW_TIMEOUT_MS, type GitRepository } from './git-repository';
import { gitMessage } from './git-runner';

export class GitBranches {
  constructor(private readonly repo: GitRepository) {}

  async branches(userId: string, projectId: string): Promise<GitBranchDto[]> {
    await this.repo.open(userId, projectId);
    const result = await this.repo.expectOk(projectId, [
      'for-each-ref',
      '--format=%(refname:short)%00%(objectname)%00%(HEAD)%00%(upstream:short)',
      'refs/heads/',
    ]);
    return result.stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, head, current, upstream] = line.split('\0');
        return { name: name!, head: head!, current: current === '*', upstream: upstream || null };
      });
  }

  async createBranch(userId: string, projectId: string, name: string, from?: string): Promise<GitBranchDto> {
    await this.repo.open(userId, projectId);
    await this.repo.checkBranchName(projectId, name);
    if (from !== undefined) {
      const found = await this.repo.runner.git(projectId, [
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${from}^{commit}`,
      ]);
      if (found.code !== 0)
        throw new DomainError('bad_request', 'git_bad_revision', `No branch or commit named ${from}`);
    }
    const result = await this.repo.exclusive(projectId, () =>
      this.repo.runner.git(projectId, ['branch', '--end-of-options', name, ...(from ? [from] : [])]),
    );
    if (result.code !== 0) throw await this.repo.refusal(projectId, result, 'git_branch_refused');
    this.repo.changed(projectId);
    const created = (await this.branches(userId, projectId)).find((branch) => branch.name === name);
    if (!created) throw new Error(`branch ${name} not listed after creating it`);
    return created;
  }

  async deleteBranch(userId: string, projectId: string, name: string, force = false): Promise<void> {
    await this.repo.open(userId, projectId);
    await this.repo.checkBranchName(projectId, name);
    const result = await this.repo.exclusive(projectId, () =>
      this.repo.runner.git(projectId, ['branch', force ? '-D' : '-d', '--end-of-options', name]),
    );
    if (result.code !== 0)
      throw /not found/i.test(result.stderr)
        ? new DomainError('not_found', 'git_no_such_branch', gitMessage(result))
        : await this.repo.refusal(projectId, result, 'git_branch_refused');
    this.repo.changed(projectId);
  }

  /** Switches branch; git refuses (409, its message) when local changes would be lost. */
  async checkout(userId: string, projectId: string, branch: string): Promise<GitStatusDto> {
    await this.repo.open(userId, projectId);
    await this.repo.checkBranchName(projectId, branch);
    const result = await this.repo.exclusive(projectId, () =>
      this.repo.runner.git(projectId, ['switch', '-q', '--no-guess', '--end-of-options', branch], {
        timeoutMs: SLOW_TIMEOUT_MS,
      }),
    );
    if (result.code !== 0) throw await this.repo.refusal(projectId, result, 'git_checkout_refused');
    this.repo.changed(projectId);
    return this.repo.readStatus(projectId);
  }

  /** Merges a branch into the current one; conflicts are an outcome (they show in status), not an error. */
  async merge(userId: string, projectId: string, branch: string): Promise<GitMergeResultDto> {
    await this.repo.open(userId, projectId);
    await this.repo.checkBranchName(projectId, branch);
    const identity = await this.repo.identity(userId);
    return this.repo.exclusive(projectId, async () => {
      const before = await this.repo.runner.git(projectId, ['rev-parse', '--verify', '--quiet', 'HEAD']);
      const result = await this.repo.runner.git(
        projectId,
        ['merge', '--no-edit', '--no-verify', '--end-of-options', branch],
        { config: identity, timeoutMs: SLOW_TIMEOUT_MS },
      );
      const message = (result.stdout.toString('utf8') + result.stderr).trim().slice(0, 4000);
      if (result.code === 0) {
        const after = await this.repo.runner.git(projectId, ['rev-parse', '--verify', '--quiet', 'HEAD']);
        const moved = after.stdout.toString('utf8') !== before.stdout.toString('utf8');
        if (moved) this.repo.changed(projectId);
        return { outcome: moved ? 'merged' : 'up-to-date', conflicts: [], message };
      }
      const status = await this.repo.readStatus(projectId);
      if (status.conflicts.length === 0) throw await this.repo.refusal(projectId, result, 'git_merge_refused');
      this.repo.changed(projectId);
      return { outcome: 'conflicts', conflicts: status.conflicts, message };
    });
  }
}
