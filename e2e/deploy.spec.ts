// Deployments from the browser (issue 14), on real Docker: Deploy a Vite project from the IDE's
// toolbar → its URL serves the built app (no Vite dev server); edit a file, deploy again → the
// new page; roll back from History → the old page again, in seconds. An Express project gets a
// variable set in the Variables tab. A private environment lets its owner in and answers 404 to
// another signed-in user.
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  createProjectViaApi,
  DashboardPage,
  expect,
  signedInContext,
  test,
  uniqueName,
  type WorkbenchPage,
} from './support/berth';
import { DeployDialog } from './support/deploy';
import { FilesPanel } from './support/files';

test.describe.configure({ timeout: 420_000 });

/** Pictures for a person to look at, only when E2E_SCREENSHOTS names a folder. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `deploy-${name}.png`) });
}

async function openRunning(workbench: WorkbenchPage, projectId: string): Promise<FilesPanel> {
  const files = new FilesPanel(workbench.page);
  await workbench.goto(projectId);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  return files;
}

/** Replaces `from` with `to` in the open file with Monaco's find/replace, then saves. */
async function replaceInEditor(files: FilesPanel, path: string, from: string, to: string): Promise<void> {
  const page = files.page;
  await files.open(path);
  await files.setAutosave(false);
  await files.editorText.click();
  await page.keyboard.press('Control+h');
  await page.keyboard.type(from);
  await page.keyboard.press('Tab');
  await page.keyboard.type(to);
  await page.keyboard.press('Control+Alt+Enter');
  await page.keyboard.press('Escape');
  await expect(files.tab(path)).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('Control+s');
  await expect(files.tab(path)).toHaveAttribute('data-dirty', 'false');
}

test('deploy a Vite app from the toolbar, deploy a change, roll back from History', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('deploy'), 'vite-react');
  const files = await openRunning(workbench, project.id);
  const deploy = new DeployDialog(page);

  await deploy.open(workbench.root);
  await expect(deploy.dialog.getByTestId('environment-picker')).toHaveValue('production');
  await expect(deploy.dialog.getByTestId('no-deployments')).toBeVisible();
  const first = await deploy.deployAndWaitLive();
  await expect(deploy.progress.getByTestId('deploy-steps')).toHaveAttribute('data-status', 'live');
  await expect(deploy.state).toContainText('Live');
  await expect(deploy.progress.getByTestId('build-log')).toContainText('vite build');
  await shot(page, 'live');
  const url = await deploy.url();
  expect(url).toBe(`http://d-${project.id}-production.localhost:${new URL(page.url()).port}/`);

  // The built app: Vite's production bundle, not its dev server.
  const app = await deploy.openDeployment();
  await expect(app).toHaveURL(url);
  await expect(app.locator('h1')).toHaveText('Vite + React');
  // The page as served (read from inside the deployment's own origin): the built bundle.
  const html = await app.evaluate(() => fetch('/', { cache: 'no-store' }).then((response) => response.text()));
  expect(html).not.toContain('/@vite/client');
  expect(html).toMatch(/src="\/assets\/index-[^"]+\.js"/);

  // A change in the editor, deployed again: the URL serves the new page.
  await deploy.close();
  await files.node('src').click();
  await replaceInEditor(files, 'src/App.jsx', '<h1>Vite + React</h1>', '<h1>Deployed again</h1>');
  await deploy.open(workbench.root);
  const second = await deploy.deployAndWaitLive();
  expect(second).not.toBe(first);
  await app.reload();
  await expect(app.locator('h1')).toHaveText('Deployed again');

  // History: the first one can be rolled back to (its image is kept); the serving one cannot.
  await deploy.tab('history').click();
  await expect(deploy.history).toHaveCount(2);
  const serving = deploy.dialog.locator(`[data-testid="deployment-row"][data-deployment-id="${second}"]`);
  await expect(serving.getByTestId('deployment-rollback')).toBeDisabled();
  const earlier = deploy.dialog.locator(`[data-testid="deployment-row"][data-deployment-id="${first}"]`);
  await expect(earlier).toHaveAttribute('data-status', 'superseded');
  await earlier.getByTestId('deployment-show-log').click();
  await expect(earlier.getByTestId('deployment-log')).toContainText('vite build');
  await shot(page, 'history');
  await expect(earlier.getByTestId('deployment-rollback')).toBeEnabled();
  const rollbackStarted = Date.now();
  await earlier.getByTestId('deployment-rollback').click();
  // Rollback goes back to the Deploy tab and follows the new deployment (no build step).
  const third = await deploy.waitForNewLive(second);
  const rollbackMs = Date.now() - rollbackStarted;
  expect(rollbackMs, 'a rollback to a kept image takes seconds').toBeLessThan(15_000);
  await expect(deploy.progress.getByTestId('deploy-steps').locator('[data-step="building"]')).toHaveCount(0);
  await app.reload();
  await expect(app.locator('h1')).toHaveText('Vite + React');
  await deploy.tab('history').click();
  await expect(deploy.dialog.locator(`[data-testid="deployment-row"][data-deployment-id="${third}"]`)).toContainText(
    'rollback of',
  );
  console.log(`rollback in the browser: ${rollbackMs} ms from the click to live`);
});

