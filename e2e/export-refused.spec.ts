// Download ZIP of a project holding a name a ZIP cannot carry (a backslash, legal on Linux):
// the dashboard shows the server's reason and offers Download bundle, and no file is saved
// (before, the link saved the 422's JSON as the download). The bundle link downloads.
import { createProjectViaApi, DashboardPage, expect, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('Download ZIP explains a name a ZIP cannot carry and offers the bundle instead', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('backslash'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal("printf one > 'a\\b.txt' && echo made-$((6*7))\n");
  await expect(workbench.activeTerminalScreen).toContainText('made-42');

  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const row = dashboard.rowById(project.id);
  const downloads: string[] = [];
  page.on('download', (download) => downloads.push(download.suggestedFilename()));
  await row.getByTestId('download-project').click();
  const alert = row.getByTestId('download-zip-error');
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('data-status', 'refused');
  await expect(alert).toContainText('a\\\\b.txt');
  await expect(alert).toContainText('cannot be exported as a ZIP');
  await expect(row.getByTestId('download-project')).toHaveAttribute('data-status', 'refused');
  if (process.env.E2E_SCREENSHOTS) await row.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/export-refused.png` });
  expect(downloads).toEqual([]);

  const bundle = page.waitForEvent('download');
  await alert.getByTestId('download-zip-bundle').click();
  expect((await bundle).suggestedFilename()).toMatch(/\.berth\.zip$/);
  await expect(alert).toBeHidden();
});
