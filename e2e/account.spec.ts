// Accounts as a person manages them (issue 17 A2, C1, C2): change the password, see and end
// sessions (a second browser's workbench is sent to sign-in), delete the account, an admin's
// reset link used in a fresh browser; the IDE reached at 127.0.0.1 (redirected to BERTH_URL) and
// at another allowed name (told to open BERTH_URL); Create project opens the project.
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import {
  createProjectViaApi,
  DashboardPage,
  expect,
  SignInPage,
  signInViaApi,
  signUpViaApi,
  test,
  uniqueName,
  uniqueUser,
  WorkbenchPage,
  type TestUser,
} from './support/berth';

const port = Number(process.env.E2E_PORT ?? 3210);
const berthUrl = `http://localhost:${port}`;
// scripts/e2e-server.mjs lists both in BERTH_ADMIN_EMAILS / BERTH_ALLOWED_HOSTS.
const ADMIN_EMAIL = 'e2e-account-admin@example.test';
const LAN_HOST = 'berth-lan.test';
const shots = 'test-results/account';

test.describe.configure({ timeout: 120_000 });

async function openAccountPage(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('account-link').click();
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByTestId('session-list')).toHaveAttribute('data-status', 'ready');
}

test('change password: the wrong current one is refused, then the old one fails and the new one works', async ({
  user,
  page,
  browser,
  baseURL,
}) => {
  await openAccountPage(page);
  const form = page.getByTestId('change-password-form');
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByLabel('New password', { exact: true }).fill('brand-new-password-1');
  await form.getByLabel('Confirm new password').fill('brand-new-password-1');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('The current password is not right');

  await form.getByLabel('Current password').fill(user.password);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toBeVisible();
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/account-page.png`, fullPage: true });

  const fresh = await browser.newContext({ baseURL });
  try {
    const signIn = new SignInPage(await fresh.newPage());
    await signIn.goto();
    await signIn.fillAndSubmit(user.email, user.password);
    await expect(signIn.error).toHaveText('Wrong email or password.');
    await signIn.signIn({ ...user, password: 'brand-new-password-1' });
  } finally {
    await fresh.close();
  }
});

test('sessions: sign out one other browser, then sign out everywhere sends a second browser’s workbench to sign-in', async ({
  user,
  page,
  browser,
  baseURL,
}) => {
  // Another browser signed in only through the API: its row is the one not marked "This device".
  const other = await browser.newContext({ baseURL });
  const second = await browser.newContext({ baseURL });
  try {
    await signInViaApi(other.request, user);
    await openAccountPage(page);
    const rows = page.getByTestId('session-row');
    await expect(rows).toHaveCount(2);
    await expect(page.locator('[data-testid="session-row"][data-current="true"]')).toContainText('This device');
    await page
      .locator('[data-testid="session-row"][data-current="false"]')
      .getByRole('button', { name: 'Sign out' })
      .click();
    await expect(rows).toHaveCount(1);
    expect((await other.request.get('/api/v1/me')).status()).toBe(401);

    // A second browser with a workbench open (its socket is live).
    await signInViaApi(second.request, user);
    const project = await createProjectViaApi(second.request, uniqueName('everywhere'), 'static-html');
    const secondPage = await second.newPage();
    const workbench = new WorkbenchPage(secondPage);
    await workbench.goto(project.id);
    await workbench.expectConnected();

    await page.reload();
    await expect(rows).toHaveCount(2);
    await page.getByTestId('sign-out-everywhere').click();
    await expect(page).toHaveURL(/\/signin(\?|$)/);
    await expect(secondPage).toHaveURL(/\/signin(\?|$)/);
    await expect(new SignInPage(secondPage).form).toBeVisible();
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
    expect((await second.request.get('/api/v1/me')).status()).toBe(401);
  } finally {
    await other.close();
    await second.close();
  }
});

test('delete the account after typing its email', async ({ user, page }) => {
  await openAccountPage(page);
  await page.getByTestId('delete-account').click();
  const dialog = page.getByTestId('delete-account-dialog');
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Delete my account' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Your email').fill('someone-else@example.test');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Your email').fill(user.email);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(page).toHaveURL(/\/signin(\?|$)/);

  const signIn = new SignInPage(page);
  await signIn.fillAndSubmit(user.email, user.password);
  await expect(signIn.error).toHaveText('Wrong email or password.');
});

test('an admin’s reset link sets a new password in a fresh browser, once', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const admin: TestUser = { name: 'E2E Account Admin', email: ADMIN_EMAIL, password: 'account-admin-password-1' };
  await signUpViaApi(page.context().request, admin);
  await signInViaApi(page.context().request, admin);
  const target = uniqueUser('reset');
  await signUpViaApi(request, target);

  await page.goto('/admin');
  const row = page.locator(`[data-testid="admin-user-row"][data-email="${target.email}"]`);
  await row.getByTestId('reset-link').click();
  const dialog = page.getByTestId('reset-link-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(dialog.getByTestId('reset-link-expiry')).toContainText('Expires');
  const url = (await dialog.getByTestId('reset-link-url').textContent())?.trim() ?? '';
  expect(url.startsWith(`${berthUrl}/reset-password?token=`)).toBe(true);

  const fresh = await browser.newContext({ baseURL });
  const again = await browser.newContext({ baseURL });
  try {
    const freshPage = await fresh.newPage();
    await freshPage.goto(url);
    await freshPage.getByLabel('New password', { exact: true }).fill('reset-by-link-123');
    await freshPage.getByLabel('Confirm new password').fill('reset-by-link-123');
    await freshPage.getByRole('button', { name: 'Set new password' }).click();
    await expect(freshPage.getByTestId('reset-password-done')).toContainText('Password changed');
    await freshPage.getByRole('link', { name: 'sign in' }).click();
    await new SignInPage(freshPage).signIn({ ...target, password: 'reset-by-link-123' });

    // The link worked once.
    const againPage = await again.newPage();
    await againPage.goto(url);
    await againPage.getByLabel('New password', { exact: true }).fill('reset-twice-1234');
    await againPage.getByLabel('Confirm new password').fill('reset-twice-1234');
    await againPage.getByRole('button', { name: 'Set new password' }).click();
    await expect(againPage.getByTestId('reset-password-invalid')).toContainText('invalid or has expired');
  } finally {
    await fresh.close();
    await again.close();
  }
});

test('the sign-in page: forgot password without mail, email confirmed, invalid link', async ({ page }) => {
  await page.goto('/signin?verified=1');
  await expect(page.getByTestId('email-verified')).toHaveText('Email confirmed — sign in.');
  await page.getByTestId('forgot-password').click();
  await expect(page.getByTestId('forgot-password-panel')).toContainText(
    'Ask an administrator for a password-reset link',
  );
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/signin-page.png`, fullPage: true });

  await page.goto('/signin?error=invalid_link');
  await expect(new SignInPage(page).error).toHaveText('That link is invalid or has expired. Ask for a new one.');
  // Anything else in ?error= is not echoed onto the page.
  await page.goto('/signin?error=Call%20this%20number');
  await expect(new SignInPage(page).error).toHaveText('Sign-in failed. Try again.');
});

