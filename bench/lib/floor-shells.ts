// The shells of the terminal-echo bench's baselines, as docker exec commands in the workspace
// container: bash -l as it is, or the shell Berth runs for a terminal — a tmux session made by
// the same command line as Berth's (server/terminals/tmux-commands.ts: login shell under its sh
// wrapper, Berth's tmux.conf and PROMPT_COMMAND), attached the same way. Named berth-bench-…,
// not berth-<uuid>: Berth does not take them for its terminals.
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { attachCommand, newSessionCommand } from '../../server/terminals/tmux-commands';

const SIZE = { cols: 80, rows: 24 };

export const bashCommand = (): string[] => ['bash', '-l'];

/** Makes a tmux session as Berth makes a terminal's; resolves once the command has ended. */
export async function createTmuxSession(container: Dockerode.Container, name: string): Promise<void> {
  const exec = await container.exec({
    Cmd: newSessionCommand(name, name, new Date(), SIZE),
    User: '1000:1000',
    WorkingDir: '/workspace',
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
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new Error(`could not create the tmux session ${name} (exit ${ExitCode})`);
}

/** Attaches to a session made by createTmuxSession, as Berth attaches to a terminal's. */
export const tmuxAttachCommand = (name: string): string[] => attachCommand(name, SIZE);