test('a variable set in the Variables tab reaches a deployed Express app; secrets stay masked', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('deploy-env'), 'express-api');
  const files = await openRunning(workbench, project.id);
  await replaceInEditor(files, 'index.js', "message: 'Hello from Express'", 'message: process.env.GREETING');

  const deploy = new DeployDialog(page);
  await deploy.open(workbench.root);
  await deploy.tab('variables').click();
  const editor = deploy.dialog.getByTestId('variables-editor');
  await expect(editor).toHaveAttribute('data-status', 'ready');
  await editor.getByTestId('variable-add').click();
  await editor.getByTestId('variable-add').click();
  const rows = editor.getByTestId('variable-row');
  // A name the server refuses is named next to its field, before anything is sent.
  await rows.nth(0).getByTestId('variable-name').fill('PORT');
  await rows.nth(0).getByTestId('variable-value').fill('1');
  await editor.getByTestId('variables-save').click();
  await expect(rows.nth(0)).toContainText('PORT and HOST are set by Berth');
  await rows.nth(0).getByTestId('variable-name').fill('GREETING');
  await rows.nth(0).getByTestId('variable-value').fill('Hello from a variable');
  await rows.nth(1).getByTestId('variable-name').fill('API_TOKEN');
  await rows.nth(1).getByTestId('variable-value').fill('s3cret-value');
  await rows.nth(1).getByTestId('variable-secret').check();
  await editor.getByTestId('variables-save').click();
  await expect(editor.getByTestId('variables-message')).toContainText('next deploy');
  await shot(page, 'variables');
  // Read back: the secret comes masked, and the page never holds its value.
  await deploy.close();
  await deploy.open(workbench.root);
  await deploy.tab('variables').click();
  await expect(editor).toHaveAttribute('data-status', 'ready');
  await expect(
    editor.locator('[data-testid="variable-row"][data-name="API_TOKEN"] [data-testid="variable-value"]'),
  ).toHaveValue('••••••••');
  await expect(
    editor.locator('[data-testid="variable-row"][data-name="GREETING"] [data-testid="variable-value"]'),
  ).toHaveValue('Hello from a variable');
  expect(await page.content()).not.toContain('s3cret-value');

  await deploy.tab('deploy').click();
  await deploy.deployAndWaitLive();
  const url = await deploy.url();
  const app = await deploy.openDeployment();
  await expect(app).toHaveURL(url);
  await expect(app.locator('body')).toContainText('"message":"Hello from a variable"');

  // The runtime log follows the app's output.
  await deploy.tab('logs').click();
  await expect(deploy.dialog.getByTestId('runtime-log')).toContainText('API listening on', { timeout: 20_000 });
  await shot(page, 'runtime-logs');

  // A build that fails says so, and the environment keeps serving the previous deployment.
  await deploy.close();
  await replaceInEditor(
    files,
    'package.json',
    '"start": "node index.js"',
    '"start": "node index.js", "build": "echo this build breaks && exit 3"',
  );
  await deploy.open(workbench.root);
  const serving = await deploy.progress.getAttribute('data-deployment-id');
  await deploy.deployNow.click();
  await expect(deploy.progress).not.toHaveAttribute('data-deployment-id', serving!);
  await expect(deploy.progress).toHaveAttribute('data-status', 'failed', { timeout: 120_000 });
  await expect(deploy.dialog.getByTestId('build-failed')).toContainText('keeps serving');
  await expect(deploy.dialog.getByTestId('still-serving')).toBeVisible();
  await expect(deploy.progress.getByTestId('build-log')).toContainText('this build breaks');
  await expect(deploy.progress.locator('[data-step="building"]')).toHaveAttribute('data-state', 'failed');
  await expect(deploy.state).toContainText('Live');
  await shot(page, 'failed');
  await app.reload();
  await expect(app.locator('body')).toContainText('"message":"Hello from a variable"');
});

