// Import from a git URL in the dashboard's Import dialog: a URL the server must not clone (its
// host is internal) is refused with the server's reason, and no project appears. The clone
// itself is covered against a real repository in server/transfer/git-import.int.test.ts.
import type { ProjectDto } from '../server/contracts';
import { DashboardPage, expect, test } from './support/berth';
import { ImportDialog } from './support/history';

test('a git URL on an internal host is refused with the reason and creates nothing', async ({ user, page }) => {
  void user;
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const before = (await (await page.request.get('/api/v1/projects')).json()) as ProjectDto[];
  const importDialog = new ImportDialog(page);
  await importDialog.open();
  await importDialog.submitGitUrl('https://127.0.0.1/team/repo.git');
  await expect(importDialog.error).toContainText('resolves to an internal address (127.0.0.1');
  await page.keyboard.press('Escape');
  await expect(importDialog.dialog).toBeHidden();
  const after = (await (await page.request.get('/api/v1/projects')).json()) as ProjectDto[];
  expect(after).toHaveLength(before.length);
});
