// The command line's grammar: node:util parseArgs (no package needed for seven commands and five
// options), then each command's positionals and options checked into one typed command.
import { parseArgs } from 'node:util';
import { CONFLICT_STRATEGIES, type ConflictStrategy, type SyncMode } from '../contracts/sync';
import { isBackupId } from './folder-backups';

export type CliCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'login'; url: string; token?: string }
  | { kind: 'projects'; url?: string }
  | { kind: 'clone'; project: string; dir?: string; url?: string; mode?: SyncMode; onConflict?: ConflictStrategy }
  | { kind: 'sync'; dir?: string; mode: SyncMode; onConflict: ConflictStrategy }
  | { kind: 'watch'; dir?: string; onConflict: ConflictStrategy }
  | { kind: 'status'; dir?: string }
  | { kind: 'undo'; dir?: string; list: boolean; backupId?: string };

export class UsageError extends Error {}

const MODES: Record<string, SyncMode> = { up: 'upload', down: 'download', both: 'both' };

export const HELP = `berth — keep a local folder in step with a project on a Berth

Usage:
  berth login <url> [--token <token>]   sign in (without --token: approve in the browser)
  berth projects [--url <url>]          list your projects on that Berth
  berth clone <project> [dir] [--mode up|down|both] [--on-conflict …]
                                        copy a project (id or exact name) into a new folder, or
                                        connect a folder that already has files (default: down, ask)
  berth sync [dir] [--mode up|down|both] [--on-conflict local|remote|merge|ask]
                                        sync the folder with its project (default: both, ask)
  berth watch [dir] [--on-conflict …]   sync both ways continuously until Ctrl-C
  berth status [dir]                    changes on each side since the last sync
  berth undo [dir] [--list] [<backup>]  put the folder back to how it was before the last sync
                                        (or that backup); --list shows the last 10

The folder keeps its state in <dir>/.berth/ (never synced). Files follow the same ignore rules as
Berth's snapshots: .gitignore, .berthignore, node_modules, build output, .env.

Conflicts (a file changed on both sides):
  local    this folder's version wins        remote   the Berth's version wins
  merge    three-way text merge; overlaps get <<<<<<< markers, binaries keep both
  ask      nothing changes for those files; they are listed (sync again with another choice)

Every sync that changes the folder first keeps what it overwrites or deletes (.berth/backups/):
berth undo puts those files back and removes the ones it created, except files changed since.
It changes only the folder: the Berth keeps its own "before sync with …" snapshot in History.

Cloning into a folder that already has files connects it: identical files agree, files only on the
Berth are copied here, files only here stay here (--mode both or up uploads them), and files that
differ are conflicts (--on-conflict, default ask).

Credentials: $XDG_CONFIG_HOME/berth/credentials.json (default ~/.config/berth), mode 0600.`;

function strategyOf(value: string | undefined): ConflictStrategy;
function strategyOf(value: string | undefined, fallback: null): ConflictStrategy | undefined;
function strategyOf(
  value: string | undefined,
  fallback: ConflictStrategy | null = 'ask',
): ConflictStrategy | undefined {
  if (value === undefined) return fallback ?? undefined;
  const strategy = CONFLICT_STRATEGIES.find((candidate) => candidate === value);
  if (!strategy) throw new UsageError(`--on-conflict must be one of ${CONFLICT_STRATEGIES.join(', ')}`);
  return strategy;
}

function modeOf(value: string | undefined, fallback: SyncMode): SyncMode;
function modeOf(value: string | undefined, fallback: null): SyncMode | undefined;
function modeOf(value: string | undefined, fallback: SyncMode | null): SyncMode | undefined {
  if (value === undefined) return fallback ?? undefined;
  const mode = MODES[value];
  if (!mode) throw new UsageError('--mode must be up, down or both');
  return mode;
}

/** `berth undo [dir] [<backupId>]`: one argument is the backup when it reads as a backup id, else the folder. */
function undoOf(rest: string[], list: boolean): CliCommand {
  atMost(rest, 2, 'undo');
  const [first, second] = rest;
  let dir: string | undefined;
  let backupId: string | undefined;
  if (second !== undefined) [dir, backupId] = [first, second];
  else if (first !== undefined && isBackupId(first)) backupId = first;
  else dir = first;
  if (backupId !== undefined && !isBackupId(backupId))
    throw new UsageError(`${backupId} is not a backup id (berth undo --list shows them)`);
  if (list && backupId !== undefined) throw new UsageError('berth undo --list takes no backup id');
  return { kind: 'undo', dir, list, backupId };
}

function atMost(positionals: string[], count: number, command: string): void {
  if (positionals.length > count) throw new UsageError(`Too many arguments for berth ${command}`);
}

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        token: { type: 'string' },
        url: { type: 'string' },
        mode: { type: 'string' },
        'on-conflict': { type: 'string' },
        list: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.version) return { kind: 'version' };
  if (values.help || name === undefined || name === 'help')
    return { kind: 'help', topic: name === 'help' ? rest[0] : name };
  const allowed: Record<string, readonly string[]> = {
    login: ['token'],
    projects: ['url'],
    clone: ['url', 'mode', 'on-conflict'],
    sync: ['mode', 'on-conflict'],
    watch: ['on-conflict'],
    status: [],
    undo: ['list'],
  };
  const options = allowed[name];
  if (!options) throw new UsageError(`Unknown command: ${name}`);
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && !options.includes(key)) throw new UsageError(`berth ${name} takes no --${key}`);

  switch (name) {
    case 'login': {
      atMost(rest, 1, name);
      if (!rest[0]) throw new UsageError('berth login needs the Berth URL, e.g. berth login https://berth.example.com');
      if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token is empty');
      return { kind: 'login', url: rest[0], token: values.token?.trim() };
    }
    case 'projects':
      atMost(rest, 0, name);
      return { kind: 'projects', url: values.url };
    case 'clone':
      atMost(rest, 2, name);
      if (!rest[0]) throw new UsageError('berth clone needs a project (its id or exact name)');
      return {
        kind: 'clone',
        project: rest[0],
        dir: rest[1],
        url: values.url,
        mode: modeOf(values.mode, null),
        onConflict: strategyOf(values['on-conflict'], null),
      };
    case 'sync':
      atMost(rest, 1, name);
      return {
        kind: 'sync',
        dir: rest[0],
        mode: modeOf(values.mode, 'both'),
        onConflict: strategyOf(values['on-conflict']),
      };
    case 'undo':
      return undoOf(rest, values.list === true);
    case 'watch':
      atMost(rest, 1, name);
      return { kind: 'watch', dir: rest[0], onConflict: strategyOf(values['on-conflict']) };
    default:
      atMost(rest, 1, name);
      return { kind: 'status', dir: rest[0] };
  }
}
