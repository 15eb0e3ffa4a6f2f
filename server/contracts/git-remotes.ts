// Remotes, fetch/pull/push and the user's git credentials on the wire (issue 13). Tokens go up
// (PUT …/me/git-credentials) and never come back: lists show them masked. Zod only.
import { z } from 'zod';
import { gitBranchNameSchema, type GitConflict } from './git';

/** A remote's name: git's rules for a ref component, never an option. */
export const gitRemoteNameSchema = z
  .string()
  .trim()
  .min(1, 'A remote name is required')
  .max(100, 'Remote names are at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, ".", "_" and "-" only, not starting with one of them')
  .refine((name) => !name.endsWith('.lock') && !name.includes('..'), 'Not a valid remote name');

export const gitRemoteBodySchema = z.object({
  name: gitRemoteNameSchema,
  url: z.string().trim().min(1, 'A URL is required').max(2000, 'URLs are at most 2,000 characters'),
});
export type GitRemoteBody = z.input<typeof gitRemoteBodySchema>;

export const gitRemoteQuerySchema = z.object({ name: gitRemoteNameSchema });

/** POST …/git/fetch|pull|push: origin and the current branch unless named. */
export const gitSyncBodySchema = z.object({
  remote: gitRemoteNameSchema.optional(),
  branch: gitBranchNameSchema.optional(),
});
export type GitSyncBody = z.input<typeof gitSyncBodySchema>;

export interface GitRemoteDto {
  name: string;
  /** The fetch URL, without any user or password part. */
  url: string;
}

export interface GitSyncResultDto {
  /** fetched, pushed, merged (fast-forward or a merge commit), up-to-date, or conflicts (pull). */
  outcome: 'fetched' | 'pushed' | 'merged' | 'up-to-date' | 'conflicts';
  remote: string;
  branch: string;
  /** Pull only: files left in conflict (resolve, stage, commit). */
  conflicts: GitConflict[];
  /** What git said. */
  message: string;
}

/** 'git:progress': git's own progress of a running fetch, pull or push (at most ~10 a second). */
export interface GitProgressDto {
  projectId: string;
  operation: 'fetch' | 'pull' | 'push';
  /** As git names it: "Counting objects", "Writing objects", "Receiving objects", "Resolving deltas"… */
  phase: string;
  /** 0–100 when git counts towards a known total. */
  percent?: number;
  /** git's line, as it wrote it ("remote: " included), without any credential. */
  text: string;
}

/** A host name, lower case, with ":port" when not the default: github.com, git.example.com:8443. */
export const gitCredentialHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'A host is required')
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/, 'A host name such as github.com');

export const putGitCredentialSchema = z.object({
  host: gitCredentialHostSchema,
  username: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\s:@/\\]+$/, 'No spaces, ":", "@", "/" or "\\"')
    .optional(),
  token: z
    .string()
    .trim()
    .min(1, 'A token is required')
    .max(4000, 'Tokens are at most 4,000 characters')
    .regex(/^[\x21-\x7e]+$/, 'Tokens are printable ASCII without spaces'),
});
export type PutGitCredentialBody = z.input<typeof putGitCredentialSchema>;

export const gitCredentialQuerySchema = z.object({ host: gitCredentialHostSchema });

export interface GitCredentialDto {
  host: string;
  username: string | null;
  /** The token's last four characters behind dots, never the token. */
  tokenMasked: string;
  updatedAt: string;
}
