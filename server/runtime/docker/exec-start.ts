// Starts a `docker exec` in a workspace and wraps it as a DockerExecSession. Each exec carries
// a session id in its environment so close() can find and signal exactly its processes:
// Docker does not end exec'd processes when the attach connection closes.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Container } from 'dockerode';
import type { Logger } from '../../core/logger';
import { WorkspaceNotRunningError, type ExecOptions } from '../runtime-driver';
import { engineError, statusOf } from './docker-errors';
import { DockerExecSession } from './exec-session';

const SESSION_ENV = 'BERTH_EXEC_SESSION';

export interface StartExecInput {
  container: Container;
  projectId: string;
  command: string[];
  options: ExecOptions;
  user: string;
  workingDir: string;
  log: Logger;
  onDidEnd: (session: DockerExecSession) => void;
}

const notRunning = (error: unknown) => [404, 409, 500].includes(statusOf(error) ?? 0);

export async function startExec(input: StartExecInput): Promise<DockerExecSession> {
  const { container, projectId, command, options, user, workingDir, log } = input;
  const sessionId = randomBytes(12).toString('hex');
  const env = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`);
  // The agent's secret is in the container's env; shells have no use for it.
  env.push('BERTH_AGENT_SECRET=', `${SESSION_ENV}=${sessionId}`);
  let stream: Duplex;
  let exec;
  try {
    exec = await container.exec({
      Cmd: command,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
      User: user,
      WorkingDir: workingDir,
      Env: env,
    });
    stream = (await exec.start({ hijack: true, stdin: true, Tty: options.tty })) as Duplex;
  } catch (error) {
    if (notRunning(error)) throw new WorkspaceNotRunningError(projectId);
    throw engineError(error);
  }
  const session: DockerExecSession = new DockerExecSession({
    exec,
    stream,
    tty: options.tty,
    log,
    signal: (signal) => signalSession(container, sessionId, signal),
    onDidEnd: () => input.onDidEnd(session),
  });
  if (options.tty && options.cols && options.rows) await session.resize(options.cols, options.rows);
  return session;
}

/** Sends a signal to every process whose environment holds this session's id. */
async function signalSession(container: Container, sessionId: string, signal: 'HUP' | 'KILL'): Promise<void> {
  const script = `for f in $(grep -lzx '${SESSION_ENV}=${sessionId}' /proc/[0-9]*/environ 2>/dev/null); do p=\${f#/proc/}; kill -${signal} \${p%/environ} 2>/dev/null; done; true`;
  const exec = await container.exec({
    Cmd: ['sh', '-c', script],
    User: '1000:1000',
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
    stream.resume();
  });
}
