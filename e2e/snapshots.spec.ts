// Snapshots and moving projects in and out, as a person does it: History panel (save with a
// label, compare, restore one file or the whole project), and the dashboard's Download ZIP,
// Import and Duplicate — including a hostile ZIP that must create nothing.
import { writeFile } from 'node:fs/promises';
import type { ProjectDto } from '../server/contracts';
import { rawZip } from '../server/transfer/zip/test-raw-zip';
import {
  createProjectViaApi,
  DashboardPage,
  expect,
  sameOrigin,
  test,
  uniqueName,
  type WorkbenchPage,
} from './support/berth';
import { FilesPanel } from './support/files';
import { HistoryPanel, ImportDialog } from './support/history';

test.describe.configure({ timeout: 180_000 });

const shots = process.env.E2E_SCREENSHOTS;

async function openRunning(workbench: WorkbenchPage, projectId: string): Promise<FilesPanel> {
  const files = new FilesPanel(workbench.page);
  await workbench.goto(projectId);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  return files;
}

test('save a labelled snapshot, change the file, compare it in History and restore just that file', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('snap'), 'blank-node');
  const files = await openRunning(workbench, project.id);
  const history = new HistoryPanel(page);

  await files.createFile('notes.txt');
  await files.setAutosave(false);
  await files.typeInEditor('version-one');
  await page.keyboard.press('Control+s');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'false');

  await history.open();
  await history.save('first draft');
  await expect(history.statusBarState).toContainText(/Last snapshot|Saving/);

  await files.typeInEditor('-then-two');
  await page.keyboard.press('Control+s');
  await expect(files.tab('notes.txt')).toHaveAttribute('data-dirty', 'false');

  await history.select('first draft');
  await expect(history.change('notes.txt')).toHaveAttribute('data-status', 'modified');
  await history.openDiff('notes.txt');
  await expect(history.diffView.locator('.monaco-diff-editor')).toContainText('version-one-then-two');
  if (shots) {
    await page.screenshot({ path: `${shots}/history-diff.png` });
    await page
      .getByTestId('workspace-status')
      .locator('xpath=..')
      .screenshot({ path: `${shots}/status-bar.png` });
  }

  await history.diffView.getByTestId('restore-file').click();
  await expect(history.outcome).toContainText('Restored notes.txt: 1 written');
  await expect(history.diffView).toHaveAttribute('data-same', 'true');
  await expect(history.change('notes.txt')).toHaveCount(0);
  if (shots) await page.screenshot({ path: `${shots}/history-panel.png` });
  // The safety snapshot taken before the restore is listed.
  await expect(history.panel.locator('[data-testid="snapshot-row"][data-reason="safety"]')).toHaveCount(1);

  await page.keyboard.press('Escape');
  await expect(history.diffView).toHaveCount(0);
  await expect(files.editorText).toContainText('version-one');
  await expect(files.editorText).not.toContainText('then-two');
  await workbench.typeInTerminal('echo "[$(cat notes.txt)]"\n');
  await expect(workbench.activeTerminalScreen).toContainText('[version-one]');
});

test('restore the whole project after deleting a file', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('restore'), 'blank-node');
  const files = await openRunning(workbench, project.id);
  const history = new HistoryPanel(page);

  await workbench.typeInTerminal('echo keep-me > keep.txt\n');
  await expect(files.node('keep.txt')).toBeVisible();
  await history.open();
  await history.save('with keep');

  await workbench.typeInTerminal('rm keep.txt\n');
  await history.select('with keep');
  await expect(history.change('keep.txt')).toHaveAttribute('data-status', 'deleted');

  await history.changes.getByTestId('restore-project').click();
  await expect(history.restoreDialog).toBeVisible();
  await expect(history.restoreDialog).toContainText('safety snapshot');
  await history.restoreDialog.getByTestId('restore-project-confirm').click();
  await expect(history.restoreDialog).toBeHidden({ timeout: 30_000 });
  await expect(history.outcome).toContainText('Restored the project: 1 written, 0 deleted');
  await expect(history.changes).toContainText('No differences');

  await history.filesTab.click();
  await expect(files.node('keep.txt')).toBeVisible();
  await workbench.typeInTerminal('echo "[$(cat keep.txt)]"\n');
  await expect(workbench.activeTerminalScreen).toContainText('[keep-me]');
});

