// Source control on the wire (issue 13): git run inside the project's workspace. Paths are
// relative to /workspace as in the file API; branch names follow git's own rules and never
// start with '-'. Zod only: shared with the browser.
import { z } from 'zod';
import { relativePathSchema } from './files';

/** A path git is handed: relative, inside the project, not the root itself. */
export const gitPathSchema = relativePathSchema
  .transform((path) =>
    path
      .split('/')
      .filter((segment) => segment !== '' && segment !== '.')
      .join('/'),
  )
  .refine((path) => path !== '', 'A file path is required')
  .refine((path) => !path.includes('\n'), 'Paths must not contain line breaks')
  // The repository's own files are git's business, not a path to stage, discard or diff.
  .refine(
    (path) => !path.split('/').some((segment) => segment.toLowerCase() === '.git'),
    'Paths inside .git are not allowed',
  );

export const gitPathsBodySchema = z.object({
  paths: z.array(gitPathSchema).min(1, 'Name at least one path').max(5000, 'At most 5,000 paths at once'),
});
export type GitPathsBody = z.input<typeof gitPathsBodySchema>;

/** Syntax only; git's own `check-ref-format --branch` has the last word. */
export const gitBranchNameSchema = z
  .string()
  .trim()
  .min(1, 'A branch name is required')
  .max(200, 'Branch names are at most 200 characters')
  .refine((name) => !name.startsWith('-'), 'Branch names must not start with "-"')
  .refine((name) => !/[\s\x00-\x1f\x7f~^:?*[\\]/.test(name), 'Not a valid branch name');

/** A commit or branch to start from: no options, no spaces. */
export const gitRevisionSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((rev) => !rev.startsWith('-'), 'Must not start with "-"')
  .refine((rev) => !/[\s\x00-\x1f\x7f]/.test(rev), 'Not a valid revision');

export const gitCommitHashSchema = z.string().regex(/^[0-9a-f]{4,64}$/, 'A commit hash (hex)');

export const gitCommitBodySchema = z.object({
  message: z
    .string()
    .max(64 * 1024, 'Commit messages are at most 64 KB')
    .refine((message) => message.trim() !== '', 'A commit message is required')
    .refine((message) => !message.includes('\0'), 'Commit messages must not contain NUL bytes'),
  amend: z.boolean().optional(),
});
export type GitCommitBody = z.input<typeof gitCommitBodySchema>;

export const gitBranchCreateBodySchema = z.object({ name: gitBranchNameSchema, from: gitRevisionSchema.optional() });
export type GitBranchCreateBody = z.input<typeof gitBranchCreateBodySchema>;

export const gitBranchBodySchema = z.object({ branch: gitBranchNameSchema });
export type GitBranchBody = z.input<typeof gitBranchBodySchema>;

export const gitLogQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** What happened to a file, as git's one-letter codes say it. */
export type GitChangeKind = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

export interface GitFileChange {
  path: string;
  /** The path before a rename or copy. */
  origPath?: string;
  kind: GitChangeKind;
}

/** Who changed what in an unmerged file: git's XY (UU both modified, AA both added, DU deleted by us…). */
export interface GitConflict {
  path: string;
  code: 'DD' | 'AU' | 'UD' | 'UA' | 'DU' | 'AA' | 'UU';
}

export interface GitStatusDto {
  /** false: the project has no repository yet (POST …/git/init makes one). */
  initialized: boolean;
  /** The current branch; null when HEAD is detached or there is no repository. */
  branch: string | null;
  /** HEAD's commit; null before the first commit. */
  head: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  staged: GitFileChange[];
  changes: GitFileChange[];
  untracked: string[];
  conflicts: GitConflict[];
}

export interface GitDiffDto {
  path: string;
  staged: boolean;
  /** The index (unstaged) or HEAD (staged) side; '' when the file is not there. */
  original: string;
  /** The working tree (unstaged) or index (staged) side; '' when the file is not there. */
  modified: string;
  /** Either side is binary: no text is sent. */
  binary: boolean;
  /** Either side is over the diff size limit: no text is sent. */
  tooLarge: boolean;
  /** A staged rename or copy: the path in HEAD that `original` was read from. */
  origPath?: string;
  /**
   * The file is in conflict (unmerged): `original` is ours (stage 2), `modified` the working tree
   * with git's conflict markers, and both sides of the merge are sent.
   */
  conflict?: boolean;
  /** A conflict's ours (stage 2: the current branch's version); '' when ours deleted it. */
  ours?: string;
  /** A conflict's theirs (stage 3: the version being merged in); '' when theirs deleted it. */
  theirs?: string;
}

/** The index's version of one file: what the editor's gutter marks changed lines against. */
export interface GitBaseDto {
  path: string;
  /** false when there is no repository or the file has no index entry (untracked, or in conflict): no markers. */
  tracked: boolean;
  /** The index's text; '' when untracked, binary or too large. */
  text: string;
  binary: boolean;
  tooLarge: boolean;
}

export interface GitCommitDto {
  hash: string;
  author: string;
  email: string;
  /** ISO 8601, the author date. */
  date: string;
  subject: string;
  message: string;
}

export interface GitCommitFileDto {
  path: string;
  origPath?: string;
  kind: GitChangeKind;
  original: string;
  modified: string;
  binary: boolean;
  tooLarge: boolean;
}

export interface GitCommitDetailDto extends GitCommitDto {
  parents: string[];
  files: GitCommitFileDto[];
  /** More files changed than are sent. */
  truncated: boolean;
}

export interface GitBranchDto {
  name: string;
  head: string;
  current: boolean;
  upstream: string | null;
}

export interface GitMergeResultDto {
  /** merged (a merge commit or fast-forward), up-to-date, or conflicts (resolve, stage, commit). */
  outcome: 'merged' | 'up-to-date' | 'conflicts';
  conflicts: GitConflict[];
  /** What git said. */
  message: string;
}
