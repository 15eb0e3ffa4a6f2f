// Source control of a project (issue 13): real git in the project's workspace container, as the
// workspace user. Every call checks the project is the user's (404 otherwise) and starts the
// workspace if needed. Paths arrive validated (contracts/git.ts) and are always passed after
// `--` as literal pathspecs; branch names are checked by git itself and never start with '-'.
// When git refuses (local changes a checkout would lose, an unmerged branch, nothing to
// commit) the refusal is a 409 carrying git's own words. State-changing calls announce
// themselves through `events` so every open tab refetches.
import type {
  GitBranchDto,
  GitChangeKind,
  GitCommitDetailDto,
  GitCommitDto,
  GitCommitFileDto,
  GitBaseDto,
  GitDiffDto,
  GitMergeResultDto,
  GitProgressDto,
  GitStatusDto,
  UserDto,
} from '../contracts';
import { DomainError } from '../core/errors';
import { TypedEmitter } from '../core/typed-emitter';
import { lockRefusal } from './git-lock';
import { gitMessage, type GitResult, type GitRunner } from './git-runner';
import { parsePorcelainV2 } from './porcelain-status';
import { ProjectQueue } from './project-queue';

/** Each side of a diff is sent up to this size. */
export const DIFF_MAX_BYTES = 1024 * 1024;
/** Files of one commit sent with their text. */
const COMMIT_FILES_MAX = 100;
const SLOW_TIMEOUT_MS = 120_000;

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

const EMPTY_STATUS: GitStatusDto = {
  initialized: false,
  branch: null,
  head: null,
  upstream: null,
  ahead: 0,
  behind: 0,
  staged: [],
  changes: [],
  untracked: [],
  conflicts: [],
};

const notARepository = (result: GitResult) => /not a git repository/i.test(result.stderr);
const refused = (result: GitResult, code = 'git_refused') =>
  notARepository(result)
    ? new DomainError('conflict', 'git_not_initialized', 'This project has no git repository yet')
    : new DomainError('conflict', code, gitMessage(result));
const noCommitsYet = (result: GitResult) =>
  /does not have any commits yet|bad default revision|unknown revision|ambiguous argument 'HEAD'/i.test(result.stderr);

export class GitService {
  readonly events = new TypedEmitter<GitEvents>();
  private readonly queue = new ProjectQueue();

  constructor(
    private readonly projects: GitProjects,
    private readonly workspaces: GitWorkspaces,
    private readonly users: GitUsers,
    private readonly runner: GitRunner,
  ) {}

  async status(userId: string, projectId: string): Promise<GitStatusDto> {
    await this.open(userId, projectId);
    return this.readStatus(projectId);
  }

  async init(userId: string, projectId: string): Promise<GitStatusDto> {
    await this.open(userId, projectId);
    return this.exclusive(projectId, async () => {
      const found = await this.runner.git(projectId, ['rev-parse', '--git-dir']);
      if (found.code === 0)
        throw new DomainError('conflict', 'git_already_initialized', 'This project already has a git repository');
      await this.expectOk(projectId, ['init', '-q', '--initial-branch=main']);
      this.changed(projectId);
      return this.readStatus(projectId);
    });
  }

