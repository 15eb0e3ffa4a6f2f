// Exports as a person uses them (issue 18): from a project's Exports dialog on the dashboard, the
// changes since a snapshot download as a changes bundle and show in the export history; applying
// that bundle to a project without its base is refused with the reason, and onto the project
// that has it is applied. In the Assistant panel, Duplicate copies a conversation into another
// project (a link there) or into the same one (the copy opens).
import { readFile } from 'node:fs/promises';
import type { ConversationListDto, SnapshotDto } from '../server/contracts';
import { createProjectViaApi, DashboardPage, expect, sameOrigin, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('a changes bundle: downloaded from Exports, in the history, refused without its base, applied with it', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const source = await createProjectViaApi(page.request, uniqueName('changes'), 'blank-node');
  const unrelated = await createProjectViaApi(page.request, uniqueName('unrelated'), 'blank-node');
  await workbench.goto(source.id);
  await workbench.expectWorkspaceRunning();
  const taken = await page.request.post(`/api/v1/projects/${source.id}/snapshots`, {
    data: { label: 'Base' },
    headers: sameOrigin,
  });
  expect(taken.status()).toBe(201);
  const base = (await taken.json()) as SnapshotDto;
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal('printf later > later.txt && echo wrote-$((6*7))\n');
  await expect(workbench.activeTerminalScreen).toContainText('wrote-42');

  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await dashboard.rowById(source.id).getByTestId('project-exports').click();
  const dialog = page.getByTestId('exports-dialog');
  await expect(dialog.getByTestId('export-history')).toHaveAttribute('data-status', 'empty');
  await dialog.getByTestId('exports-since').selectOption(base.id);
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('exports-download-changes').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.changes\.berth\.zip$/);
  const bundle = await readFile((await download.path())!);
  await dialog.getByTestId('exports-refresh').click();
  await expect(dialog.getByTestId('export-history-row')).toHaveCount(1);
  await expect(dialog.getByTestId('export-history-row')).toHaveAttribute('data-kind', 'incremental');
  await expect(dialog.getByTestId('export-history-row')).toContainText('Changes bundle');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A project without the base: refused, with the reason.
  await dashboard.rowById(unrelated.id).getByTestId('project-exports').click();
  await dialog
    .getByTestId('exports-apply-input')
    .setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/zip', buffer: bundle });
  await expect(dialog.getByTestId('exports-apply-result')).toHaveAttribute('data-status', 'refused');
  await expect(dialog.getByTestId('exports-apply-result')).toContainText('no snapshot with the content');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The project that has it: applied.
  await dashboard.rowById(source.id).getByTestId('project-exports').click();
  await dialog
    .getByTestId('exports-apply-input')
    .setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/zip', buffer: bundle });
  await expect(dialog.getByTestId('exports-apply-result')).toHaveAttribute('data-status', 'applied', {
    timeout: 60_000,
  });
  await expect(dialog.getByTestId('exports-apply-result')).toContainText(/Applied \d+ snapshots? and 0 conversations/);
});

test('Duplicate a conversation into another project, then into the same one', async ({ user, page, workbench }) => {
  void user;
  const home = await createProjectViaApi(page.request, uniqueName('chats'), 'blank-node');
  const other = await createProjectViaApi(page.request, uniqueName('elsewhere'), 'blank-node');
  const created = await page.request.post(`/api/v1/projects/${home.id}/conversations`, {
    data: { title: 'Plan' },
    headers: sameOrigin,
  });
  expect(created.status()).toBe(201);

  await workbench.goto(home.id);
  await page.getByTestId('sidebar-tab-assistant').click();
  const panel = page.getByTestId('assistant-panel');
  await expect(panel.getByTestId('assistant-conversations').locator('option:checked')).toHaveText('Plan');

  await panel.getByTestId('assistant-duplicate').click();
  const dialog = page.getByTestId('assistant-duplicate-dialog');
  await dialog.getByTestId('assistant-duplicate-project').selectOption(other.id);
  await dialog.getByTestId('assistant-duplicate-confirm').click();
  await expect(dialog.getByTestId('assistant-duplicate-result')).toHaveAttribute('data-status', 'copied');
  await expect(dialog.getByTestId('assistant-duplicate-result')).toContainText(`Copied to ${other.name}`);
  const there = (await (
    await page.request.get(`/api/v1/projects/${other.id}/conversations`)
  ).json()) as ConversationListDto;
  expect(there.conversations.map((c) => c.title)).toEqual(['Plan']);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await panel.getByTestId('assistant-duplicate').click();
  await expect(dialog.getByTestId('assistant-duplicate-project')).toHaveValue(home.id);
  await dialog.getByTestId('assistant-duplicate-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByTestId('assistant-conversations').locator('option:checked')).toHaveText('Plan (copy)');
});
