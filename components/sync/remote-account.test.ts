import { describe, expect, it } from 'vitest';
import type { RemoteDto } from '@/server/contracts';
import { accountText } from './remote-account';

const remote = (over: Partial<RemoteDto>): RemoteDto => ({
  id: 'r1',
  name: 'team',
  url: 'https://team.example',
  tokenMasked: 'berth_pat_AbCd••••wxyz',
  createdAt: '2026-01-01T00:00:00.000Z',
  account: null,
  lastCheckedAt: null,
  error: null,
  ...over,
});

describe('accountText', () => {
  it("says whom the token signs in as and how many projects it reaches, or the check's failure", () => {
    expect(accountText(remote({ account: { email: 'ada@example.test', name: 'Ada', projects: 12 } }))).toEqual({
      ok: true,
      text: 'signed in as ada@example.test · 12 projects',
    });
    expect(accountText(remote({ account: { email: null, name: 'Ada', projects: 1 } })).text).toBe(
      'signed in as Ada · 1 project',
    );
    expect(
      accountText(
        remote({ account: { email: 'a@b', name: null, projects: 1 }, error: 'team refused the token: revoked' }),
      ),
    ).toEqual({ ok: false, text: 'team refused the token: revoked' });
  });
});