  /**
   * Working tree vs index, or index vs HEAD (`staged`). A staged rename is read from HEAD at its
   * original path. A file in conflict has no index entry (stage 0): its left side is ours (stage
   * 2), and `ours`/`theirs` carry both sides of the merge; the working tree keeps git's markers.
   */
  async diff(userId: string, projectId: string, path: string, staged: boolean): Promise<GitDiffDto> {
    await this.open(userId, projectId);
    await this.requireRepository(projectId);
    if (staged) {
      const [head, index] = await Promise.all([
        this.blob(projectId, `HEAD:${path}`),
        this.blob(projectId, `:0:${path}`),
      ]);
      const origPath = head.present ? undefined : await this.stagedRenameSource(projectId, path);
      const original = origPath ? await this.blob(projectId, `HEAD:${origPath}`) : head;
      return { path, staged, ...(origPath ? { origPath } : {}), ...sides(original, index) };
    }
    const [index, worktree] = await Promise.all([this.blob(projectId, `:0:${path}`), this.worktree(projectId, path)]);
    if (index.present) return { path, staged, ...sides(index, worktree) };
    const conflict = await this.conflictSides(projectId, path);
    if (!conflict) return { path, staged, ...sides(index, worktree) };
    const shown = sides(conflict.ours, worktree);
    const merge = sides(conflict.ours, conflict.theirs);
    const tooLarge = shown.tooLarge || merge.tooLarge;
    const binary = !tooLarge && (shown.binary || merge.binary);
    const text = !tooLarge && !binary;
    return {
      path,
      staged,
      original: text ? shown.original : '',
      modified: text ? shown.modified : '',
      binary,
      tooLarge,
      conflict: true,
      ours: text ? merge.original : '',
      theirs: text ? merge.modified : '',
    };
  }

  /**
   * The index's version of a file for the editor's gutter, in one exec: no repository, an
   * untracked file and a file in conflict all answer `tracked: false` (nothing to mark against).
   */
  async base(userId: string, projectId: string, path: string): Promise<GitBaseDto> {
    await this.open(userId, projectId);
    const index = await this.blob(projectId, `:0:${path}`);
    if (!index.present) return { path, tracked: false, text: '', binary: false, tooLarge: false };
    const binary = !index.tooLarge && isBinary(index.bytes);
    const text = index.tooLarge || binary ? '' : index.bytes.toString('utf8');
    return { path, tracked: true, text, binary, tooLarge: index.tooLarge };
  }

  /** Where a staged rename or copy of `path` came from (index vs HEAD, as status shows it); null when none. */
  private async stagedRenameSource(projectId: string, path: string): Promise<string | null> {
    const result = await this.runner.git(projectId, [
      'diff',
      '--cached',
      '--no-ext-diff',
      '-M',
      '-z',
      '--name-status',
      '--diff-filter=RC',
    ]);
    if (result.code !== 0) return null;
    return parseNameStatus(result.stdout.toString('utf8')).find((file) => file.path === path)?.origPath ?? null;
  }

  /** Ours (stage 2) and theirs (stage 3) of a file in conflict; null when `path` is not unmerged. */
  private async conflictSides(projectId: string, path: string): Promise<{ ours: Side; theirs: Side } | null> {
    const unmerged = await this.runner.git(projectId, ['ls-files', '-u', '-z', '--', path]);
    if (unmerged.code !== 0 || unmerged.stdout.length === 0) return null;
    const [ours, theirs] = await Promise.all([this.blob(projectId, `:2:${path}`), this.blob(projectId, `:3:${path}`)]);
    return { ours, theirs };
  }

  async stage(userId: string, projectId: string, paths: string[]): Promise<GitStatusDto> {
    await this.open(userId, projectId);
    return this.exclusive(projectId, async () => {
      // -A: a deleted file is staged as deleted, a new one as added. The new status in the same exec.
      const result = await this.runner.gitSequence(projectId, [
        { args: ['add', '-A', '--', ...paths] },
        { args: STATUS_ARGS },
      ]);
      if (result.code !== 0) throw await this.refusal(projectId, result);
      this.changed(projectId);
      return parseStatus(result, result.outputs[1]);
    });
  }

  async unstage(userId: string, projectId: string, paths: string[]): Promise<GitStatusDto> {
    await this.open(userId, projectId);
    return this.exclusive(projectId, async () => {
      // `reset -- paths` also works before the first commit (against the empty tree).
      const result = await this.runner.git(projectId, ['reset', '-q', '--', ...paths]);
      if (result.code !== 0 && result.code !== 1) throw await this.refusal(projectId, result);
      this.changed(projectId);
      return this.readStatus(projectId);
    });
  }

