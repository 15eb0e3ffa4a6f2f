// WORKSPACE_DISK_GB (10 by default) as a person meets it: the status bar shows the disk used
// against the limit; `fallocate` of more than the limit in a terminal fails with "No space left
// on device" (the e2e server runs as root: /workspace is a fixed-size filesystem, ADR 0006),
// and the figure turns red once the workspace is nearly full.
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('the status bar shows disk use; a file bigger than the limit does not fit', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('disk'), 'static-html');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  const disk = page.getByTestId('disk-usage');
  await expect(disk).toHaveText(/^Disk \d+(\.\d)? [KM]?B \/ 10 GB$/, { timeout: 30_000 });
  await expect(disk).toHaveAttribute('data-status', 'ok');

  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal('fallocate -l 20G big\n');
  await expect(workbench.activeTerminalScreen).toContainText('No space left on device');
  // Measured every WORKSPACE_DISK_CHECK_SECONDS (15 s).
  await expect(disk).toHaveAttribute('data-status', 'nearly-full', { timeout: 40_000 });
  await expect(disk).toHaveText(/^Disk (9\.\d|10) GB \/ 10 GB$/);
  await expect(workbench.workspaceStatus).toHaveAttribute('data-status', 'running');
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/disk.png` });
});
