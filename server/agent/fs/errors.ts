// File errors with the contract's codes (AGENT_FILE_ERROR_STATUS); Node's errno codes are
// mapped here so nothing else has to know them.
import type { AgentFileErrorCode } from '../../contracts/agent';

export class FsError extends Error {
  constructor(
    readonly code: AgentFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const ERRNO_CODES: Record<string, AgentFileErrorCode> = {
  ENOENT: 'not_found',
  ENOTDIR: 'not_found',
  EEXIST: 'exists',
  ENOTEMPTY: 'exists',
  EISDIR: 'not_a_file',
  ELOOP: 'bad_path',
  ENAMETOOLONG: 'bad_path',
  EINVAL: 'bad_path',
  // Disk full or the user's quota used up: the save failed, the previous content is whole.
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
};

/** Any thrown value as an FsError; the message never carries absolute paths of the container. */
export function toFsError(error: unknown, relativePath = ''): FsError {
  if (error instanceof FsError) return error;
  const errno = (error as { code?: unknown } | null)?.code;
  const code = typeof errno === 'string' ? ERRNO_CODES[errno] : undefined;
  if (code === 'disk_full')
    return new FsError(code, `Disk full: no space left in the workspace to write ${relativePath || '(root)'}`);
  if (code) return new FsError(code, `${describe(code)}: ${relativePath || '(root)'}`);
  // Other errno failures (EACCES, EIO…): Node's message names the absolute path; ours does not.
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno))
    return new FsError('failed', `${errno}: ${relativePath || '(root)'}`);
  return new FsError('failed', error instanceof Error ? error.message : String(error));
}

function describe(code: AgentFileErrorCode): string {
  switch (code) {
    case 'not_found':
      return 'No such file or folder';
    case 'exists':
      return 'Already exists';
    case 'not_a_file':
      return 'Not a file';
    case 'not_a_dir':
      return 'Not a folder';
    case 'bad_path':
      return 'Path refused';
    default:
      return code;
  }
}