  /** The working tree back to the index for tracked files; untracked ones are deleted. */
  async discard(userId: string, projectId: string, paths: string[]): Promise<GitStatusDto> {
    await this.open(userId, projectId);
    return this.exclusive(projectId, async () => {
      // Untracked files (and untracked folders) among the paths; ignored files are left alone.
      await this.expectOk(projectId, ['clean', '-f', '-d', '-q', '--', ...paths]);
      const tracked = await this.expectOk(projectId, ['ls-files', '-z', '--', ...paths]);
      const files = tracked.stdout.toString('utf8').split('\0').filter(Boolean);
      if (files.length > 0) await this.expectOk(projectId, ['checkout', '-q', '--', ...files]);
      this.changed(projectId);
      return this.readStatus(projectId);
    });
  }

  async commit(userId: string, projectId: string, input: { message: string; amend?: boolean }): Promise<GitCommitDto> {
    await this.open(userId, projectId);
    const identity = await this.identity(userId);
    const args = ['commit', '-q', '--no-verify', '--cleanup=strip', '-m', input.message];
    if (input.amend) args.push('--amend');
    // The new commit, read in the same exec.
    return this.exclusive(projectId, async () => {
      const result = await this.runner.gitSequence(
        projectId,
        [{ args, config: identity }, { args: logArgs(1, 'HEAD') }],
        { timeoutMs: SLOW_TIMEOUT_MS },
      );
      if (result.code !== 0) throw await this.refusal(projectId, result, 'git_commit_refused');
      this.changed(projectId);
      return parseLog(result.outputs[1] ?? Buffer.alloc(0))[0]!;
    });
  }

  async log(userId: string, projectId: string, limit: number): Promise<GitCommitDto[]> {
    await this.open(userId, projectId);
    return this.readLog(projectId, limit);
  }

