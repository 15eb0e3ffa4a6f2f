// Reads `git status --porcelain=v2 -z --branch` into a GitStatusDto. With -z every record ends
// in NUL and paths are raw (spaces, quotes, newlines as they are); a rename or copy record is
// followed by one more NUL-terminated field, the original path. Fields before the path are
// space-separated and fixed in number, so the path is whatever follows them.
import type { GitChangeKind, GitConflict, GitStatusDto } from '../contracts';

const KINDS: Record<string, GitChangeKind> = {
  M: 'modified',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};
const CONFLICT_CODES = new Set<GitConflict['code']>(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

/** The rest of `record` after `count` space-separated fields. */
function afterFields(record: string, count: number): { fields: string[]; rest: string } {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const space = record.indexOf(' ', at);
    if (space < 0) throw new Error(`Unexpected git status record: ${JSON.stringify(record.slice(0, 200))}`);
    fields.push(record.slice(at, space));
    at = space + 1;
  }
  return { fields, rest: record.slice(at) };
}

export function parsePorcelainV2(output: string): GitStatusDto {
  const status: GitStatusDto = {
    initialized: true,
    branch: null,
    head: null,
    upstream: null,
    ahead: 0,
    behind: 0,
    staged: [],
    changes: [],
    untracked: [],
    conflicts: [],
  };
  const records = output.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record === '') continue;
    const type = record[0];
    if (type === '#') {
      readHeader(record, status);
    } else if (type === '1' || type === '2') {
      // 1 XY sub mH mI mW hH hI path | 2 XY sub mH mI mW hH hI Xscore path \0 origPath
      const { fields, rest: path } = afterFields(record, type === '1' ? 8 : 9);
      const origPath = type === '2' ? records[++i] : undefined;
      const xy = fields[1]!;
      const staged = KINDS[xy[0]!];
      const changed = KINDS[xy[1]!];
      if (staged)
        status.staged.push(origPath !== undefined ? { path, origPath, kind: staged } : { path, kind: staged });
      // The working tree's change is against the index, where the file already has its new name.
      if (changed) status.changes.push({ path, kind: changed });
    } else if (type === 'u') {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path
      const { fields, rest: path } = afterFields(record, 10);
      const code = fields[1] as GitConflict['code'];
      if (!CONFLICT_CODES.has(code)) throw new Error(`Unexpected conflict code ${code}`);
      status.conflicts.push({ path, code });
    } else if (type === '?') {
      status.untracked.push(record.slice(2));
    } else if (type === '!') {
      // Ignored files: only listed with --ignored, which we do not ask for.
    } else {
      throw new Error(`Unexpected git status record: ${JSON.stringify(record.slice(0, 200))}`);
    }
  }
  return status;
}

function readHeader(record: string, status: GitStatusDto): void {
  const [, key, ...values] = record.split(' ');
  const value = values.join(' ');
  switch (key) {
    case 'branch.oid':
      status.head = value === '(initial)' ? null : value;
      break;
    case 'branch.head':
      status.branch = value === '(detached)' ? null : value;
      break;
    case 'branch.upstream':
      status.upstream = value;
      break;
    case 'branch.ab': {
      const match = /^\+(\d+) -(\d+)$/.exec(value);
      if (match) {
        status.ahead = Number(match[1]);
        status.behind = Number(match[2]);
      }
      break;
    }
    default:
      // Other headers (stash counts in newer git) are not needed.
      break;
  }
}
