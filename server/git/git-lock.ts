// git's "Unable to create '/workspace/.git/index.lock': File exists" as a refusal a person can act
// on. Berth runs a project's git mutations one at a time (ProjectQueue) and its status without
// optional locks, so when git still finds a lock file, either a git command started elsewhere
// (a terminal) holds it, or a git process that was killed left it behind. A look at the
// container's processes tells which, and the hint says what to do.
import { DomainError } from '../core/errors';
import { gitMessage, WORKSPACE_DIR, type GitResult, type GitRunner } from './git-runner';

const LOCK_EXISTS = /Unable to create '([^']+\.lock)': File exists/;

/** Exits 0 when a process named git runs in the container (builtins only: no pgrep in the image needed). */
const GIT_RUNNING =
  'for f in /proc/[0-9]*/comm; do IFS= read -r c <"$f" 2>/dev/null && [ "$c" = git ] && exit 0; done; exit 1';

/** The lock file git found, relative to the workspace; null when `result` is not a lock refusal. */
export function lockedFile(result: GitResult): string | null {
  const match = LOCK_EXISTS.exec(result.stderr);
  if (!match) return null;
  const file = match[1]!;
  return file.startsWith(`${WORKSPACE_DIR}/`) ? file.slice(WORKSPACE_DIR.length + 1) : file;
}

/** A 409 naming the lock and the next step, or null when git refused for another reason. */
export async function lockRefusal(
  runner: GitRunner,
  projectId: string,
  result: GitResult,
): Promise<DomainError | null> {
  const file = lockedFile(result);
  if (!file) return null;
  const running = await runner.shell(projectId, GIT_RUNNING);
  const hint =
    running.code === 0
      ? `Another git command is running in this workspace (in a terminal?): try again when it has finished`
      : `No git command is running: a git process that was stopped left ${file} behind. Delete it (rm ${file} in a terminal) and try again`;
  return new DomainError('conflict', 'git_locked', gitMessage(result), {
    hint,
    lockFile: file,
    gitRunning: running.code === 0,
  });
}
