import { describe, expect, it } from 'vitest';
import { SecretBox } from '../core/secret-box';
import { cookieValue, DEPLOY_ACCESS_COOKIE, DEPLOY_ACCESS_PURPOSE, DeploymentAccess } from './deployment-access';

const LABEL = 'd-cmabc123-production';

function access(now = { t: 1_000_000 }, secret = 'a-secret-of-at-least-32-characters-long') {
  return { now, access: new DeploymentAccess(new SecretBox(secret, DEPLOY_ACCESS_PURPOSE), () => now.t) };
}

describe('DeploymentAccess', () => {
  it('trades a token once for a cookie that proves the user on that label only', () => {
    const { access: a } = access();
    const token = a.token(LABEL, 'alice');
    const traded = a.redeem(token, LABEL)!;
    expect(traded.userId).toBe('alice');
    expect(traded.maxAgeSeconds).toBe(12 * 3600);
    expect(a.redeem(token, LABEL)).toBeNull();
    const header = `theme=dark; ${DEPLOY_ACCESS_COOKIE}=${traded.cookie}`;
    expect(a.userOf(header, LABEL)).toBe('alice');
    expect(a.userOf(header, 'd-cmabc123-staging')).toBeNull();
    expect(a.userOf('theme=dark', LABEL)).toBeNull();
  });

  it('refuses a token for another label, an expired one, a cookie as a token and an altered one', () => {
    const { access: a, now } = access();
    expect(a.redeem(a.token(LABEL, 'alice'), 'd-other-production')).toBeNull();
    const late = a.token(LABEL, 'alice');
    now.t += 61_000;
    expect(a.redeem(late, LABEL)).toBeNull();
    const cookie = a.redeem(a.token(LABEL, 'alice'), LABEL)!.cookie;
    expect(a.redeem(cookie, LABEL)).toBeNull();
    expect(a.userOf(`${DEPLOY_ACCESS_COOKIE}=${a.token(LABEL, 'alice')}`, LABEL)).toBeNull();
    expect(a.userOf(`${DEPLOY_ACCESS_COOKIE}=${cookie.slice(0, -3)}abc`, LABEL)).toBeNull();
  });

  it('expires the cookie after 12 hours, and one sealed under another secret never opens', () => {
    const { access: a, now } = access();
    const cookie = a.redeem(a.token(LABEL, 'alice'), LABEL)!.cookie;
    const { access: other } = access(now, 'another-secret-of-at-least-32-characters');
    expect(other.userOf(`${DEPLOY_ACCESS_COOKIE}=${cookie}`, LABEL)).toBeNull();
    now.t += 12 * 3600_000 + 1;
    expect(a.userOf(`${DEPLOY_ACCESS_COOKIE}=${cookie}`, LABEL)).toBeNull();
  });

  it('writes a host-only, HttpOnly, SameSite=Lax cookie, Secure on https', () => {
    const { access: a } = access();
    const line = a.setCookie('v', 60, true);
    expect(line).toBe(`${DEPLOY_ACCESS_COOKIE}=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure`);
    expect(a.setCookie('v', 60, false)).not.toMatch(/Secure|Domain/);
  });

  it('reads one cookie from a header', () => {
    expect(cookieValue('a=1; b=2=3; c', 'b')).toBe('2=3');
    expect(cookieValue(undefined, 'b')).toBeUndefined();
  });
});
