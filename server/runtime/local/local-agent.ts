// The workspace agent of a local workspace: the real agent (server/agent), run as a Node process
// against the workspace's folder instead of /workspace, on a loopback port of its own. Ready when
// it says it listens (its own log line), not after a guessed delay.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { AgentEndpoint } from '../runtime-driver';
import { spawnInWorkspace, workspaceEnv, type WorkspaceUser } from './workspace-process';

const READY_TIMEOUT_MS = 15_000;
const READY_LINE = '"msg":"berth agent listening"';
// Another process may take the free port between our probe and the agent's listen: try again.
const PORT_ATTEMPTS = 3;

export interface LocalAgent {
  process: ChildProcess;
  endpoint: AgentEndpoint;
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startLocalAgent(options: {
  command: string[];
  workspaceDir: string;
  user?: WorkspaceUser;
}): Promise<LocalAgent> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(
  { command, workspaceDir, user }: { command: string[]; workspaceDir: string; user?: WorkspaceUser },
  port: number,
): Promise<LocalAgent> {
  const secret = randomBytes(24).toString('hex');
  const child = spawnInWorkspace(command, {
    cwd: workspaceDir,
    env: workspaceEnv(workspaceDir, {
      BERTH_AGENT_SECRET: secret,
      BERTH_AGENT_PORT: String(port),
      BERTH_WORKSPACE_ROOT: workspaceDir,
      BERTH_AGENT_HOST: '127.0.0.1',
    }),
    user,
    detached: false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`the agent did not listen within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      log = (log + chunk).slice(-4000);
      if (log.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      fail(new Error(`the agent exited before listening (${signal ?? `code ${code}`}): ${log.trim().slice(-1000)}`)),
    );
  });
  // Keep reading its log (a full pipe would block it); nobody needs it afterwards.
  child.stdout!.resume();
  child.stderr!.resume();
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  child.on('error', () => undefined);
  return { process: child, endpoint: { url: `http://127.0.0.1:${port}`, secret } };
}
