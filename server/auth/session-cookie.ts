// Reads the user id out of next-auth's session cookie (an encrypted JWT).
import { parse } from 'cookie';
import { decode } from 'next-auth/jwt';

export const sessionCookieName = (secure: boolean) => (secure ? '__Secure-next-auth.session-token' : 'next-auth.session-token');

export async function userIdFromSessionCookie(cookieHeader: string | undefined, secret: string, secure: boolean): Promise<string | null> {
  if (!cookieHeader) return null;
  const jwt = parse(cookieHeader)[sessionCookieName(secure)];
  if (!jwt) return null;
  try {
    const payload = await decode({ token: jwt, secret });
    return typeof payload?.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}
