// Remotes, fetch, pull and push of a project's repository (issue 13), with the user's own token
// for the remote's host. Every remote URL passes the import rules (the injected `checkUrl`:
// https only unless the host is allowed, no internal addresses, no ext::/file://) when it is
// added AND before each fetch/pull/push, on the URLs git itself would use (`git remote get-url`
// applies insteadOf rewrites), so a .git/config edited in the terminal cannot get around them.
// The checked address is pinned for the command (no second DNS answer, no redirects, no proxy),
// and only http(s) transports are allowed. Git's refusals are 409s with git's words and a hint.
// While git works, its own progress (`--progress`, read live) goes out as 'onProgress' events,
// at most one per PROGRESS_INTERVAL_MS; the answer's message is what git says without it.
import type { GitRemoteDto, GitSyncResultDto } from '../contracts';
import { DomainError } from '../core/errors';
import { CREDENTIAL_HELPER_CONFIG } from './git-credential-channel';
import type { GitCredentialService } from './git-credentials';
import { lockRefusal } from './git-lock';
import { GitProgressParser, withoutProgress, type GitProgressUpdate } from './git-progress';
import { notARepository, refused } from './git-refusals';
import { hasUserInfo, withoutUserInfo, type CheckRemoteUrl } from './git-remote-url';
import { gitMessage, type GitResult, type GitRunner } from './git-runner';
import type { GitProjects, GitService, GitWorkspaces } from './git-service';
import { syncRefused, type SyncKind, type SyncTarget } from './git-sync-refusals';
import { LatestThrottle } from './latest-throttle';

/** Network commands may take a while (a big first push): the answer comes when git is done. */
const NETWORK_TIMEOUT_MS = 5 * 60_000;
/** A tab gets git's progress at most this often. */
export const PROGRESS_INTERVAL_MS = 100;

export class GitRemoteService {
  constructor(
    private readonly projects: GitProjects,
    private readonly workspaces: GitWorkspaces,
    private readonly git: GitService,
    private readonly credentials: GitCredentialService,
    private readonly runner: GitRunner,
    private readonly checkUrl: CheckRemoteUrl,
  ) {}

  async list(userId: string, projectId: string): Promise<GitRemoteDto[]> {
    await this.open(userId, projectId);
    const result = await this.runner.git(projectId, ['config', '-z', '--get-regexp', '^remote\\..*\\.url$']);
    // 1: no remote at all.
    if (result.code === 1 && !notARepository(result)) return [];
    if (result.code !== 0) throw refused(result);
    const remotes = new Map<string, string>();
    for (const record of result.stdout.toString('utf8').split('\0').filter(Boolean)) {
      const newline = record.indexOf('\n');
      const key = newline < 0 ? record : record.slice(0, newline);
      const name = key.slice('remote.'.length, -'.url'.length);
      if (!remotes.has(name)) remotes.set(name, withoutUserInfo(newline < 0 ? '' : record.slice(newline + 1)));
    }
    return [...remotes].map(([name, url]) => ({ name, url }));
  }

  async add(userId: string, projectId: string, name: string, url: string): Promise<GitRemoteDto> {
    await this.open(userId, projectId);
    const checked = await this.checkUrl(url);
    if (hasUserInfo(checked.url))
      throw new DomainError(
        'bad_request',
        'bad_git_url',
        'Leave the user name and token out of the URL (they would be written into .git/config); add a token in Settings → Git',
      );
    const result = await this.git.exclusive(projectId, () =>
      this.runner.git(projectId, ['remote', 'add', '--', name, checked.url]),
    );
    if (result.code !== 0) throw await this.git.refusal(projectId, result, 'git_remote_refused');
    this.git.events.emit('onDidChange', { projectId });
    return { name, url: checked.url };
  }

  async remove(userId: string, projectId: string, name: string): Promise<void> {
    await this.open(userId, projectId);
    const result = await this.git.exclusive(projectId, () =>
      this.runner.git(projectId, ['remote', 'remove', '--', name]),
    );
    if (result.code !== 0)
      throw /no such remote/i.test(result.stderr)
        ? new DomainError('not_found', 'git_no_such_remote', gitMessage(result))
        : await this.git.refusal(projectId, result, 'git_remote_refused');
    this.git.events.emit('onDidChange', { projectId });
  }

