import { describe, expect, it } from 'vitest';
import { SecretBox } from '../core/secret-box';
import {
  cookieValue,
  DEPLOY_ACCESS_COOKIE,
  DEPLOY_ACCESS_PURPOSE,
  DeploymentAccess,
  type AccessHolder,
} from './deployment-access';

const LABEL = 'd-cmabc123-production';
const ALICE: AccessHolder = { userId: 'alice', sessionId: 'session-a1' };

function access(now = { t: 1_000_000 }, secret = 'a-secret-of-at-least-32-characters-long') {
  /** Sessions that ended (signed out); the check sees every holder it is asked about. */
  const ended = new Set<string>();
  const asked: AccessHolder[] = [];
  const stillValid = async (holder: AccessHolder) => {
    asked.push(holder);
    return !ended.has(holder.sessionId);
  };
  return {
    now,
    ended,
    asked,
    access: new DeploymentAccess(new SecretBox(secret, DEPLOY_ACCESS_PURPOSE), stillValid, () => now.t),
  };
}

describe('DeploymentAccess', () => {
  it('trades a token once for a cookie that proves the user on that label only', async () => {
    const { access: a } = access();
    const token = a.token(LABEL, ALICE);
    const traded = (await a.redeem(token, LABEL))!;
    expect(traded.userId).toBe('alice');
    expect(traded.maxAgeSeconds).toBe(12 * 3600);
    expect(await a.redeem(token, LABEL)).toBeNull();
    const header = `theme=dark; ${DEPLOY_ACCESS_COOKIE}=${traded.cookie}`;
    expect(await a.userOf(header, LABEL)).toBe('alice');
    expect(await a.userOf(header, 'd-cmabc123-staging')).toBeNull();
    expect(await a.userOf('theme=dark', LABEL)).toBeNull();
  });

  it('seals the session into token and cookie: both stop counting once that session ends', async () => {
    const { access: a, ended, asked } = access();
    const cookie = (await a.redeem(a.token(LABEL, ALICE), LABEL))!.cookie;
    const header = `${DEPLOY_ACCESS_COOKIE}=${cookie}`;
    expect(await a.userOf(header, LABEL)).toBe('alice');
    expect(asked.at(-1)).toEqual(ALICE);
    // Another session of the same user ending changes nothing.
    ended.add('session-a2');
    expect(await a.userOf(header, LABEL)).toBe('alice');
    ended.add(ALICE.sessionId);
    expect(await a.userOf(header, LABEL)).toBeNull();
    // A token handed out in a session that ended meanwhile is no longer traded.
    expect(await a.redeem(a.token(LABEL, ALICE), LABEL)).toBeNull();
    // The session id is inside the seal, not readable next to it.
    expect(cookie).not.toContain(ALICE.sessionId);
  });

  it('refuses a token for another label, an expired one, a cookie as a token and an altered one', async () => {
    const { access: a, now } = access();
    expect(await a.redeem(a.token(LABEL, ALICE), 'd-other-production')).toBeNull();
    const late = a.token(LABEL, ALICE);
    now.t += 61_000;
    expect(await a.redeem(late, LABEL)).toBeNull();
    const cookie = (await a.redeem(a.token(LABEL, ALICE), LABEL))!.cookie;
    expect(await a.redeem(cookie, LABEL)).toBeNull();
    expect(await a.userOf(`${DEPLOY_ACCESS_COOKIE}=${a.token(LABEL, ALICE)}`, LABEL)).toBeNull();
    expect(await a.userOf(`${DEPLOY_ACCESS_COOKIE}=${cookie.slice(0, -3)}abc`, LABEL)).toBeNull();
  });

  it('refuses a cookie sealed without a session (as made before sessions were bound)', async () => {
    const box = new SecretBox('a-secret-of-at-least-32-characters-long', DEPLOY_ACCESS_PURPOSE);
    const { access: a, now } = access();
    const unbound = box.seal(JSON.stringify({ k: 'c', label: LABEL, userId: 'alice', exp: now.t + 60_000 }));
    expect(await a.userOf(`${DEPLOY_ACCESS_COOKIE}=${unbound}`, LABEL)).toBeNull();
  });

  it('expires the cookie after 12 hours, and one sealed under another secret never opens', async () => {
    const { access: a, now } = access();
    const cookie = (await a.redeem(a.token(LABEL, ALICE), LABEL))!.cookie;
    const { access: other } = access(now, 'another-secret-of-at-least-32-characters');
    expect(await other.userOf(`${DEPLOY_ACCESS_COOKIE}=${cookie}`, LABEL)).toBeNull();
    now.t += 12 * 3600_000 + 1;
    expect(await a.userOf(`${DEPLOY_ACCESS_COOKIE}=${cookie}`, LABEL)).toBeNull();
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
