// The git commands whose output Berth reads, and how it reads them: status (porcelain v2), log
// (one record per commit, fields split by \x1f) and --name-status lists.
import type { GitChangeKind, GitCommitDto, GitStatusDto } from '../contracts';
import { DomainError } from '../core/errors';
import type { GitResult } from './git-runner';
import { parsePorcelainV2 } from './porcelain-status';

export const EMPTY_STATUS: GitStatusDto = {
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

export const STATUS_ARGS = ['status', '--porcelain=v2', '-z', '--branch'];

export function parseStatus(result: GitResult, stdout: Buffer | undefined): GitStatusDto {
  if (result.truncated)
    throw new DomainError('too_large', 'git_status_too_large', 'git status printed more than Berth reads');
  return parsePorcelainV2((stdout ?? Buffer.alloc(0)).toString('utf8'));
}

export const logArgs = (limit: number, revision: string) => [
  'log',
  '-z',
  `-n${limit}`,
  '--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%B',
  '--end-of-options',
  revision,
  '--',
];

export function parseLog(stdout: Buffer): GitCommitDto[] {
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

const NAME_STATUS_KINDS: Record<string, GitChangeKind> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

export type NameStatusEntry = { path: string; origPath?: string; kind: GitChangeKind };

/** `diff-tree -z --name-status`: status \0 path \0, or R<score> \0 old \0 new \0. */
export function parseNameStatus(output: string): NameStatusEntry[] {
  const fields = output.split('\0');
  const files: NameStatusEntry[] = [];
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
