// Berth's own image, as users run it: sign up through the container's port, open a project,
// run a command in the terminal; stop and start the Berth container and find the browser back
// in the same live terminal with its scrollback (the shell runs in tmux inside the workspace,
// which keeps running), every key typed meanwhile delivered once; /metrics shows the workspace.
// The image's figures (size, restart → live terminal) are in bench/image.bench.ts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createProjectViaApi, expect, test, uniqueUser, WorkbenchPage } from '../e2e/support/berth';
import { SignUpPage } from '../e2e/support/pages';

const state = () =>
  JSON.parse(readFileSync(path.join(process.cwd(), '.data', 'image-e2e.json'), 'utf8')) as { container: string };

test('the image: sign up, terminal, restart the container, same terminal, scrollback and keys, metrics', async ({
  page,
}) => {
  const { container } = state();
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await signUp.signUp(uniqueUser());

  const project = await createProjectViaApi(page.request, 'In the image', 'blank-node');
  const workbench = new WorkbenchPage(page);
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $', { timeout: 30_000 });
  await workbench.typeInTerminal('KEPT=still-$((6*7)); echo before-$((40+2))\n');
  await expect(workbench.activeTerminalScreen).toContainText('before-42');

  // The terminal view as it is now: Berth's restart must not make the page tear it down and
  // build it again (keys held in it for the attach would go with it).
  const view = await page.locator('[data-testid="terminal-view"]:not(.hidden)').elementHandle();
  execFileSync('docker', ['stop', '-t', '30', container]);
  await expect(workbench.connection).toHaveAttribute('data-status', 'reconnecting');
  // Typed while Berth is down: held, and sent once the terminal is attached again.
  await workbench.typeInTerminal('echo held-$KEPT\n');
  execFileSync('docker', ['start', container]);
  // Typed the moment the page is back: before the terminal is attached again, while Berth may
  // still be adopting the running workspace. Typed once: a lost key fails the test.
  await expect(workbench.connection).toHaveAttribute('data-status', 'connected', { timeout: 60_000 });
  await workbench.typeInTerminal('echo after-$KEPT\n');
  await expect(workbench.activeTerminalScreen).toContainText('after-still-42', { timeout: 30_000 });
  await expect(workbench.activeTerminalScreen).toContainText('held-still-42');
  // The same view, its scrollback from before the restart, and no key reported lost.
  expect(await view?.evaluate((element) => element.isConnected)).toBe(true);
  await expect(workbench.activeTerminalScreen).toContainText('before-42');
  await expect(page.getByTestId('terminal-input-lost')).toHaveCount(0);

  const metrics = await (await page.request.get('/metrics')).text();
  expect(metrics).toMatch(/berth_workspaces\{state="running"\} 1/);
});
