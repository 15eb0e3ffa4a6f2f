// Who may reach a private deployment (issue 14): its host is another site than the IDE, so the
// IDE's session cookie is not there. The owner opens it through GET …/environments/:env/open on
// the IDE's origin, which hands over a short-lived token bound to (host label, user, the caller's
// Berth session); the deployment host trades it once for a cookie of its own
// (host-only, HttpOnly, SameSite=Lax), bound to the same three, that expires. Both are sealed with
// SecretBox (AES-GCM under a key of their own derived from AUTH_SECRET): nobody can make or alter
// one, and one made for a label is refused on any other. Each use asks whether the Berth session
// still lives, through SessionService's cached check: signing out, "sign out everywhere" or a
// password change close the deployment within the cache's life (seconds). A personal access
// token is no session: the hand-off is refused to bearer callers (deploy-environments.ts).
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../core/secret-box';

/** Who opened the deployment: a user in one of their Berth sessions (auth's session Principal). */
export interface AccessHolder {
  userId: string;
  sessionId: string;
}

/** Whether that session still counts (SessionService.isLive: cached for a moment, then asked). */
export type HolderCheck = (holder: AccessHolder) => Promise<boolean>;

/** The SecretBox label of access tokens and cookies (a key apart from every other purpose's). */
export const DEPLOY_ACCESS_PURPOSE = 'berth/deploy/access/v1';
/** The deployment host's cookie; stripped before a request reaches the app. */
export const DEPLOY_ACCESS_COOKIE = '__berth_deploy_access';
const TOKEN_TTL_MS = 60_000;
const COOKIE_TTL_MS = 12 * 60 * 60_000;

interface Sealed {
  /** t = hand-off token, c = cookie: one never passes for the other. */
  k: 't' | 'c';
  label: string;
  userId: string;
  /** The Berth session it was handed to: it counts while that one lives. */
  s?: string;
  exp: number;
  /** The token's nonce (single use). */
  n?: string;
}

export class DeploymentAccess {
  /** Tokens already traded, until they expire: a token works once. */
  private readonly used = new Map<string, number>();

  constructor(
    private readonly box: SecretBox,
    private readonly stillValid: HolderCheck,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hand-off token for the owner (`holder`) of the deployment at `label`. */
  token(label: string, holder: AccessHolder): string {
    return this.seal({
      k: 't',
      label,
      ...sealedHolder(holder),
      exp: this.now() + TOKEN_TTL_MS,
      n: randomBytes(9).toString('base64url'),
    });
  }

  /** Trades a token for the cookie's value: null when it is not a live token for this label, expired or used. */
  async redeem(
    token: string,
    label: string,
  ): Promise<{ userId: string; cookie: string; maxAgeSeconds: number } | null> {
    const opened = this.open(token, 't', label);
    const holder = opened && holderOf(opened);
    if (!opened?.n || !holder) return null;
    this.forgetExpired();
    if (this.used.has(opened.n)) return null;
    this.used.set(opened.n, opened.exp);
    if (!(await this.stillValid(holder))) return null;
    const cookie = this.seal({ k: 'c', label, ...sealedHolder(holder), exp: this.now() + COOKIE_TTL_MS });
    return { userId: holder.userId, cookie, maxAgeSeconds: COOKIE_TTL_MS / 1000 };
  }

  /** The user a request's Cookie header proves for `label` while their Berth session lives, or null. */
  async userOf(cookieHeader: string | undefined, label: string): Promise<string | null> {
    const value = cookieValue(cookieHeader, DEPLOY_ACCESS_COOKIE);
    const opened = value ? this.open(value, 'c', label) : null;
    const holder = opened && holderOf(opened);
    if (!holder) return null;
    return (await this.stillValid(holder)) ? holder.userId : null;
  }

  /** The Set-Cookie line for the cookie (host-only: no Domain). */
  setCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
    return `${DEPLOY_ACCESS_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  }

  private seal(value: Sealed): string {
    return this.box.seal(JSON.stringify(value));
  }

  private open(sealed: string, kind: Sealed['k'], label: string): Sealed | null {
    let value: Sealed;
    try {
      value = JSON.parse(this.box.open(sealed)) as Sealed;
    } catch {
      return null;
    }
    if (value.k !== kind || value.label !== label || typeof value.userId !== 'string') return null;
    return typeof value.exp === 'number' && value.exp > this.now() ? value : null;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [nonce, exp] of this.used) if (exp <= now) this.used.delete(nonce);
  }
}

function sealedHolder(holder: AccessHolder): Pick<Sealed, 'userId' | 's'> {
  return { userId: holder.userId, s: holder.sessionId };
}

/** The holder a sealed value names; none for one bound to no session. */
function holderOf(value: Sealed): AccessHolder | null {
  return typeof value.s === 'string' ? { userId: value.userId, sessionId: value.s } : null;
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