test('export a project as ZIP from the dashboard, import it as a new project, and find the same bytes', async ({
  user,
  page,
  workbench,
}, testInfo) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('export'), 'blank-node');
  await openRunning(workbench, project.id);
  // Bytes a text round trip would spoil: NUL, high bytes, CRLF.
  await workbench.typeInTerminal(
    "mkdir -p data && printf 'a\\000b\\377\\r\\nz' > data/blob.bin && echo done-$((6*7))\n",
  );
  await expect(workbench.activeTerminalScreen).toContainText('done-42');
  const original = await page.request.get(`/api/v1/projects/${project.id}/files/content?path=data/blob.bin`);
  expect(original.status()).toBe(200);
  const bytes = await original.body();
  expect(bytes.length).toBe(7);

  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const downloading = page.waitForEvent('download');
  await dashboard.rowById(project.id).getByTestId('download-project').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const zipPath = testInfo.outputPath('export.zip');
  await download.saveAs(zipPath);

  const importDialog = new ImportDialog(page);
  const name = uniqueName('imported');
  await importDialog.open();
  await importDialog.dialog.getByTestId('import-file').setInputFiles(zipPath);
  await importDialog.dialog.getByRole('textbox', { name: 'Name (optional)' }).fill(name);
  if (shots) await importDialog.dialog.screenshot({ path: `${shots}/import-dialog.png` });
  await importDialog.dialog.getByTestId('import-confirm').click();
  await expect(importDialog.dialog).toBeHidden({ timeout: 30_000 });
  await expect(dashboard.row(name)).toHaveCount(1);

  const importedId = (await dashboard.row(name).getAttribute('data-project-id'))!;
  expect(importedId).not.toBe(project.id);
  await dashboard.row(name).getByTestId('open-project').click();
  await workbench.expectOpen(importedId);
  await workbench.expectWorkspaceRunning();
  const files = new FilesPanel(page);
  await files.expectReady();
  await expect(files.node('data')).toBeVisible();
  // An import's first start is seeded from the import: that is no "files were missing" notice.
  await expect(page.getByTestId('restored-notice')).toHaveCount(0);
  const copy = await page.request.get(`/api/v1/projects/${importedId}/files/content?path=data/blob.bin`);
  expect(copy.status()).toBe(200);
  expect(Buffer.compare(await copy.body(), bytes)).toBe(0);
  await workbench.typeInTerminal('od -An -c data/blob.bin\n');
  await expect(workbench.activeTerminalScreen).toContainText('\\0');
});

test('a ZIP with a ../ entry is refused with the server’s message and creates no project', async ({
  user,
  page,
}, testInfo) => {
  void user;
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const before = (await (await page.request.get('/api/v1/projects')).json()) as ProjectDto[];
  const hostile = testInfo.outputPath('hostile.zip');
  await writeFile(
    hostile,
    rawZip([
      { name: 'ok.txt', data: Buffer.from('fine') },
      { name: '../evil', data: Buffer.from('escape') },
    ]),
  );

  const importDialog = new ImportDialog(page);
  await importDialog.open();
  await importDialog.submit(hostile, uniqueName('hostile'));
  await expect(importDialog.error).toBeVisible({ timeout: 30_000 });
  await expect(importDialog.error).toContainText(/\.\.\/evil|path/i);
  if (shots) await importDialog.dialog.screenshot({ path: `${shots}/import-error.png` });
  // The dialog stays open with the message; Escape closes it.
  await page.keyboard.press('Escape');
  await expect(importDialog.dialog).toBeHidden();

  const after = (await (await page.request.get('/api/v1/projects')).json()) as ProjectDto[];
  expect(after.map((project) => project.id).sort()).toEqual(before.map((project) => project.id).sort());
  await expect(dashboard.rows).toHaveCount(before.length);
});

