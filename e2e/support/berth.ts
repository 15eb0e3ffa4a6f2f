// Fixtures for Berth's end-to-end journeys, plus re-exports so specs import everything from
// here. Page objects live in ./pages, setup-only API helpers in ./api.
import { test as base, expect } from '@playwright/test';
import { signInViaApi, signUpViaApi, uniqueUser, type TestUser } from './api';
import { DashboardPage, SignInPage, SignUpPage, TokensPage, WorkbenchPage } from './pages';

export { expect };
export * from './api';
export * from './pages';

interface BerthFixtures {
  /** A new user, signed up and signed in in this test's `page`/`context`. */
  user: TestUser;
  dashboard: DashboardPage;
  workbench: WorkbenchPage;
  tokensPage: TokensPage;
  signInPage: SignInPage;
  signUpPage: SignUpPage;
}

export const test = base.extend<BerthFixtures>({
  user: async ({ context }, use) => {
    const user = uniqueUser();
    await signUpViaApi(context.request, user);
    await signInViaApi(context.request, user);
    await use(user);
  },
  dashboard: async ({ page }, use) => use(new DashboardPage(page)),
  workbench: async ({ page }, use) => use(new WorkbenchPage(page)),
  tokensPage: async ({ page }, use) => use(new TokensPage(page)),
  signInPage: async ({ page }, use) => use(new SignInPage(page)),
  signUpPage: async ({ page }, use) => use(new SignUpPage(page)),
});
