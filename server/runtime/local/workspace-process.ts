// Starting a process of a local workspace: as the workspace's user, in its folder, with only the
// environment a workspace gets (never Berth's own, which holds its secrets), and tied to Berth's
// life: util-linux setpriv's --pdeathsig kills it if Berth dies without stopping it, as a
// container's processes cannot outlive their container.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface WorkspaceUser {
  uid: number;
  gid: number;
}

const SETPRIV = '/usr/bin/setpriv';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment every process of a workspace starts from (a container's image sets the like). */
export function workspaceEnv(workspaceDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    // The Node.js running Berth first: a workspace expects `node` and `npm`, as in the image.
    PATH: `${path.dirname(process.execPath)}:${SYSTEM_PATH}`,
    HOME: path.join(workspaceDir, '.home'),
    LANG: 'C.UTF-8',
    ...extra,
  };
}

export function spawnInWorkspace(
  command: string[],
  options: { cwd: string; env: Record<string, string>; user?: WorkspaceUser; detached: boolean; stdio: StdioOptions },
): ChildProcess {
  const [file, ...args] = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...command] : command;
  return spawn(file!, args, {
    cwd: options.cwd,
    // Exactly this environment (Next.js types make NODE_ENV required in ProcessEnv; a workspace has none).
    env: options.env as NodeJS.ProcessEnv,
    detached: options.detached,
    stdio: options.stdio,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
}
