// A project's workspace and its terminals, as a person uses them: real container, real shell.
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

test('terminals: run node, open a second one, reload and find the scrollback, npm install', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('shell'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.workspaceStatus).toContainText('kept up by 1 open tab');

  // The first terminal opens by itself.
  await expect(workbench.terminalTabs).toHaveCount(1);
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');
  await workbench.typeInTerminal('node -v\n');
  await expect(workbench.activeTerminalScreen).toContainText(/v\d+\.\d+\.\d+/);
  await workbench.typeInTerminal('echo marker-$((6*7))\n');
  await expect(workbench.activeTerminalScreen).toContainText('marker-42');

  // A second terminal, as a tab of its own.
  await page.getByTestId('new-terminal').click();
  await expect(workbench.terminalTabs).toHaveCount(2);
  await expect(workbench.terminalTabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await workbench.typeInTerminal('echo second-$((2+3))\n');
  await expect(workbench.activeTerminalScreen).toContainText('second-5');
  await expect(workbench.activeTerminalScreen).not.toContainText('marker-42');

  // Reload: both sessions are still there and the first one's scrollback comes back.
  await page.reload();
  await workbench.expectWorkspaceRunning();
  await expect(workbench.terminalTabs).toHaveCount(2);
  await workbench.terminalTabs.first().click();
  await expect(workbench.activeTerminalScreen).toContainText('marker-42');
  // Replaying the history must not answer the terminal queries in it again: such an answer
  // would land on the shell's command line ahead of what is typed next.
  await workbench.typeInTerminal('echo after-reload-$((1+1))\n');
  await expect(workbench.activeTerminalScreen).toContainText('after-reload-2');
  await expect(workbench.activeTerminalScreen).not.toContainText('command not found');

  // npm install of a small package from the registry, inside the workspace.
  await workbench.typeInTerminal(
    "npm install is-number@7 --no-audit && node -e \"console.log(require('is-number')(5) ? 'installed-ok' : 'bad')\"\n",
  );
  await expect(workbench.activeTerminalScreen).toContainText('installed-ok', { timeout: 120_000 });
});

test('terminal tabs: rename with a double-click, close, and restart after the shell exits', async ({
  user,
  page,
  workbench,
}) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('tabs'), 'static-html');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.terminalTabs).toHaveCount(1);

  await workbench.terminalTabs.first().dblclick();
  const input = page.getByTestId('terminal-rename-input');
  await input.fill('dev server');
  await input.press('Enter');
  await expect(workbench.terminalTabs.first()).toContainText('dev server');

  await workbench.typeInTerminal('exit 7\n');
  await expect(page.getByTestId('terminal-exited')).toContainText('code 7');
  // Keys typed into the ended shell go nowhere, and the view says so.
  await workbench.typeInTerminal('ls');
  await expect(page.getByTestId('terminal-input-lost')).toContainText(
    '2 typed characters did not reach the terminal (The shell has ended; restart the terminal)',
  );
  await page.getByTestId('terminal-input-lost').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('terminal-input-lost')).toHaveCount(0);
  await page.getByTestId('terminal-exited').getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByTestId('terminal-exited')).toHaveCount(0);
  await workbench.typeInTerminal('echo back-$((1+1))\n');
  await expect(workbench.activeTerminalScreen).toContainText('back-2');

  // Ctrl+` hides the panel and brings it back with the session intact.
  await workbench.toggleTerminal();
  await expect(workbench.terminal).toBeHidden();
  await workbench.toggleTerminal();
  await expect(workbench.activeTerminalScreen).toContainText('back-2');

  await page.getByTestId('terminal-tab-close').first().click();
  await expect(workbench.terminalTabs).toHaveCount(0);
  await expect(workbench.terminal).toContainText('No terminals.');
});

test('the status bar stops and starts the workspace', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('life'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await page.getByTestId('workspace-stop').click();
  await expect(workbench.workspaceStatus).toHaveAttribute('data-status', 'stopped');
  await expect(workbench.terminal).toContainText('Terminals open once the workspace is running.');
  await page.getByTestId('workspace-start').click();
  await workbench.expectWorkspaceRunning();
});
