// The preview pane, as a person uses it: Run the dev server from the pane, see the page on
// its own site, revoke the link (the old one is dead) and keep previewing on the new one.
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('preview: Run starts the dev server, the page shows, Revoke rotates the URL', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('preview'), 'static-html');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();

  // Nothing listens yet: the pane says so and offers to run the dev server.
  await expect(workbench.preview).toHaveAttribute('data-status', 'waiting');
  await expect(workbench.preview).toContainText('Nothing is listening yet');
  await workbench.preview.getByTestId('preview-run').click();

  // A "dev" terminal tab runs it and the page appears by itself on port 3000
  // (no node_modules yet, so it installs first), shown as the active tab.
  await expect(workbench.terminalTabs.filter({ hasText: 'dev' })).toHaveCount(1);
  await expect(workbench.terminalTabs.filter({ hasText: 'dev' })).toHaveAttribute('aria-selected', 'true');
  await expect(workbench.activeTerminalScreen).toContainText('npm run dev'); // berth-install first only when the template's node_modules is not in place yet
  await expect(workbench.preview).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(workbench.preview.getByTestId('preview-port')).toHaveValue('3000');
  const frame = page.getByTestId('preview-frame');
  const oldUrl = await frame.getAttribute('src');
  expect(oldUrl).toMatch(/^http:\/\/p-[0-9a-f]{32}\.localhost:\d+\/$/);
  await expect(page.frameLocator('[data-testid="preview-frame"]').locator('h1')).toHaveText('Hello, static web');
  await expect(workbench.preview.getByTestId('preview-open')).toHaveAttribute('href', oldUrl!);

  // The path bar navigates the frame; Share copies the URL.
  await workbench.preview.getByTestId('preview-path').fill('/index.html');
  await workbench.preview.getByTestId('preview-path').press('Enter');
  await expect(frame).toHaveAttribute('src', `${oldUrl}index.html`);
  await expect(page.frameLocator('[data-testid="preview-frame"]').locator('h1')).toHaveText('Hello, static web');
  await workbench.preview.getByTestId('preview-share').click();
  await expect(workbench.preview.getByTestId('preview-share')).toHaveText('Copied');
  await workbench.preview.getByTestId('preview-path').fill('/');
  await workbench.preview.getByTestId('preview-path').press('Enter');
  await expect(frame).toHaveAttribute('src', oldUrl!);

  // Device widths center the page at that width.
  await workbench.preview.getByTestId('preview-device-phone').click();
  await expect.poll(() => frame.evaluate((element) => element.getBoundingClientRect().width)).toBe(375);
  await workbench.preview.getByTestId('preview-device-desktop').click();

  // Revoke: the iframe moves to a fresh URL and still shows the page; the old URL is dead.
  await workbench.preview.getByTestId('preview-revoke').click();
  await expect(frame).not.toHaveAttribute('src', oldUrl!);
  const newUrl = await frame.getAttribute('src');
  expect(newUrl).toMatch(/^http:\/\/p-[0-9a-f]{32}\.localhost:\d+\/$/);
  await expect(page.frameLocator('[data-testid="preview-frame"]').locator('h1')).toHaveText('Hello, static web');

  const old = await page.context().newPage();
  const response = await old.goto(oldUrl!);
  expect(response?.status()).toBe(404);
  await expect(old.locator('body')).toContainText('Preview not found');
  await old.close();
});
