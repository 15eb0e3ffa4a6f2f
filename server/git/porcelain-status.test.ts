import { describe, expect, it } from 'vitest';
import { parsePorcelainV2 } from './porcelain-status';

const H = '587be6b4c3f93f93c489c0111bba5596147a26cb';
const rec = (...records: string[]) => records.map((record) => `${record}\0`).join('');

describe('parsePorcelainV2', () => {
  it('reads the branch headers, upstream and ahead/behind', () => {
    const status = parsePorcelainV2(
      rec(`# branch.oid ${H}`, '# branch.head main', '# branch.upstream origin/main', '# branch.ab +2 -5'),
    );
    expect(status).toMatchObject({ head: H, branch: 'main', upstream: 'origin/main', ahead: 2, behind: 5 });
    expect(status.staged).toEqual([]);
  });

  it('reads an unborn branch and a detached HEAD', () => {
    expect(parsePorcelainV2(rec('# branch.oid (initial)', '# branch.head main'))).toMatchObject({
      head: null,
      branch: 'main',
    });
    expect(parsePorcelainV2(rec(`# branch.oid ${H}`, '# branch.head (detached)')).branch).toBeNull();
  });

  it('puts a file changed in index and worktree in both groups, spaces in the path kept', () => {
    const status = parsePorcelainV2(rec(`1 MM N... 100644 100644 100644 ${H} ${H} a b  c.txt`));
    expect(status.staged).toEqual([{ path: 'a b  c.txt', kind: 'modified' }]);
    expect(status.changes).toEqual([{ path: 'a b  c.txt', kind: 'modified' }]);
  });

  it('reads a rename with its original path as the next NUL field', () => {
    const status = parsePorcelainV2(
      rec(`2 R. N... 100644 100644 100644 ${H} ${H} R100 new name`, 'old name', '? after'),
    );
    expect(status.staged).toEqual([{ path: 'new name', origPath: 'old name', kind: 'renamed' }]);
    expect(status.changes).toEqual([]);
    expect(status.untracked).toEqual(['after']);
  });

  it('reads added, deleted and type changes', () => {
    const status = parsePorcelainV2(
      rec(
        `1 A. N... 000000 100644 100644 ${H} ${H} added`,
        `1 .D N... 100644 100644 000000 ${H} ${H} gone`,
        `1 .T N... 100644 100644 120000 ${H} ${H} link`,
      ),
    );
    expect(status.staged).toEqual([{ path: 'added', kind: 'added' }]);
    expect(status.changes).toEqual([
      { path: 'gone', kind: 'deleted' },
      { path: 'link', kind: 'type-changed' },
    ]);
  });

  it('reads conflicts, a file named -rf, and a newline inside a path', () => {
    const status = parsePorcelainV2(
      rec(
        `u UU N... 100644 100644 100644 100644 ${H} ${H} ${H} -rf`,
        `u AA N... 000000 100644 100644 100644 ${H} ${H} ${H} x y`,
        '? line\nbreak',
      ),
    );
    expect(status.conflicts).toEqual([
      { path: '-rf', code: 'UU' },
      { path: 'x y', code: 'AA' },
    ]);
    expect(status.untracked).toEqual(['line\nbreak']);
    expect(status.staged).toEqual([]);
  });

  it('refuses a record it does not know rather than guessing', () => {
    expect(() => parsePorcelainV2(rec('1 MM'))).toThrow(/Unexpected git status record/);
    expect(() => parsePorcelainV2(rec('Z what'))).toThrow(/Unexpected/);
  });
});
