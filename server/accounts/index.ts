// Accounts: password change and reset links, email verification, "sign out everywhere"
// and account deletion (REST in server/http/account.routes.ts). Imports db, core, contracts,
// and auth/projects through their index.ts.
export { AccountLinks } from './account-links';
export { AccountService, type AccountServiceOptions } from './account-service';
export { createAccounts } from './create-accounts';
export { createSmtpMailer, type Mailer } from './mailer';
export { OAuthTokenStore, OAUTH_TOKENS_PURPOSE, type OAuthSignIn } from './oauth-tokens';
