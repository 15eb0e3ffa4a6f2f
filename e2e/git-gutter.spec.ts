// The editor gutter marks the lines changed against git's index (issue 13), as VS Code's quick
// diff does: a bar on modified and added lines, a wedge where lines were deleted; live while
// typing, and gone once the change is staged (git:changed → the new index). Real container, real git.
import type { Locator, Page } from '@playwright/test';
import { createProjectViaApi, expect, sameOrigin, test, uniqueName } from './support/berth';
import { FilesPanel } from './support/files';
import { GitApi } from './support/git';

test.describe.configure({ timeout: 120_000 });

/** The gutter marker of a kind on the editor line numbered `line` (same row as its line number). */
async function markerRow(page: Page, marker: Locator): Promise<number> {
  const box = await marker.boundingBox();
  if (!box) throw new Error('marker not laid out');
  const numbers = page.locator('[data-testid="monaco-host"] .line-numbers');
  for (let i = 0; i < (await numbers.count()); i++) {
    const number = numbers.nth(i);
    const numberBox = await number.boundingBox();
    if (numberBox && Math.abs(numberBox.y - box.y) < 2) return Number((await number.innerText()).trim());
  }
  throw new Error(`no line number at y=${box.y}`);
}

test('the gutter marks modified, added and deleted lines against the index, and clears when staged', async ({
  user,
  page,
  workbench,
}, testInfo) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('gutter'), 'blank-node');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  const git = new GitApi(page.request, project.id);
  await git.write('lines.txt', 'one\ntwo\nthree\nfour\nfive\nsix\n');
  const init = await page.request.post(`/api/v1/projects/${project.id}/git/init`, { headers: sameOrigin });
  expect(init.status()).toBe(201);
  await git.commitAll('Lines');

  await files.open('lines.txt');
  const host = page.getByTestId('monaco-host');
  await expect(host.locator('.berth-git-modified, .berth-git-added, .berth-git-deleted')).toHaveCount(0);

  // Line 2 changed, a line added after "three", "five" deleted.
  await files.editorText.click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.type(' (changed)');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('a new line');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+Shift+K');

  const modified = host.locator('.berth-git-modified');
  const added = host.locator('.berth-git-added');
  const deleted = host.locator('.berth-git-deleted');
  await expect(modified).toHaveCount(1);
  await expect(added).toHaveCount(1);
  await expect(deleted).toHaveCount(1);
  expect(await markerRow(page, modified)).toBe(2);
  expect(await markerRow(page, added)).toBe(4);
  // The wedge sits on the line above the deleted one ("four", line 5), at its bottom edge.
  expect(await markerRow(page, deleted)).toBe(5);
  await page.screenshot({ path: testInfo.outputPath('git-gutter.png') });

  // Saved, the markers stay (the index has not changed); staged, they go.
  await page.keyboard.press('Control+s');
  await expect(files.tab('lines.txt')).toHaveAttribute('data-dirty', 'false');
  await expect(modified).toHaveCount(1);
  const staged = await page.request.post(`/api/v1/projects/${project.id}/git/stage`, {
    data: { paths: ['lines.txt'] },
    headers: sameOrigin,
  });
  expect(staged.status()).toBe(200);
  await expect(host.locator('.berth-git-modified, .berth-git-added, .berth-git-deleted')).toHaveCount(0);

  // Typing again marks against the new index.
  await page.keyboard.press('Control+End');
  await page.keyboard.type('tail');
  await expect(added).toHaveCount(1);
});
