// The project life cycle on the dashboard, and opening one in the workbench.
import { expect, test, uniqueName } from './support/berth';

test('create, rename, open, and delete a project', async ({ user, page, dashboard, workbench }) => {
  void user;
  await dashboard.goto();
  await expect(dashboard.rows).toHaveCount(0);

  // Create from the "Express API" template: it opens in the workbench; back on the dashboard it is listed.
  const name = uniqueName('api');
  const id = await dashboard.createProject(name, 'Express API');
  await dashboard.goto();
  await expect(dashboard.rows).toHaveCount(1);
  await expect(dashboard.row(name)).toContainText('Express API');

  // It is stored, not just shown: a reload lists it again.
  await page.reload();
  await dashboard.expectLoaded();
  await expect(dashboard.rowById(id).getByTestId('project-name')).toHaveText(name);

  // Rename.
  const renamed = uniqueName('renamed');
  await dashboard.rename(name, renamed);
  await expect(dashboard.rowById(id).getByTestId('project-name')).toHaveText(renamed);
  await expect(dashboard.row(name)).toHaveCount(0);

  // Open it in the workbench.
  await dashboard.rowById(id).getByTestId('open-project').click();
  await expect(page).toHaveURL(new RegExp(`/p/${id}$`));
  await workbench.expectOpen(id);
  await workbench.expectConnected();
  await expect(workbench.projectName).toHaveText(renamed);
  // The tree lists the template's files once the workspace runs; no file is open yet.
  await expect(workbench.fileTree).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(workbench.fileTree.getByTestId('file-node').first()).toBeVisible();
  await expect(workbench.editor).toContainText('No file open');
  await expect(workbench.editor).toHaveAttribute('data-status', 'empty');
  await expect(workbench.preview).toContainText('Nothing is listening yet');
  await expect(workbench.preview).toBeVisible();
  await expect(workbench.preview).toHaveAttribute('data-status', 'waiting');

  // Ctrl+` hides and shows the terminal panel; the editor stays.
  await workbench.toggleTerminal();
  await expect(workbench.terminal).toBeHidden();
  await expect(workbench.editor).toBeVisible();
  await workbench.toggleTerminal();
  await expect(workbench.terminal).toBeVisible();

  // Back to the dashboard: the project now says it was opened.
  await page.goBack();
  await dashboard.expectLoaded();
  await expect(dashboard.rowById(id)).toContainText('opened');
  await expect(dashboard.rowById(id)).not.toContainText('never opened');

  // Delete: Cancel keeps it, confirming removes it.
  let dialog = await dashboard.startDelete(renamed);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(dashboard.rowById(id)).toHaveCount(1);

  dialog = await dashboard.startDelete(renamed);
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(dialog).toBeHidden();
  await expect(dashboard.rowById(id)).toHaveCount(0);

  await page.reload();
  await dashboard.expectLoaded();
  await expect(dashboard.rows).toHaveCount(0);
  await expect(page.getByText('No projects yet')).toBeVisible();
  expect((await page.request.get(`/api/v1/projects/${id}`)).status()).toBe(404);
});

test('the new-project dialog keeps the list unchanged when cancelled and shows every template', async ({
  user,
  dashboard,
}) => {
  void user;
  await dashboard.goto();
  const dialog = await dashboard.openNewProjectDialog();
  for (const label of ['Blank Node', 'Vite + React', 'Express API', 'Static HTML']) {
    await expect(dialog.getByRole('radio', { name: label })).toHaveCount(1);
  }
  await dialog.getByRole('textbox', { name: 'Name' }).fill('not-made');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(dashboard.rows).toHaveCount(0);
});
