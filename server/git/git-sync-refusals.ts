// A fetch, pull or push's target (remote, branch, the checked URL and the token for its host), and
// git's refusal of it as a 409 that names the next step (add a token, pull first, push once…).
import { DomainError } from '../core/errors';
import type { GitCredentialService } from './git-credentials';
import type { CheckedRemoteUrl } from './git-remote-url';
import { gitMessage, type GitResult } from './git-runner';

export type SyncKind = 'fetch' | 'pull' | 'push';

export interface SyncTarget {
  remote: string;
  branch: string;
  checked: CheckedRemoteUrl;
  host: string;
  credential: Awaited<ReturnType<GitCredentialService['forHost']>>;
}

/** git's refusal of a fetch, pull or push, with the next step. */
export function syncRefused(result: GitResult, target: SyncTarget): DomainError {
  const message = gitMessage(result);
  const hint = hintFor(message, target);
  return new DomainError('conflict', hint.code, message, { hint: hint.text });
}

function hintFor(message: string, target: SyncTarget): { code: string; text: string } {
  if (
    /could not read (Username|Password)|Authentication failed|terminal prompts disabled|\b401\b|\b403\b/i.test(message)
  )
    return !target.credential
      ? { code: 'git_auth_failed', text: `Add a token for ${target.host} in Settings → Git` }
      : target.credential.source === 'github-sign-in'
        ? {
            code: 'git_auth_failed',
            text: `GitHub refused the token of your GitHub sign-in: add a token for ${target.host} in Settings → Git`,
          }
        : { code: 'git_auth_failed', text: `The token for ${target.host} was refused: check it in Settings → Git` };
  if (/\[rejected\]|non-fast-forward|fetch first|failed to push some refs/i.test(message))
    return { code: 'git_push_rejected', text: 'Pull first, then push' };
  if (/couldn't find remote ref/i.test(message))
    return { code: 'git_no_remote_branch', text: `${target.remote} has no branch ${target.branch}: push it first` };
  if (/no upstream|no tracking information/i.test(message))
    return { code: 'git_no_upstream', text: 'Push the branch once to set its upstream' };
  if (/not found|does not appear to be a git repository|\b404\b/i.test(message))
    return { code: 'git_remote_not_found', text: "Check the remote's URL" };
  if (/local changes|would be overwritten|untracked working tree files/i.test(message))
    return { code: 'git_pull_refused', text: 'Commit or discard your changes, then pull' };
  if (/took longer than/i.test(message)) return { code: 'git_timed_out', text: 'Try again; the remote was slow' };
  return { code: 'git_refused', text: 'See what git said above' };
}
