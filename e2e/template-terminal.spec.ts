// A new Vite + React project, as a person starts it: the first thing typed in its terminal is
// `npm run dev` — it must run (the template's dependencies are in place before the first
// prompt), and the preview shows the page by itself.
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('new Vite + React project: npm run dev typed in the terminal serves the page', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('vite'), 'vite-react');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $', { timeout: 30_000 });

  await workbench.typeInTerminal('npm run dev\n');
  await expect(workbench.activeTerminalScreen).toContainText('Local:', { timeout: 60_000 });
  await expect(workbench.activeTerminalScreen).not.toContainText('not found');
  await expect(workbench.preview).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(workbench.preview.getByTestId('preview-port')).toHaveValue('5173');
  await expect(page.frameLocator('[data-testid="preview-frame"]').locator('h1')).toHaveText('Vite + React', {
    timeout: 30_000,
  });
});
