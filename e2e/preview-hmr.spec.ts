// Hot reload through the preview proxy, as a person sees it: a new Vite + React project, Run,
// the page in the preview; change the heading in the editor and save — the preview shows the
// new heading within 2 s without reloading (the page's state and a marker on its window stay).
import { expect, test, createProjectViaApi, uniqueName } from './support/berth';
import { FilesPanel } from './support/files';

test.describe.configure({ timeout: 180_000 });

test('preview: saving src/App.jsx updates a running Vite preview in place (HMR)', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('hmr'), 'vite-react');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();

  await workbench.preview.getByTestId('preview-run').click();
  await expect(workbench.activeTerminalScreen).toContainText('npm run dev'); // berth-install first only when the template's node_modules is not in place yet
  await expect(workbench.preview).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(workbench.preview.getByTestId('preview-port')).toHaveValue('5173');
  const preview = page.frameLocator('[data-testid="preview-frame"]');
  await expect(preview.locator('h1')).toHaveText('Vite + React', { timeout: 30_000 });

  // State a reload would lose: a counter clicked to 2 and a mark on the frame's window.
  await preview.locator('button').click();
  await preview.locator('button').click();
  await expect(preview.locator('button')).toHaveText('count is 2');
  const frameUrl = await page.getByTestId('preview-frame').getAttribute('src');
  const frame = page.frames().find((candidate) => candidate.url().startsWith(frameUrl!));
  expect(frame, 'the preview frame').toBeDefined();
  await frame!.evaluate(() => Object.assign(window, { berthMarker: 'still-here' }));

  // Edit the heading like a person: open the file, find and replace, save.
  await files.node('src').click();
  await files.open('src/App.jsx');
  await files.setAutosave(false);
  await files.editorText.click();
  await page.keyboard.press('Control+h');
  await page.keyboard.type('<h1>Vite + React</h1>');
  await page.keyboard.press('Tab');
  await page.keyboard.type('<h1>Hot from Berth</h1>');
  await page.keyboard.press('Control+Alt+Enter');
  await page.keyboard.press('Escape');
  await expect(files.tab('src/App.jsx')).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('Control+s');

  await expect(preview.locator('h1')).toHaveText('Hot from Berth', { timeout: 2_000 });
  await expect(files.tab('src/App.jsx')).toHaveAttribute('data-dirty', 'false');
  await expect(preview.locator('button')).toHaveText('count is 2');
  expect(await frame!.evaluate(() => (window as unknown as { berthMarker?: string }).berthMarker)).toBe('still-here');
});
