// How git's failures read: "not a git repository" and "no commits yet" are states Berth answers
// for (an empty status, an empty log), anything else is git refusing, a 409 with git's own words.
import { DomainError } from '../core/errors';
import { gitMessage, type GitResult } from './git-runner';

export const notARepository = (result: GitResult) => /not a git repository/i.test(result.stderr);

export const refused = (result: GitResult, code = 'git_refused') =>
  notARepository(result)
    ? new DomainError('conflict', 'git_not_initialized', 'This project has no git repository yet')
    : new DomainError('conflict', code, gitMessage(result));

export const noCommitsYet = (result: GitResult) =>
  /does not have any commits yet|bad default revision|unknown revision|ambiguous argument 'HEAD'/i.test(result.stderr);
