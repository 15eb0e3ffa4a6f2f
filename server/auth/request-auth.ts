// Who is calling: a bearer personal access token, or else the next-auth session cookie.
import type { IncomingHttpHeaders } from 'node:http';
import { userIdFromSessionCookie } from './session-cookie';
import type { TokenService } from './token-service';

export interface Principal {
  userId: string;
  via: 'session' | 'token';
}

export class RequestAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly secret: string,
    private readonly secureCookies: boolean,
  ) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<Principal | null> {
    const bearer = bearerToken(headers.authorization);
    if (bearer !== undefined) {
      const userId = await this.tokens.authenticate(bearer);
      return userId ? { userId, via: 'token' } : null;
    }
    const userId = await userIdFromSessionCookie(headers.cookie, this.secret, this.secureCookies);
    return userId ? { userId, via: 'session' } : null;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