test('a private environment opens for its owner and answers 404 to another signed-in user', async ({
  user,
  page,
  workbench,
  browser,
  baseURL,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('deploy-priv'), 'static-html');
  await openRunning(workbench, project.id);
  const deploy = new DeployDialog(page);
  // From the dashboard too: each project row has Deploy.
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await shot(page, 'dashboard-row');
  await deploy.open(dashboard.rowById(project.id));
  await expect(deploy.dialog).toContainText(project.name);
  await shot(page, 'dashboard');
  await deploy.close();

  await workbench.goto(project.id);
  await deploy.open(workbench.root);
  await deploy.createEnvironment('staging', true);
  await expect(deploy.dialog.getByTestId('environment-visibility')).toContainText('Private');
  await deploy.deployAndWaitLive();
  const url = await deploy.url();
  expect(url).toContain(`d-${project.id}-staging.`);
  await deploy.tab('settings').click();
  await expect(deploy.dialog.getByTestId('environment-private')).toBeChecked();
  const plan = deploy.dialog.getByTestId('plan-view');
  await expect(plan).toContainText('Node server');
  await expect(plan).toContainText('npm start');
  await shot(page, 'settings');
  // The plan is editable (used from the next deploy on) and goes back to the detected one.
  const origin = deploy.dialog.getByTestId('plan-origin');
  await expect(origin).toContainText('detected');
  await deploy.dialog.getByTestId('plan-edit').click();
  await deploy.dialog.getByTestId('plan-port').fill('80');
  await expect(deploy.dialog.getByTestId('plan-form')).toContainText('A port from 1024 to 65535');
  await expect(deploy.dialog.getByTestId('plan-save')).toBeDisabled();
  await deploy.dialog.getByTestId('plan-port').fill('3000');
  await deploy.dialog.getByTestId('plan-serve').fill('node serve.js --quiet');
  await deploy.dialog.getByTestId('plan-save').click();
  await expect(origin).toContainText('edited');
  await expect(plan).toContainText('node serve.js --quiet');
  await deploy.dialog.getByTestId('plan-edit').click();
  await deploy.dialog.getByTestId('plan-reset').click();
  await expect(origin).toContainText('detected');
  await expect(plan).toContainText('npm start');
  await deploy.tab('deploy').click();

  // The owner, through Open: Berth hands the deploy host a cookie of its own.
  const app = await deploy.openDeployment();
  await expect(app).toHaveURL(url);
  await expect(app.locator('body')).not.toBeEmpty();
  expect((await app.reload())?.status()).toBe(200);

  // Someone else, signed in to Berth in their own browser: not found.
  const other = await signedInContext(browser, baseURL!, 'other');
  try {
    const response = await other.page.goto(url);
    expect(response?.status()).toBe(404);
    const open = await other.page.goto(`/api/v1/projects/${project.id}/environments/staging/open`);
    expect(open?.status()).toBe(404);
  } finally {
    await other.context.close();
  }

  // Stop, then Delete: each asks first, naming what is lost.
  await deploy.tab('settings').click();
  await deploy.dialog.getByTestId('environment-stop').click();
  const confirm = page.getByTestId('deploy-confirm');
  await expect(confirm).toContainText('Stop staging?');
  await expect(confirm).toContainText('stops answering');
  await confirm.getByTestId('deploy-confirm-action').click();
  await expect(deploy.state).toHaveText('Stopped');
  await expect(deploy.dialog.getByTestId('environment-stop')).toBeDisabled();
  expect((await app.reload())?.status()).not.toBe(200);
  await deploy.dialog.getByTestId('environment-delete').click();
  await expect(confirm).toContainText('whole deployment history');
  await expect(confirm).toContainText('variables and secrets');
  await confirm.getByTestId('deploy-confirm-action').click();
  await expect(deploy.dialog.getByTestId('deploy-body')).toHaveAttribute('data-environment', 'production');
  await expect(deploy.dialog.getByTestId('environment-picker').locator('option', { hasText: 'staging' })).toHaveCount(
    0,
  );
  expect((await app.reload())?.status()).not.toBe(200);
});