  async fetch(userId: string, projectId: string, remote?: string, branch?: string): Promise<GitSyncResultDto> {
    const target = await this.prepare(userId, projectId, 'fetch', remote, branch);
    const result = await this.network(projectId, target, 'fetch', [
      'fetch',
      '--progress',
      '--no-recurse-submodules',
      '--end-of-options',
      target.remote,
      ...(branch ? [branch] : []),
    ]);
    if (result.code !== 0) throw syncRefused(result, target);
    this.git.events.emit('onDidChange', { projectId });
    return this.outcome(target, 'fetched', result);
  }

  /** fetch + merge (fast-forward or a merge commit); conflicts are an outcome, as with …/git/merge. */
  async pull(userId: string, projectId: string, remote?: string, branch?: string): Promise<GitSyncResultDto> {
    const target = await this.prepare(userId, projectId, 'pull', remote, branch);
    const fetched = await this.network(projectId, target, 'pull', [
      'fetch',
      '--progress',
      '--no-recurse-submodules',
      '--end-of-options',
      target.remote,
      target.branch,
    ]);
    if (fetched.code !== 0) throw syncRefused(fetched, target);
    const identity = await this.git.identity(userId);
    // The merge changes the index and working tree: after the project's other changes, not beside them.
    const { before, merged } = await this.git.exclusive(projectId, async () => ({
      before: await this.runner.git(projectId, ['rev-parse', '--verify', '--quiet', 'HEAD']),
      merged: await this.runner.git(projectId, ['merge', '--no-edit', '--no-verify', 'FETCH_HEAD'], {
        config: identity,
        timeoutMs: NETWORK_TIMEOUT_MS,
      }),
    }));
    this.git.events.emit('onDidChange', { projectId });
    if (merged.code === 0) {
      const after = await this.runner.git(projectId, ['rev-parse', '--verify', '--quiet', 'HEAD']);
      const moved = after.stdout.toString('utf8') !== before.stdout.toString('utf8');
      return this.outcome(target, moved ? 'merged' : 'up-to-date', merged);
    }
    const status = await this.git.status(userId, projectId);
    if (status.conflicts.length === 0)
      throw (await lockRefusal(this.runner, projectId, merged)) ?? syncRefused(merged, target);
    return { ...this.outcome(target, 'conflicts', merged), conflicts: status.conflicts };
  }

  /** Pushes the branch; sets its upstream (-u) when it has none. */
  async push(userId: string, projectId: string, remote?: string, branch?: string): Promise<GitSyncResultDto> {
    const target = await this.prepare(userId, projectId, 'push', remote, branch);
    const upstream = await this.runner.git(projectId, [
      'rev-parse',
      '--abbrev-ref',
      '--verify',
      '--quiet',
      '--end-of-options',
      `refs/heads/${target.branch}@{upstream}`,
    ]);
    const setUpstream = upstream.code !== 0;
    const result = await this.network(projectId, target, 'push', [
      'push',
      '--progress',
      '--no-verify',
      ...(setUpstream ? ['--set-upstream'] : []),
      '--end-of-options',
      target.remote,
      `refs/heads/${target.branch}:refs/heads/${target.branch}`,
    ]);
    if (result.code !== 0) throw syncRefused(result, target);
    this.git.events.emit('onDidChange', { projectId });
    const upToDate = /Everything up-to-date/i.test(result.stderr);
    return this.outcome(target, upToDate ? 'up-to-date' : 'pushed', result);
  }

  private outcome(target: SyncTarget, outcome: GitSyncResultDto['outcome'], result: GitResult): GitSyncResultDto {
    const message = (result.stdout.toString('utf8') + result.stderr).replace(/\r/g, '').trim().slice(0, 4000);
    return { outcome, remote: target.remote, branch: target.branch, conflicts: [], message };
  }

