// An agent's error (code + message) as the server passes it on, with one correction: agents
// built before disk_full existed (still running in workspaces started before an upgrade)
// answer a full disk as {code:'failed', message:'ENOSPC: <path>'}; that is disk_full (507) too.
import type { AgentFileErrorCode } from '../contracts';

const DISK_FULL_ERRNO = /^(?:ENOSPC|EDQUOT): /;

export function fromAgentError(code: string, message: string): { code: string; message: string } {
  if (code !== 'failed' || !DISK_FULL_ERRNO.test(message)) return { code, message };
  const diskFull: AgentFileErrorCode = 'disk_full';
  return {
    code: diskFull,
    message: `Disk full: no space left in the workspace to write ${message.replace(DISK_FULL_ERRNO, '')}`,
  };
}
