// The admin page as an operator uses it: sign up with an email listed in BERTH_ADMIN_EMAILS
// (scripts/e2e-server.mjs sets e2e-admin@example.test), follow the header's Admin link, see
// the users and a running workspace with its CPU and memory, and stop it after confirming.
// Everyone else gets a 404 page and no link.
import type { WorkspaceStatusDto } from '../server/contracts';
import {
  createProjectViaApi,
  expect,
  sameOrigin,
  signedInContext,
  test,
  uniqueName,
  type TestUser,
} from './support/berth';
import { DashboardPage, SignUpPage } from './support/pages';

const ADMIN_EMAIL = process.env.BERTH_ADMIN_EMAILS?.split(',')[0]?.trim() || 'e2e-admin@example.test';

test.describe.configure({ timeout: 120_000 });

test('a normal user gets a 404 for /admin and no Admin link', async ({ browser, baseURL }) => {
  const { context, page } = await signedInContext(browser, baseURL!, 'plain');
  try {
    const dashboard = new DashboardPage(page);
    await page.goto('/');
    await dashboard.expectLoaded();
    await expect(dashboard.currentUser).not.toHaveText('');
    await expect(page.getByTestId('admin-link')).toHaveCount(0);
    expect((await page.goto('/admin'))?.status()).toBe(404);
    expect((await page.request.get('/api/v1/admin/users')).status()).toBe(404);
  } finally {
    await context.close();
  }
});

test('an admin sees users and running workspaces, and stops one', async ({ browser, baseURL, page }) => {
  // A workspace of somebody else's, running.
  const owner = await signedInContext(browser, baseURL!, 'owner');
  const project = await createProjectViaApi(owner.page.request, uniqueName('admin-target'), 'static-html');
  const started = await owner.page.request.post(`/api/v1/projects/${project.id}/start`, { headers: sameOrigin });
  expect(started.status(), await started.text()).toBe(200);

  const admin: TestUser = { name: 'E2E Admin', email: ADMIN_EMAIL, password: 'admin-password-123' };
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(admin);

  await page.getByTestId('admin-link').click();
  await expect(page).toHaveURL(/\/admin$/);
  const adminPage = page.getByTestId('admin-page');
  await expect(adminPage).toHaveAttribute('data-status', 'ready');

  const users = page.getByTestId('admin-user-row');
  await expect(users.filter({ hasText: ADMIN_EMAIL })).toContainText('admin');
  const ownerRow = users.filter({ hasText: owner.user.email });
  await expect(ownerRow).toContainText(owner.user.name);
  await expect(ownerRow.getByTestId('admin-user-running')).toHaveText('1');

  const row = page.locator(`[data-testid="admin-workspace-row"][data-project-id="${project.id}"]`);
  await expect(row).toHaveAttribute('data-state', 'running');
  await expect(row).toContainText(project.name);
  await expect(row).toContainText(owner.user.email);
  await expect(row.getByTestId('admin-workspace-cpu')).toHaveText(/\d%$/);
  await expect(row.getByTestId('admin-workspace-memory')).toHaveText(/iB \/ \d+(\.\d)? GiB$/);
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/admin.png`, fullPage: true });

  await row.getByTestId('admin-stop').click();
  const dialog = page.getByTestId('admin-stop-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(project.name);
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/admin-stop-dialog.png` });
  await dialog.getByTestId('admin-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(ownerRow.getByTestId('admin-user-running')).toHaveText('0');

  const status = (await (
    await owner.page.request.get(`/api/v1/projects/${project.id}/workspace`)
  ).json()) as WorkspaceStatusDto;
  expect(status.state).toBe('stopped');
  await owner.context.close();
});