test('Duplicate makes a second project with the same files', async ({ user, page, workbench }) => {
  void user;
  const name = uniqueName('original');
  const project = await createProjectViaApi(page.request, name, 'blank-node');
  await openRunning(workbench, project.id);
  await workbench.typeInTerminal('echo duplicated-content > dup.txt && echo ok-$((2+3))\n');
  await expect(workbench.activeTerminalScreen).toContainText('ok-5');

  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await dashboard.rowById(project.id).getByTestId('duplicate-project').click();
  const copyRow = dashboard.row(`${name} copy`);
  await expect(copyRow).toHaveCount(1, { timeout: 30_000 });
  const copyId = (await copyRow.getAttribute('data-project-id'))!;
  expect(copyId).not.toBe(project.id);

  await copyRow.getByTestId('open-project').click();
  const files = new FilesPanel(page);
  await workbench.expectOpen(copyId);
  await workbench.expectWorkspaceRunning();
  await files.expectReady();
  await expect(files.node('dup.txt')).toBeVisible();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal('echo "[$(cat dup.txt)]"\n');
  await expect(workbench.activeTerminalScreen).toContainText('[duplicated-content]');
});

// A failed automatic snapshot needs a database outage (server/snapshots/snapshot-faults.int.test.ts
// makes one) and a lost volume needs the engine's volume removed; here the browser's socket is
// routed so the server's real frames pass and those two pushes are added, to check what a person sees.
test('the status bar warns when a snapshot failed, and a restored volume is announced', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('faults'), 'blank-node');
  const taken = await page.request.post(`/api/v1/projects/${project.id}/snapshots`, {
    data: { label: 'last good' },
    headers: sameOrigin,
  });
  expect(taken.status(), await taken.text()).toBe(201);
  const snapshot = (await taken.json()) as { id: string; createdAt: string };
  const restoredFrom = JSON.stringify({ snapshotId: snapshot.id, createdAt: snapshot.createdAt });

  let toPage: ((frame: string) => void) | null = null;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => server.send(frame));
    // Socket.IO frames are text: mark the running workspace (acks and pushes) as restored.
    server.onMessage((frame) =>
      ws.send(
        typeof frame === 'string'
          ? frame.replace(/"state":"running"/g, `"state":"running","restoredFrom":${restoredFrom}`)
          : frame,
      ),
    );
    toPage = (frame) => ws.send(frame);
  });
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  const notice = page.getByTestId('restored-notice');
  await expect(notice).toContainText('restored them from the snapshot');

  const history = new HistoryPanel(page);
  await expect(history.statusBarState).toContainText('Last snapshot');
  const retryAt = new Date(Date.now() + 60_000).toISOString();
  const push = (status: object) =>
    toPage!(`42${JSON.stringify(['snapshot:status', { projectId: project.id, ...status }])}`);
  push({ state: 'saving', lastSnapshotAt: snapshot.createdAt });
  await expect(history.statusBarState).toHaveAttribute('data-status', 'saving');
  push({
    state: 'failed',
    lastSnapshotAt: snapshot.createdAt,
    error: 'database unreachable: connection refused',
    retryAt,
  });
  await expect(history.statusBarState).toHaveAttribute('data-status', 'failed');
  await expect(history.statusBarState).toContainText('Snapshot failed — retrying at');
  await expect(history.statusBarState).toHaveAttribute('title', /database unreachable/);
  if (shots) {
    await page.screenshot({ path: `${shots}/restored-notice-and-failed-status.png` });
    await page.locator('footer').screenshot({ path: `${shots}/status-bar-failed.png` });
  }

  // The notice leads to History, where that snapshot is listed; Dismiss hides it.
  await notice.getByRole('button', { name: 'Open History' }).click();
  await expect(history.row('last good')).toHaveCount(1);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});
