// The shells of the terminal-echo bench's baselines, as docker exec commands in the workspace
// container: bash -l as it is, or bash -l in a tmux session of the workspace's tmux server with
// Berth's tmux.conf (Berth's terminals run so). Sessions not named berth-<uuid>: Berth does not
// take them for its terminals.
import { TMUX } from '../../server/terminals/tmux-commands';

const SIZE = { cols: 80, rows: 24 };

export const bashCommand = (): string[] => ['bash', '-l'];

/** Creates the session at the first attach (new-session -A), sized like Berth's attach. */
export const tmuxCommand = (session: string): string[] => [
  'sh',
  '-c',
  `stty cols ${SIZE.cols} rows ${SIZE.rows}; exec "$@"`,
  'sh',
  ...TMUX,
  '-f',
  '/opt/berth/tmux.conf',
  'new-session',
  '-A',
  '-s',
  session,
  '-x',
  String(SIZE.cols),
  '-y',
  String(SIZE.rows),
  '-c',
  '/workspace',
  'bash -l',
];
