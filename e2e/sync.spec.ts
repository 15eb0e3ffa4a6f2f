// Hybrid sync from the browser (issue 18), a real journey on one Berth: the "remote" is this same
// server reached over HTTP with a second user's access token, so everything a team Berth would do
// happens for real (the token check, creating the project there, blobs both ways, the peer's
// applies). Add the remote in Settings → Remotes, link a project from the workbench with
// "Create it there", edit, sync, the light goes green (status bar and dashboard); then both sides
// change the same file, Ask shows them side by side and "Take remote" settles it.
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import type { ProjectDto } from '../server/contracts';
import {
  createProjectViaApi,
  createTokenViaApi,
  DashboardPage,
  expect,
  sameOrigin,
  signedInContext,
  test,
  uniqueName,
} from './support/berth';
import { FilesPanel } from './support/files';
import { RemotesPage, SyncUi } from './support/sync';

test.describe.configure({ timeout: 300_000 });

/** Pictures for a person to look at, only when E2E_SCREENSHOTS names a folder. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `sync-${name}.png`) });
}

async function readFile(request: APIRequestContext, projectId: string, file: string): Promise<string> {
  const response = await request.get(`/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`);
  expect(response.status(), await response.text()).toBe(200);
  return response.text();
}

async function writeFile(request: APIRequestContext, projectId: string, file: string, text: string): Promise<void> {
  const response = await request.put(`/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(file)}`, {
    data: text,
    headers: sameOrigin,
  });
  expect(response.status(), await response.text()).toBe(200);
}

test('add a remote, link with Create it there, sync, the light goes green, a conflict settled with Ask', async ({
  user,
  page,
  workbench,
  browser,
  baseURL,
}) => {
  void user;
  // The other side: a second user of this Berth and a token made there.
  const team = await signedInContext(browser, baseURL!, 'team');
  const token = await createTokenViaApi(team.context.request, 'sync from laptop');
  const name = uniqueName('synced');
  const project = await createProjectViaApi(page.request, name, 'blank-node');

  // Settings → Remotes: the check answers at once; the list shows the token masked.
  const remotes = new RemotesPage(page);
  await remotes.goto();
  // A token the remote does not know: refused at once, with the remote's reason, and not kept.
  await remotes.add(baseURL!, 'berth_pat_not-a-real-token', 'wrong');
  await expect(remotes.check).toHaveAttribute('data-status', 'refused');
  await expect(remotes.check).toContainText('refused the token');
  await expect(remotes.rows).toHaveCount(0);
  await remotes.add(baseURL!, token.token, 'team');
  await expect(remotes.check).toHaveAttribute('data-status', 'ok');
  await expect(remotes.check).toContainText(`signed in as ${team.user.email} · 0 projects`);
  const row = remotes.row('team');
  await expect(row).toHaveAttribute('data-status', 'ok');
  await expect(row.getByTestId('remote-token-masked')).not.toHaveText(token.token);
  await expect(row.getByTestId('remote-token-masked')).toContainText(token.token.slice(-4));
  await shot(page, 'remotes');

  // The workbench: link from the status bar, creating the project on the remote.
  const sync = new SyncUi(page);
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await sync.openLink();
  await expect(sync.linkDialog.getByTestId('link-project')).toHaveValue('__create__');
  await shot(page, 'link-dialog');
  await page.keyboard.press('Enter');
  await expect(sync.linkDialog).toBeHidden({ timeout: 30_000 });
  // The template's files are here and not there yet: changes waiting.
  await expect(sync.light).toHaveAttribute('data-status', 'pending', { timeout: 20_000 });
  await expect(sync.light).toContainText('changes waiting');
  if (process.env.E2E_SCREENSHOTS)
    await page
      .getByTestId('sync-light')
      .locator('xpath=ancestor::footer')
      .screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS, 'sync-status-bar.png'),
      });
  const theirs = (await (await team.context.request.get('/api/v1/projects')).json()) as ProjectDto[];
  const remoteProject = theirs.find((candidate) => candidate.name === name);
  expect(remoteProject, 'the project was created on the remote').toBeTruthy();

  // Edit, then sync both ways: the file goes up, the light turns green.
  await files.setAutosave(false);
  await files.createFile('notes.txt');
  await files.typeInEditor('first words');
  await page.keyboard.press('Control+s');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'false');
  await sync.openSync();
  await sync.sync('both', 'ask');
  await expect(sync.summary).toContainText('⚠ 0 conflicts');
  await expect(sync.summary).toContainText(/↑ \d+ files?/);
  await expect(sync.dialog.getByTestId('sync-uploaded').filter({ hasText: 'notes.txt' })).toHaveCount(1);
  await expect(sync.dialog.getByTestId('sync-undo-hint')).toBeVisible();
  await shot(page, 'result');
  await page.keyboard.press('Escape');
  await expect(sync.dialog).toBeHidden();
  await expect(sync.light).toHaveAttribute('data-status', 'synced', { timeout: 20_000 });
  await expect(sync.light).toContainText('Synced just now');
  expect(await readFile(team.context.request, remoteProject!.id, 'notes.txt')).toBe('first words');

  // The dashboard shows the same light.
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await expect(dashboard.rowById(project.id).getByTestId('sync-light')).toHaveAttribute('data-status', 'synced', {
    timeout: 20_000,
  });
  await shot(page, 'dashboard');

  // Another project linked from its dashboard row to a project that is already there, picked from
  // the remote's own list.
  const second = await createProjectViaApi(page.request, uniqueName('second'), 'blank-node');
  const existing = await createProjectViaApi(team.context.request, uniqueName('existing'), 'blank-node');
  await dashboard.goto();
  const secondRow = dashboard.rowById(second.id);
  await sync.openLink(secondRow);
  await sync.linkDialog.getByTestId('link-project').selectOption({ label: existing.name });
  await sync.linkDialog.getByTestId('link-submit').click();
  await expect(sync.linkDialog).toBeHidden({ timeout: 30_000 });
  await expect(secondRow.getByTestId('sync-light')).toHaveAttribute('data-status', /pending|synced/, {
    timeout: 20_000,
  });
  await secondRow.getByTestId('sync-settings-open').click();
  await expect(sync.linkDialog.getByTestId('link-project')).toHaveValue(existing.id);
  await page.keyboard.press('Escape');
  await expect(sync.linkDialog).toBeHidden();

  // Both sides change the same line: Ask lists it, side by side; Take remote settles it.
  await writeFile(page.request, project.id, 'notes.txt', 'words from the laptop\n');
  await writeFile(team.context.request, remoteProject!.id, 'notes.txt', 'words from the team\n');
  await workbench.goto(project.id);
  await sync.openSync();
  await sync.sync('both', 'ask');
  await expect(sync.summary).toContainText('⚠ 1 conflict');
  const conflict = sync.conflict('notes.txt');
  await expect(conflict).toBeVisible();
  const diff = sync.dialog.getByTestId('conflict-diff');
  await expect(diff).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  await expect(diff.locator('.monaco-diff-editor')).toBeVisible();
  await expect(diff).toContainText('words from the laptop');
  await expect(diff).toContainText('words from the team');
  await conflict.locator('label', { has: page.getByTestId('conflict-choice-remote') }).click();
  await expect(conflict).toHaveAttribute('data-choice', 'remote');
  await shot(page, 'ask');
  await sync.dialog.getByTestId('conflict-apply').click();
  await sync.waitDone();
  await expect(sync.dialog.locator('[data-testid="sync-conflict"][data-outcome="remote"]')).toContainText('notes.txt');
  await expect(sync.resolver).toHaveCount(0);
  await shot(page, 'resolved');
  expect(await readFile(page.request, project.id, 'notes.txt')).toBe('words from the team\n');
  await page.keyboard.press('Escape');
  await expect(sync.light).toHaveAttribute('data-status', 'synced', { timeout: 20_000 });

  // Removing the remote asks first, then takes its link: the workbench offers Link again.
  await remotes.goto();
  await remotes.row('team').getByTestId('remote-remove').click();
  const confirm = page.getByTestId('remote-remove-confirm');
  await expect(confirm).toBeVisible();
  await shot(page, 'remove-confirm');
  await confirm.getByTestId('remote-remove-confirm-action').click();
  await expect(remotes.rows).toHaveCount(0);
  await workbench.goto(project.id);
  await expect(page.getByTestId('sync-link-open')).toBeVisible();

  await team.context.close();
});
