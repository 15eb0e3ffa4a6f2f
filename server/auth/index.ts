// Who you are: next-auth options and its HTTP bridge, password hashing, personal access
// tokens, revocable sessions, the sign-in throttle, and resolving a request or socket to a
// user. Imports db (types), core and contracts only.
export { createAuthOptions, CLIENT_IP_HEADER, SESSION_MAX_AGE_SECONDS } from './auth-options';
export { handleAuthRequest } from './next-auth-handler';
export { RequestAuthenticator, bearerToken, type Principal } from './request-auth';
export { SessionService } from './session-service';
export { SignInThrottle } from './signin-throttle';
export { TokenService, TOKEN_PREFIX } from './token-service';
export { CliLoginService, CLI_LOGIN_PURPOSE } from './cli-login-service';
export { UserService } from './user-service';
export { loadOrCreateAuthSecret } from './auth-secret';
export { sessionFromCookie, sessionCookieName } from './session-cookie';
