// next-auth's callbacks do not see the request; the sign-in's client address and browser
// travel to them through this async context (set around each /api/auth/* call).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface AuthRequestContext {
  ip: string;
  userAgent?: string;
}

export const authRequestContext = new AsyncLocalStorage<AuthRequestContext>();
