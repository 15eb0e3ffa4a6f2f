// Who is calling: a bearer personal access token, or else the next-auth session cookie —
// which counts only while its Session row lives (signing out ends it).
import type { IncomingHttpHeaders } from 'node:http';
import { sessionFromCookie } from './session-cookie';
import type { SessionService } from './session-service';
import type { TokenService } from './token-service';

export type Principal =
  { userId: string; via: 'session'; sessionId: string } | { userId: string; via: 'token'; tokenId: string };

export class RequestAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly secret: string,
    private readonly secureCookies: boolean,
  ) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | null> {
    const bearer = bearerToken(headers.authorization);
    if (bearer !== undefined) {
      const token = await this.tokens.authenticate(bearer);
      return token ? { userId: token.userId, via: 'token', tokenId: token.tokenId } : null;
    }
    const claims = await sessionFromCookie(headers.cookie, this.secret, this.secureCookies);
    if (!claims?.sessionId) return null;
    if (!(await this.sessions.isLive(claims.sessionId, claims.userId))) return null;
    return { userId: claims.userId, via: 'session', sessionId: claims.sessionId };
  }

  /** Whether a principal found earlier (a socket's, at its handshake) still holds. */
  async stillValid(principal: Principal): Promise<boolean> {
    if (principal.via === 'session') return this.sessions.isLive(principal.sessionId, principal.userId);
    return this.tokens.isLive(principal.tokenId);
  }

  /** stillValid's answer when it is known without asking the database, else undefined. */
  knownValidity(principal: Principal): boolean | undefined {
    if (principal.via === 'session') return this.sessions.cachedLiveness(principal.sessionId, principal.userId);
    return this.tokens.isLive(principal.tokenId);
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