  /** Names the remote and branch, checks every URL git would use, and finds the token for the host. */
  private async prepare(
    userId: string,
    projectId: string,
    kind: SyncKind,
    remote = 'origin',
    branch?: string,
  ): Promise<SyncTarget> {
    await this.open(userId, projectId);
    const current = await this.runner.git(projectId, ['symbolic-ref', '--short', '--quiet', 'HEAD']);
    if (notARepository(current)) throw refused(current);
    const name = branch ?? (current.code === 0 ? current.stdout.toString('utf8').trim() : '');
    if (!name)
      throw new DomainError('conflict', 'git_detached_head', 'HEAD is not on a branch', {
        hint: 'Switch to a branch, or name the branch',
      });
    const urls = await this.runner.git(projectId, [
      'remote',
      'get-url',
      ...(kind === 'push' ? ['--push'] : []),
      '--all',
      '--',
      remote,
    ]);
    if (urls.code !== 0)
      throw new DomainError('conflict', 'git_no_such_remote', gitMessage(urls), {
        hint: remote === 'origin' ? 'Add a remote named origin first' : `Add a remote named ${remote} first`,
      });
    const listed = urls.stdout.toString('utf8').split('\n').filter(Boolean);
    if (listed.length !== 1)
      throw new DomainError('conflict', 'git_remote_refused', `Remote ${remote} has ${listed.length} URLs`, {
        hint: 'Keep one URL per remote',
      });
    const checked = await this.checkUrl(listed[0]!);
    if (hasUserInfo(checked.url))
      throw new DomainError('bad_request', 'bad_git_url', `Remote ${remote}'s URL holds a user name or token`, {
        hint: 'Remove it from the URL and add a token in Settings → Git',
      });
    const defaultPort = checked.url.startsWith('https:') ? 443 : 80;
    const host = checked.port === defaultPort ? checked.host : `${checked.host}:${checked.port}`;
    const credential = await this.credentials.forHost(userId, host, { https: checked.url.startsWith('https:') });
    return { remote, branch: name, checked, host, credential };
  }

  /**
   * One fetch, pull or push of a project at a time (they write FETCH_HEAD and remote refs); they
   * do not wait for, nor hold up, the project's index changes.
   */
  private network(projectId: string, target: SyncTarget, operation: SyncKind, args: string[]): Promise<GitResult> {
    return this.git.exclusive(`${projectId}:network`, () => this.runNetwork(projectId, target, operation, args));
  }

  private async runNetwork(
    projectId: string,
    target: SyncTarget,
    operation: SyncKind,
    args: string[],
  ): Promise<GitResult> {
    const { checked } = target;
    const scheme = checked.url.startsWith('https:') ? 'https' : 'http';
    const config = [
      `http.curloptResolve=${checked.host}:${checked.port}:${checked.address}`,
      'http.followRedirects=false',
      `remote.${target.remote}.proxy=`,
      'protocol.allow=never',
      `protocol.${scheme}.allow=always`,
      'submodule.recurse=false',
      // Without a token: no helper at all (a repository's own helper never runs), so git fails
      // fast with "could not read Username" instead of asking.
      ...(target.credential ? CREDENTIAL_HELPER_CONFIG : ['credential.helper=']),
    ];
    const parser = new GitProgressParser();
    const throttle = new LatestThrottle<GitProgressUpdate>(PROGRESS_INTERVAL_MS, (update) =>
      this.git.events.emit('onProgress', { projectId, operation, ...update }),
    );
    try {
      const result = await this.runner.git(projectId, args, {
        config,
        credential: target.credential ?? undefined,
        timeoutMs: NETWORK_TIMEOUT_MS,
        onStderr: (text) => parser.feed(text).forEach((update) => throttle.push(update)),
      });
      parser.end().forEach((update) => throttle.push(update));
      throttle.flush();
      return { ...result, stderr: withoutProgress(result.stderr) };
    } finally {
      throttle.dispose();
    }
  }

  private async open(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
    await this.workspaces.ensureRunning(projectId);
    this.workspaces.recordActivity(projectId);
  }
}