  async showCommit(userId: string, projectId: string, hash: string): Promise<GitCommitDetailDto> {
    await this.open(userId, projectId);
    const [commit] = await this.readLog(projectId, 1, hash);
    if (!commit) throw new DomainError('not_found', 'git_no_such_commit', `No commit ${hash}`);
    const parentsOut = await this.expectOk(projectId, ['rev-list', '--parents', '-n', '1', commit.hash, '--']);
    const parents = parentsOut.stdout.toString('utf8').trim().split(' ').slice(1);
    // Against the first parent (a merge shows what it brought in); a root commit against nothing.
    const range = parents[0] ? [parents[0], commit.hash] : ['--root', commit.hash];
    const changes = await this.expectOk(projectId, [
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
    const before = parents[0];
    const files = await Promise.all(
      listed.slice(0, COMMIT_FILES_MAX).map(async (file): Promise<GitCommitFileDto> => {
        const [original, modified] = await Promise.all([
          before && file.kind !== 'added'
            ? this.blob(projectId, `${before}:${file.origPath ?? file.path}`)
            : EMPTY_SIDE,
          file.kind === 'deleted' ? EMPTY_SIDE : this.blob(projectId, `${commit.hash}:${file.path}`),
        ]);
        return { ...file, ...sides(original, modified) };
      }),
    );
    return { ...commit, parents, files, truncated: listed.length > COMMIT_FILES_MAX };
  }

  async branches(userId: string, projectId: string): Promise<GitBranchDto[]> {
    await this.open(userId, projectId);
    const result = await this.expectOk(projectId, [
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
    await this.open(userId, projectId);
    await this.checkBranchName(projectId, name);
    if (from !== undefined) {
      const found = await this.runner.git(projectId, [
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${from}^{commit}`,
      ]);
      if (found.code !== 0)
        throw new DomainError('bad_request', 'git_bad_revision', `No branch or commit named ${from}`);
    }
    const result = await this.exclusive(projectId, () =>
      this.runner.git(projectId, ['branch', '--end-of-options', name, ...(from ? [from] : [])]),
    );
    if (result.code !== 0) throw await this.refusal(projectId, result, 'git_branch_refused');
    this.changed(projectId);
    const created = (await this.branches(userId, projectId)).find((branch) => branch.name === name);
    if (!created) throw new Error(`branch ${name} not listed after creating it`);
    return created;
  }

  async deleteBranch(userId: string, projectId: string, name: string, force = false): Promise<void> {
    await this.open(userId, projectId);
    await this.checkBranchName(projectId, name);
    const result = await this.exclusive(projectId, () =>
      this.runner.git(projectId, ['branch', force ? '-D' : '-d', '--end-of-options', name]),
    );
    if (result.code !== 0)
      throw /not found/i.test(result.stderr)
        ? new DomainError('not_found', 'git_no_such_branch', gitMessage(result))
        : await this.refusal(projectId, result, 'git_branch_refused');
    this.changed(projectId);
  }

  /** Switches branch; git refuses (409, its message) when local changes would be lost. */
  async checkout(userId: string, projectId: string, branch: string): Promise<GitStatusDto> {
    await this.open(userId, projectId);
    await this.checkBranchName(projectId, branch);
    const result = await this.exclusive(projectId, () =>
      this.runner.git(projectId, ['switch', '-q', '--no-guess', '--end-of-options', branch], {
        timeoutMs: SLOW_TIMEOUT_MS,
      }),
    );
    if (result.code !== 0) throw await this.refusal(projectId, result, 'git_checkout_refused');
    this.changed(projectId);
    return this.readStatus(projectId);
  }

  /** Merges a branch into the current one; conflicts are an outcome (they show in status), not an error. */
  async merge(userId: string, projectId: string, branch: string): Promise<GitMergeResultDto> {
    await this.open(userId, projectId);
    await this.checkBranchName(projectId, branch);
    const identity = await this.identity(userId);
    return this.exclusive(projectId, async () => {
      const before = await this.runner.git(projectId, ['rev-parse', '--verify', '--quiet', 'HEAD']);
      const result = await this.runner.git(
        projectId,
        ['merge', '--no-edit', '--no-verify', '--end-of-options', branch],
        { config: identity, timeoutMs: SLOW_TIMEOUT_MS },
      );
      const message = (result.stdout.toString('utf8') + result.stderr).trim().slice(0, 4000);
      if (result.code === 0) {
        const after = await this.runner.git(projectId, ['rev-parse', '--verify', '--quiet', 'HEAD']);
        const moved = after.stdout.toString('utf8') !== before.stdout.toString('utf8');
        if (moved) this.changed(projectId);
        return { outcome: moved ? 'merged' : 'up-to-date', conflicts: [], message };
      }
      const status = await this.readStatus(projectId);
      if (status.conflicts.length === 0) throw await this.refusal(projectId, result, 'git_merge_refused');
      this.changed(projectId);
      return { outcome: 'conflicts', conflicts: status.conflicts, message };
    });
  }

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

  private async open(userId: string, projectId: string): Promise<void> {
    await this.projects.get(userId, projectId);
    await this.workspaces.ensureRunning(projectId);
    this.workspaces.recordActivity(projectId);
  }

  private changed(projectId: string): void {
    this.events.emit('onDidChange', { projectId });
  }

  private async readStatus(projectId: string): Promise<GitStatusDto> {
    // Without optional locks: status would otherwise take index.lock to write back what it
    // refreshed, and a stage from another tab at that moment would be refused.
    const result = await this.runner.git(projectId, ['--no-optional-locks', ...STATUS_ARGS]);
    if (result.code !== 0) {
      if (notARepository(result)) return EMPTY_STATUS;
      throw refused(result);
    }
    return parseStatus(result, result.stdout);
  }

  private async requireRepository(projectId: string): Promise<void> {
    const found = await this.runner.git(projectId, ['rev-parse', '--git-dir']);
    if (found.code !== 0)
      throw notARepository(found)
        ? new DomainError('conflict', 'git_not_initialized', 'This project has no git repository yet')
        : refused(found);
  }

  private async readLog(projectId: string, limit: number, revision = 'HEAD'): Promise<GitCommitDto[]> {
    const result = await this.runner.git(projectId, logArgs(limit, revision));
    if (result.code !== 0) {
      if (!notARepository(result) && noCommitsYet(result)) return [];
      throw refused(result);
    }
    return parseLog(result.stdout);
  }

  private async checkBranchName(projectId: string, name: string): Promise<void> {
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

  private async expectOk(projectId: string, args: string[]): Promise<GitResult> {
    const result = await this.runner.git(projectId, args);
    if (result.code !== 0) throw await this.refusal(projectId, result);
    return result;
  }

  /** A blob by `<rev>:<path>` (`:0:<path>` is the index); missing → absent. */
  private async blob(projectId: string, spec: string): Promise<Side> {
    const result = await this.runner.git(projectId, ['cat-file', 'blob', spec], { maxBytes: DIFF_MAX_BYTES });
    return toSide(result);
  }

  private async worktree(projectId: string, path: string): Promise<Side> {
    return toSide(await this.runner.readFile(projectId, path, { maxBytes: DIFF_MAX_BYTES }));
  }
}

const STATUS_ARGS = ['status', '--porcelain=v2', '-z', '--branch'];

function parseStatus(result: GitResult, stdout: Buffer | undefined): GitStatusDto {
  if (result.truncated)
    throw new DomainError('too_large', 'git_status_too_large', 'git status printed more than Berth reads');
  return parsePorcelainV2((stdout ?? Buffer.alloc(0)).toString('utf8'));
}

const logArgs = (limit: number, revision: string) => [
  'log',
  '-z',
  `-n${limit}`,
  '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%B',
  '--end-of-options',
  revision,
  '--',
];

function parseLog(stdout: Buffer): GitCommitDto[] {
  return stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const [hash, author, email, date, subject, message] = record.split('\x1f');
      return {
        hash: hash!,
        author: author!,
        email: email!,
        date: date!,
        subject: subject!,
        message: (message ?? '').trimEnd(),
      };
    });
}

interface Side {
  present: boolean;
  bytes: Buffer;
  tooLarge: boolean;
}
const EMPTY_SIDE: Side = { present: false, bytes: Buffer.alloc(0), tooLarge: false };

function toSide(result: GitResult): Side {
  if (result.truncated) return { present: true, bytes: Buffer.alloc(0), tooLarge: true };
  if (result.code !== 0) return EMPTY_SIDE;
  return { present: true, bytes: result.stdout, tooLarge: false };
}

/** git's own test: a NUL in the first 8,000 bytes makes a file binary. */
const isBinary = (bytes: Buffer) => bytes.subarray(0, 8000).includes(0);

function sides(original: Side, modified: Side) {
  const tooLarge = original.tooLarge || modified.tooLarge;
  const binary = !tooLarge && (isBinary(original.bytes) || isBinary(modified.bytes));
  const text = !tooLarge && !binary;
  return {
    original: text ? original.bytes.toString('utf8') : '',
    modified: text ? modified.bytes.toString('utf8') : '',
    binary,
    tooLarge,
  };
}

const NAME_STATUS_KINDS: Record<string, GitChangeKind> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/** `diff-tree -z --name-status`: status \0 path \0, or R<score> \0 old \0 new \0. */
function parseNameStatus(output: string): { path: string; origPath?: string; kind: GitChangeKind }[] {
  const fields = output.split('\0');
  const files: { path: string; origPath?: string; kind: GitChangeKind }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const status = fields[i]!;
    if (status === '') continue;
    const kind = NAME_STATUS_KINDS[status[0]!] ?? 'modified';
    if (kind === 'renamed' || kind === 'copied') {
      const origPath = fields[++i]!;
      files.push({ path: fields[++i]!, origPath, kind });
    } else {
      files.push({ path: fields[++i]!, kind });
    }
  }
  return files;
}