test('opened at 127.0.0.1, Berth redirects to BERTH_URL; Create project opens a working workbench', async ({
  browser,
  request,
}) => {
  const user = uniqueUser('loopback');
  await signUpViaApi(request, user);
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await expect(page).toHaveURL(new RegExp(`^${berthUrl}/signin`));
    const dashboard = await new SignInPage(page).signIn(user);
    const name = uniqueName('opens');
    const id = await dashboard.createProject(name, 'Blank Node');
    await expect(page).toHaveURL(`${berthUrl}/p/${id}`);
    const workbench = new WorkbenchPage(page);
    await workbench.expectConnected();
    await workbench.expectWorkspaceRunning();
    await expect(workbench.activeTerminalScreen).toContainText('/workspace $', { timeout: 30_000 });
    await workbench.typeInTerminal('echo "sum-$((6*7))"\n');
    await expect(workbench.activeTerminalScreen).toContainText('sum-42');
  } finally {
    await context.close();
  }
});

test('opened at another allowed name, the workbench says to open BERTH_URL instead of reconnecting forever', async ({
  browser,
  baseURL,
}) => {
  const user = uniqueUser('lan');
  const home = await browser.newContext({ baseURL });
  // A browser where berth-lan.test resolves to this machine, like a LAN address would.
  const lanBrowser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`],
  });
  try {
    await signUpViaApi(home.request, user);
    await signInViaApi(home.request, user);
    const project = await createProjectViaApi(home.request, uniqueName('lan'), 'static-html');
    const lan = await lanBrowser.newContext({ baseURL: `http://${LAN_HOST}:${port}` });
    const cookies = await home.cookies(berthUrl);
    await lan.addCookies(
      cookies.map(({ name, value, httpOnly, sameSite }) => ({
        name,
        value,
        httpOnly,
        sameSite,
        domain: LAN_HOST,
        path: '/',
      })),
    );
    const page = await lan.newPage();
    await page.goto(`/p/${project.id}`);
    await expect(page.getByTestId('workbench')).toBeVisible();
    const notice = page.getByTestId('connection-notice');
    await expect(notice).toHaveAttribute('data-status', 'wrong_origin');
    await expect(notice).toContainText('accepts connections only from its own address');
    await expect(notice.getByTestId('berth-url')).toHaveText(berthUrl);
    await expect(notice.getByTestId('berth-url')).toHaveAttribute('href', `${berthUrl}/p/${project.id}`);
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'wrong_origin');
    await page.screenshot({ path: `${shots}/wrong-origin.png` });
  } finally {
    await home.close();
    await lanBrowser.close();
  }
});

// The dashboard is left for the workbench as soon as a project is made (the page object waits for it).
test('Create project opens the new project', async ({ user, dashboard, page }) => {
  void user;
  await dashboard.goto();
  const id = await dashboard.createProject(uniqueName('straight-in'), 'Static HTML');
  await expect(page).toHaveURL(new RegExp(`/p/${id}$`));
  await new DashboardPage(page).goto();
  await expect(new DashboardPage(page).rowById(id)).toHaveCount(1);
});
