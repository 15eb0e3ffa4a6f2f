// The command line's grammar: node:util parseArgs (no package needed for six commands and four
// options), then each command's positionals and options checked into one typed command.
import { parseArgs } from 'node:util';
import { CONFLICT_STRATEGIES, type ConflictStrategy, type SyncMode } from '../contracts/sync';

export type CliCommand =
  | { kind: 'help'; topic?: string }
  | { kind: 'version' }
  | { kind: 'login'; url: string; token?: string }
  | { kind: 'projects'; url?: string }
  | { kind: 'clone'; project: string; dir?: string; url?: string }
  | { kind: 'sync'; dir?: string; mode: SyncMode; onConflict: ConflictStrategy }
  | { kind: 'watch'; dir?: string; onConflict: ConflictStrategy }
  | { kind: 'status'; dir?: string };

export class UsageError extends Error {}

const MODES: Record<string, SyncMode> = { up: 'upload', down: 'download', both: 'both' };

export const HELP = `berth — keep a local folder in step with a project on a Berth

Usage:
  berth login <url> [--token <token>]   sign in (without --token: approve in the browser)
  berth projects [--url <url>]          list your projects on that Berth
  berth clone <project> [dir]           copy a project (id or exact name) into a new folder
  berth sync [dir] [--mode up|down|both] [--on-conflict local|remote|merge|ask]
                                        sync the folder with its project (default: both, ask)
  berth watch [dir] [--on-conflict …]   sync both ways continuously until Ctrl-C
  berth status [dir]                    changes on each side since the last sync

The folder keeps its state in <dir>/.berth/ (never synced). Files follow the same ignore rules as
Berth's snapshots: .gitignore, .berthignore, node_modules, build output, .env.

Conflicts (a file changed on both sides):
  local    this folder's version wins        remote   the Berth's version wins
  merge    three-way text merge; overlaps get <<<<<<< markers, binaries keep both
  ask      nothing changes for those files; they are listed (sync again with another choice)

Credentials: $XDG_CONFIG_HOME/berth/credentials.json (default ~/.config/berth), mode 0600.`;

function strategyOf(value: string | undefined): ConflictStrategy {
  if (value === undefined) return 'ask';
  const strategy = CONFLICT_STRATEGIES.find((candidate) => candidate === value);
  if (!strategy) throw new UsageError(`--on-conflict must be one of ${CONFLICT_STRATEGIES.join(', ')}`);
  return strategy;
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
    clone: ['url'],
    sync: ['mode', 'on-conflict'],
    watch: ['on-conflict'],
    status: [],
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
      return { kind: 'clone', project: rest[0], dir: rest[1], url: values.url };
    case 'sync': {
      atMost(rest, 1, name);
      const mode = values.mode === undefined ? 'both' : MODES[values.mode];
      if (!mode) throw new UsageError('--mode must be up, down or both');
      return { kind: 'sync', dir: rest[0], mode, onConflict: strategyOf(values['on-conflict']) };
    }
    case 'watch':
      atMost(rest, 1, name);
      return { kind: 'watch', dir: rest[0], onConflict: strategyOf(values['on-conflict']) };
    default:
      atMost(rest, 1, name);
      return { kind: 'status', dir: rest[0] };
  }
}
