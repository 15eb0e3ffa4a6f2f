// Files and the editor as a person uses them: tree, Monaco, saves that reach the container,
// live changes from the terminal, two tabs, conflicts, uploads and locks.
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';
import { emitAck, FilesPanel, socketFor } from './support/files';

test.describe.configure({ timeout: 180_000 });

// A 2×2 red PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('create a file in the tree, type in Monaco, save with Ctrl+S, cat it in the terminal', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('files'), 'blank-node');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();

  await files.createFile('hello.txt');
  await files.setAutosave(false);
  await files.typeInEditor('written-in-monaco');
  await expect(files.tab('hello.txt')).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('Control+s');
  await expect(files.tab('hello.txt')).toHaveAttribute('data-dirty', 'false');

  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal('cat hello.txt; echo\n');
  await expect(workbench.activeTerminalScreen).toContainText('written-in-monaco');
});

test('a file made in the terminal appears in the tree within a second', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('live'), 'blank-node');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');

  await workbench.typeInTerminal('echo hi > new.txt\n');
  await expect(files.node('new.txt')).toBeVisible({ timeout: 1_000 });
  await workbench.typeInTerminal('rm new.txt\n');
  await expect(files.node('new.txt')).toHaveCount(0, { timeout: 1_000 });
});

test('two tabs of the same browser see each other’s saves', async ({ user, page, context, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('tabs'), 'blank-node');
  const first = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await first.expectReady();
  await first.createFile('shared.txt');

  const other = await context.newPage();
  await other.goto(`/p/${project.id}`);
  const second = new FilesPanel(other);
  await second.expectReady();
  await second.open('shared.txt');

  await first.typeInEditor('from-first');
  await page.keyboard.press('Control+s');
  await expect(first.tab('shared.txt')).toHaveAttribute('data-dirty', 'false');
  await expect(second.editorText).toContainText('from-first');

  await second.typeInEditor('-and-second');
  await other.keyboard.press('Control+s');
  await expect(second.tab('shared.txt')).toHaveAttribute('data-dirty', 'false');
  await expect(first.editorText).toContainText('from-first-and-second');
  await other.close();
});

test('a change on disk under unsaved edits shows the conflict banner', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('conflict'), 'blank-node');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal('echo original > notes.txt\n');
  await expect(files.node('notes.txt')).toBeVisible();
  await files.open('notes.txt');
  await expect(files.editorText).toContainText('original');

  await files.setAutosave(false);
  await files.typeInEditor('-mine');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'true');
  await workbench.typeInTerminal('echo theirs > notes.txt\n');
  await expect(files.conflictBanner).toBeVisible();

  await files.conflictBanner.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('conflict-diff')).toBeVisible();
  await files.conflictBanner.getByRole('button', { name: 'Keep mine' }).click();
  await expect(files.conflictBanner).toHaveCount(0);
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'false');
  await workbench.typeInTerminal('cat notes.txt\n');
  await expect(workbench.activeTerminalScreen).toContainText('original-mine');

  // A save answered with 'conflict' shows the same banner; Take theirs reloads.
  await files.typeInEditor('-again');
  await workbench.typeInTerminal('echo disk-wins > notes.txt\n');
  await expect(files.conflictBanner).toBeVisible();
  await files.conflictBanner.getByRole('button', { name: 'Take theirs' }).click();
  await expect(files.conflictBanner).toHaveCount(0);
  await expect(files.editorText).toContainText('disk-wins');
});

test('upload a PNG and see it previewed', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('upload'), 'blank-node');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();

  await page.getByTestId('upload-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('upload-progress').first()).toBeVisible();
  await expect(files.node('dot.png')).toBeVisible();
  await files.node('dot.png').click();
  const preview = page.getByTestId('image-preview');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(2);
});

test('a file locked by another tab is read-only with a marker', async ({ user, page, context, workbench, baseURL }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('lock'), 'blank-node');
  const files = new FilesPanel(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await files.createFile('locked.txt');
  await files.typeInEditor('before');
  await page.keyboard.press('Control+s');
  await expect(files.tab('locked.txt')).toHaveAttribute('data-dirty', 'false');

  const holder = await socketFor(context, baseURL!);
  try {
    await emitAck(holder, 'project:open', { projectId: project.id });
    await emitAck(holder, 'fs:lock', { projectId: project.id, path: 'locked.txt', ttlSeconds: 120 });
    await expect(files.tab('locked.txt').getByTestId('lock-marker')).toBeVisible();
    await expect(page.getByTestId('lock-banner')).toContainText('Locked by');
    await expect(files.node('locked.txt').getByTestId('lock-marker')).toBeVisible();
    await expect(page.getByTestId('monaco-host')).toHaveAttribute('data-readonly', 'true');
    await files.typeInEditor('-blocked');
    await expect(files.tab('locked.txt')).toHaveAttribute('data-dirty', 'false');
    await expect(files.editorText).not.toContainText('blocked');
  } finally {
    holder.disconnect();
  }
  // The lock goes with its socket: editable again.
  await expect(page.getByTestId('lock-banner')).toHaveCount(0);
  await expect(page.getByTestId('monaco-host')).toHaveAttribute('data-readonly', 'false');
});
