// Agent errors as the server passes them on: disk_full as is, and an older agent's
// 'failed' + ENOSPC/EDQUOT message read as disk_full too; everything else untouched.
import { expect, it } from 'vitest';
import { fromAgentError } from './agent-error-code';

it('reads a full disk as disk_full, whichever agent answered', () => {
  expect(fromAgentError('disk_full', 'Disk full: no space left in the workspace to write a.txt')).toEqual({
    code: 'disk_full',
    message: 'Disk full: no space left in the workspace to write a.txt',
  });
  expect(fromAgentError('failed', 'ENOSPC: src/a.txt')).toEqual({
    code: 'disk_full',
    message: 'Disk full: no space left in the workspace to write src/a.txt',
  });
  expect(fromAgentError('failed', 'EDQUOT: b')).toMatchObject({ code: 'disk_full' });
  expect(fromAgentError('failed', 'EACCES: src/a.txt')).toEqual({ code: 'failed', message: 'EACCES: src/a.txt' });
  expect(fromAgentError('not_found', 'ENOSPC: looks alike')).toEqual({
    code: 'not_found',
    message: 'ENOSPC: looks alike',
  });
});
