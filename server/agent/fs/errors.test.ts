// errno → contract codes: a full disk (or quota) is disk_full, answered as HTTP 507.
import { expect, it } from 'vitest';
import { AGENT_FILE_ERROR_STATUS } from '../../contracts/agent';
import { toFsError } from './errors';

it('maps ENOSPC and EDQUOT to disk_full (507) with a clear message and no absolute path', () => {
  for (const errno of ['ENOSPC', 'EDQUOT']) {
    const error = toFsError(
      Object.assign(new Error(`${errno}: no space left on device, write '/workspace/src/a.txt'`), { code: errno }),
      'src/a.txt',
    );
    expect(error.code).toBe('disk_full');
    expect(error.message).toBe('Disk full: no space left in the workspace to write src/a.txt');
  }
  expect(AGENT_FILE_ERROR_STATUS.disk_full).toBe(507);
  expect(toFsError(Object.assign(new Error('x'), { code: 'EACCES' }), 'a').code).toBe('failed');
});
