// Runs a short command in a workspace (no tty) and collects its output and exit code: the
// tmux commands around a terminal (create, list, capture, kill) are such one-offs.
import type { RuntimeDriver } from '../runtime';

const COMMAND_TIMEOUT_MS = 10_000;

export interface CommandResult {
  /** null when the exit code is unknown (the container went away). */
  code: number | null;
  output: string;
}

export async function runCommand(driver: RuntimeDriver, projectId: string, command: string[]): Promise<CommandResult> {
  const exec = await driver.exec(projectId, command, { tty: false });
  const chunks: Buffer[] = [];
  exec.onData((chunk) => chunks.push(chunk));
  const code = await new Promise<number | null>((resolve) => {
    // A command that hangs (an engine hiccup) must not hold a terminal operation forever.
    const timer = setTimeout(() => {
      exec.close();
      resolve(null);
    }, COMMAND_TIMEOUT_MS);
    exec.onExit((exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output: Buffer.concat(chunks).toString('utf8') };
}
