// Not a test of behaviour: captures the main screens for a person to look at.
//   E2E_SCREENSHOTS=/tmp/berth-shots npx playwright test screenshots
// playwright.config.ts leaves this file out unless E2E_SCREENSHOTS names a folder.
import path from 'node:path';
import { createProjectViaApi, DashboardPage, expect, SignInPage, test, WorkbenchPage } from './support/berth';

const dir = process.env.E2E_SCREENSHOTS ?? path.join('test-results', 'screenshots');
const shot = (name: string) => path.join(dir, `${name}.png`);

test('capture the main screens', async ({ user, page, browser, baseURL }) => {
  void user;
  await createProjectViaApi(page.request, 'marketing-site', 'static-html');
  await createProjectViaApi(page.request, 'orders-api', 'express-api');
  const app = await createProjectViaApi(
    page.request,
    'a-rather-long-project-name-for-the-storefront-checkout-flow',
    'vite-react',
  );

  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await expect(dashboard.rows).toHaveCount(3);
  await page.screenshot({ path: shot('dashboard'), fullPage: true });

  await dashboard.openNewProjectDialog();
  await page.screenshot({ path: shot('new-project-dialog') });
  await page.keyboard.press('Escape');

  const workbench = new WorkbenchPage(page);
  await workbench.goto(app.id);
  await workbench.expectConnected();
  await page.screenshot({ path: shot('workbench') });

  await page.goto('/settings/tokens');
  await page.getByRole('textbox', { name: 'Token name' }).fill('ci');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('created-token-value')).toBeVisible();
  await page.screenshot({ path: shot('tokens'), fullPage: true });

  const visitor = await browser.newContext({ baseURL });
  const signInPage = new SignInPage(await visitor.newPage());
  await signInPage.goto();
  await signInPage.fillAndSubmit('nobody@example.test', 'wrong-password');
  await expect(signInPage.error).toBeVisible();
  await signInPage.page.screenshot({ path: shot('signin-error') });
  await signInPage.goto();
  await signInPage.page.screenshot({ path: shot('signin') });

  const small = await browser.newContext({ baseURL, viewport: { width: 390, height: 800 } });
  const mobile = await small.newPage();
  await mobile.context().addCookies(await page.context().cookies());
  await mobile.goto('/');
  await expect(mobile.getByTestId('project-list')).toHaveAttribute('data-status', 'ready');
  await mobile.screenshot({ path: shot('dashboard-narrow'), fullPage: true });
  await mobile.goto(`/p/${app.id}`);
  await expect(mobile.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
  await mobile.screenshot({ path: shot('workbench-narrow') });

  const notFound = await page.goto('/p/nope');
  expect(notFound?.status()).toBe(404);
  await page.screenshot({ path: shot('not-found') });
  await visitor.close();
  await small.close();
});
