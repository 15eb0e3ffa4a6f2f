// Reads next-auth's session cookie (an encrypted JWT): the user and the Session row it names.
import { parse } from 'cookie';
import { decode } from 'next-auth/jwt';

export const sessionCookieName = (secure: boolean) =>
  secure ? '__Secure-next-auth.session-token' : 'next-auth.session-token';

export interface SessionClaims {
  userId: string;
  /** The Session row's id; tokens minted before sessions were revocable have none. */
  sessionId: string | null;
}

export async function sessionFromCookie(
  cookieHeader: string | undefined,
  secret: string,
  secure: boolean,
): Promise<SessionClaims | null> {
  if (!cookieHeader) return null;
  const jwt = parse(cookieHeader)[sessionCookieName(secure)];
  if (!jwt) return null;
  try {
    const payload = await decode({ token: jwt, secret });
    if (typeof payload?.sub !== 'string') return null;
    return { userId: payload.sub, sessionId: typeof payload.sid === 'string' ? payload.sid : null };
  } catch {
    return null;
  }
}
