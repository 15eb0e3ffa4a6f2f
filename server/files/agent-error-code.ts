// An agent's error (code + message) as the server passes it on, with one correction: agents
// built before disk_full existed (still running in workspaces started before an upgrade)
// answer a full disk as {code:'failed', message:'ENOSPC: <path>'}; that is disk_full (507) too.
// And the kind of refusal each of the agent contract's codes is (the HTTP adapter turns the kind
// back into the status AGENT_FILE_ERROR_STATUS names; error-status.test.ts holds them equal).
import type { AgentFileErrorCode } from '../contracts';
import type { ErrorKind } from '../core/errors';

const DISK_FULL_ERRNO = /^(?:ENOSPC|EDQUOT): /;

export function fromAgentError(code: string, message: string): { code: string; message: string } {
  if (code !== 'failed' || !DISK_FULL_ERRNO.test(message)) return { code, message };
  const diskFull: AgentFileErrorCode = 'disk_full';
  return {
    code: diskFull,
    message: `Disk full: no space left in the workspace to write ${message.replace(DISK_FULL_ERRNO, '')}`,
  };
}

export const AGENT_ERROR_KIND: Record<AgentFileErrorCode, ErrorKind> = {
  bad_path: 'bad_request',
  not_a_file: 'bad_request',
  not_a_dir: 'bad_request',
  not_found: 'not_found',
  exists: 'conflict',
  conflict: 'precondition_failed',
  too_large: 'too_large',
  disk_full: 'disk_full',
  failed: 'internal',
};

/** The kind of one of the agent contract's codes; undefined for a code outside the contract. */
export function agentErrorKind(code: string): ErrorKind | undefined {
  return Object.hasOwn(AGENT_ERROR_KIND, code) ? AGENT_ERROR_KIND[code as AgentFileErrorCode] : undefined;
}
