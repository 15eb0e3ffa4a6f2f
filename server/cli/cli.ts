// Runs one `berth` command: parse, dispatch, and turn failures into a message and an exit status
// (0 done, 1 failed, 2 bad usage, 3 synced but conflicts wait for an answer).
import { ManifestRefusedError } from '../sync/core/manifest-checks';
import { PeerRefusedError } from '../sync/core/sync-peer';
import { HELP, parseCli, UsageError, type CliCommand } from './args';
import type { CliIo } from './cli-io';

export const CLI_VERSION = '0.1.0';

/** Each command's code is loaded when it runs: a start-up initialises only what that command needs. */
async function dispatch(command: CliCommand, io: CliIo, signal: AbortSignal): Promise<number> {
  switch (command.kind) {
    case 'help':
      io.out(HELP);
      return 0;
    case 'version':
      io.out(`berth ${CLI_VERSION}`);
      return 0;
    case 'login':
      return (await import('./commands/login')).login(command, io, signal);
    case 'projects':
      return (await import('./commands/projects')).projects(command, io);
    case 'clone':
      return (await import('./commands/clone')).clone(command, io, signal);
    case 'sync':
      return (await import('./commands/sync')).sync(command, io, signal);
    case 'watch':
      return (await import('./commands/watch')).watch(command, io, signal);
    case 'status':
      return (await import('./commands/status')).status(command, io);
    case 'undo':
      return (await import('./commands/undo')).undo(command, io);
  }
}

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  signal: AbortSignal,
  platform: NodeJS.Platform = process.platform,
): Promise<number> {
  // Windows paths (backslashes, drive letters, reserved names, `:` streams) are not checked yet:
  // a path from a Berth could land outside the folder there.
  if (platform === 'win32') {
    io.err('berth: Windows is not supported yet; use WSL');
    return 1;
  }
  let command: CliCommand;
  try {
    command = parseCli(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`berth: ${error.message}`);
    io.err('Run berth --help for the commands.');
    return 2;
  }
  try {
    return await dispatch(command, io, signal);
  } catch (error) {
    if (signal.aborted) return 130;
    if (error instanceof PeerRefusedError) {
      io.err(`berth: the Berth refused the token (${error.message}); sign in again with berth login <url>`);
      return 1;
    }
    if (error instanceof ManifestRefusedError) {
      io.err(`berth: ${error.message}; nothing was changed`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    io.err(`berth: ${message}${cause}`);
    return 1;
  }
}
