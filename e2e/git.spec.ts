// Source control from the browser (issue 13), against real git in the project's real container:
// Ctrl+Shift+G, Initialize repository, a new file under Untracked and an edited one under Changes,
// click → Monaco diff, stage, commit with Ctrl+Enter, the commit in History and its diff; a branch
// switch git refuses (local changes) shows git's message; a merge conflict shows under Conflicts
// and is resolved by staging and committing; Push without a remote says what to do.
import { createProjectViaApi, expect, test, uniqueName, type WorkbenchPage } from './support/berth';
import { FilesPanel } from './support/files';
import { GitApi, GitPanel } from './support/git';

test.describe.configure({ timeout: 180_000 });

async function openRunning(workbench: WorkbenchPage, projectId: string): Promise<FilesPanel> {
  const files = new FilesPanel(workbench.page);
  await workbench.goto(projectId);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  return files;
}

test('init, edit, diff, stage, commit with Ctrl+Enter, and the commit in History', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('git'), 'blank-node');
  const files = await openRunning(workbench, project.id);
  const git = new GitPanel(page);

  await files.createFile('notes.txt');
  await files.typeInEditor('first line');
  await page.keyboard.press('Control+s');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'false');

  await git.open();
  await expect(git.panel).toHaveAttribute('data-status', 'none');
  await git.panel.getByTestId('git-init').click();
  await expect(git.panel).toHaveAttribute('data-status', 'ready');
  await expect(git.branch).toHaveAttribute('data-branch', 'main');
  await expect(git.file('untracked', 'notes.txt')).toHaveAttribute('data-letter', 'U');

  // An untracked file's diff: nothing on the left, the file on the right.
  await git.file('untracked', 'notes.txt').click();
  await expect(git.diffView).toHaveAttribute('data-path', 'notes.txt');
  await expect(git.diffModified).toContainText('first line');

  await git.groupAction('untracked', 'git-stage-all');
  await expect(git.file('staged', 'notes.txt')).toHaveAttribute('data-letter', 'A');
  await expect(git.group('untracked')).toHaveCount(0);
  // The open diff follows the file to the staged side (HEAD vs index).
  await expect(git.diffView).toHaveAttribute('data-staged', 'true');
  await git.commitWithKeys('Initial commit');
  await expect(git.panel.getByTestId('git-clean')).toBeVisible();
  await expect(git.diffView).toHaveCount(0);
  await expect(git.commits).toHaveCount(1);
  await expect(git.commits.first()).toContainText('Initial commit');
  await expect(git.commits.first()).toContainText(user.name);

  // An edit in the editor shows under Changes, live (fs:changed), with its diff against the index.
  await page.getByTestId('sidebar-tab-files').click();
  await files.typeInEditor(' and more');
  await page.keyboard.press('Control+s');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'false');
  // The file tree and the editor tab mark it M from the same status.
  await expect(files.node('notes.txt')).toHaveAttribute('data-git', 'M');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-git', 'M');
  await git.open();
  await expect(git.file('changes', 'notes.txt')).toHaveAttribute('data-letter', 'M');
  await expect(page.getByTestId('sidebar-badge-git')).toHaveText('1');
  await git.file('changes', 'notes.txt').click();
  await expect(git.diffView).toHaveAttribute('data-staged', 'false');
  await expect(git.diffOriginal).toContainText('first line');
  await expect(git.diffOriginal).not.toContainText('and more');
  await expect(git.diffModified).toContainText('first line and more');

  await git.fileAction('changes', 'notes.txt', 'git-stage');
  await expect(git.file('staged', 'notes.txt')).toHaveAttribute('data-letter', 'M');
  await expect(git.group('changes')).toHaveCount(0);
  await git.commitWithKeys('Say more');
  await expect(git.commits).toHaveCount(2);
  await expect(git.commits.first()).toContainText('Say more');

  // A commit's files, and one file's diff from its parent.
  await git.commits.first().getByRole('button').first().click();
  await git.commits.first().locator('[data-testid="git-commit-file"][data-path="notes.txt"]').click();
  await expect(git.diffView).toHaveAttribute('data-path', 'notes.txt');
  await expect(git.diffView).toContainText('Say more');
  await expect(git.diffModified).toContainText('first line and more');
  await page.keyboard.press('Escape');
  await expect(git.diffView).toHaveCount(0);
});

test('a switch git refuses shows its message; a merge conflict shows under Conflicts and is resolved', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('git-branch'), 'blank-node');
  await openRunning(workbench, project.id);
  const git = new GitPanel(page);
  const api = new GitApi(page.request, project.id);

  await git.open();
  await git.panel.getByTestId('git-init').click();
  await expect(git.panel).toHaveAttribute('data-status', 'ready');
  await api.write('story.txt', 'once upon a time\n');
  await api.commitAll('Base');
  await expect(git.commits).toHaveCount(1);

  // Create "feature" from the menu (it switches to it), and commit a change there.
  const menu = await git.openBranchMenu();
  await menu.getByTestId('git-new-branch').fill('feature');
  await menu.getByTestId('git-new-branch').press('Enter');
  await expect(git.branch).toHaveAttribute('data-branch', 'feature');
  await api.write('story.txt', 'a feature story\n');
  await api.commitAll('Feature version');
  await expect(git.commits.first()).toContainText('Feature version');

  await git.switchTo('main');
  await expect(git.branch).toHaveAttribute('data-branch', 'main');
  await expect(git.commits).toHaveCount(1);

  // A local change the switch would overwrite: git refuses, and says so.
  await api.write('story.txt', 'a main story\n');
  await expect(git.file('changes', 'story.txt')).toBeVisible();
  await git.switchTo('feature');
  await expect(git.error).toContainText('Your local changes to the following files would be overwritten by checkout');
  await expect(git.error).toContainText('story.txt');
  await expect(git.branch).toHaveAttribute('data-branch', 'main');

  // Commit it on main, merge feature: a conflict.
  await git.fileAction('changes', 'story.txt', 'git-stage');
  await expect(git.file('staged', 'story.txt')).toBeVisible();
  await git.commitWithKeys('Main version');
  const again = await git.openBranchMenu();
  await again.locator('[data-testid="git-branch-item"][data-name="feature"]').getByTestId('git-branch-merge').click();
  await expect(git.file('conflicts', 'story.txt')).toHaveAttribute('data-letter', '!');
  await expect(git.error).toContainText('CONFLICT');
  await git.file('conflicts', 'story.txt').click();
  await expect(git.diffModified).toContainText('<<<<<<<');

  // Resolve: write the file, stage it (marks it resolved), commit.
  await api.write('story.txt', 'both stories\n');
  await git.fileAction('conflicts', 'story.txt', 'git-stage');
  await expect(git.group('conflicts')).toHaveCount(0);
  await expect(git.file('staged', 'story.txt')).toBeVisible();
  await git.commitWithKeys('Merge feature');
  await expect(git.panel.getByTestId('git-clean')).toBeVisible();
  await expect(git.commits.first()).toContainText('Merge feature');

  // Push without a remote: git's refusal and the next step.
  await git.panel.getByTestId('git-push').click();
  await expect(git.error).toContainText('Add a remote named origin first');
});
